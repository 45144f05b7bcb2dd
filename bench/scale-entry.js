// The entry `npm run bench -- --scale` bundles (scripts/synth-build.js, as
// dist/synth/scale.js): the synth entry point and prod's configuration.
module.exports = { ...require("../main"), prod: require("../environments/prod").prod };
