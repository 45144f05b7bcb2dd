/**
 * Setup of every test file in `npm run test:cdktn`, after test/setup.ts.
 *
 * - Creation stack traces off, as test/setup.ts does for cdktf: cdktn captures
 *   them through a function that stub cannot reach, and offers a switch.
 * - One core library per process: once a file's tests have run, fail if jest's
 *   module registry holds any file of cdktf, @cdktf/provider-aws or the root's
 *   constructs (moduleNameMapper sends every import of them to
 *   flavours/cdktn/, so only a path that escaped it would).
 */
import * as path from "path";

type Flavours = { strays(name: string, files: string[]): string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const flavours = require("../../scripts/flavours.js") as Flavours;

process.env.CDKTN_DISABLE_CREATION_STACK = "1";

afterAll(() => {
  const loaded = Object.keys(require.cache);
  const strays = flavours.strays("cdktn", loaded).map((f) => path.relative(path.join(__dirname, "../.."), f));
  const file = path.relative(path.join(__dirname, "../.."), expect.getState().testPath ?? "");
  // The first few name the culprit; the count says how many there were.
  expect({ file, strays: strays.length, first: strays.slice(0, 5) }).toEqual({ file, strays: 0, first: [] });
});
