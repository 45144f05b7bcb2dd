// Preloaded by `npm run bench` (NODE_OPTIONS=--require) into every Node
// process of a measured command (npm, the synth, AWS CDK's app): at exit it
// appends its own peak resident memory (getrusage maxrss, KiB) to
// $BENCH_RSS_FILE, so the benchmark reports exact per-process peaks.
const fs = require("fs");

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      fs.appendFileSync(file, `${JSON.stringify({ pid: process.pid, maxRssKb: process.resourceUsage().maxRSS, argv: process.argv.slice(1, 3) })}\n`);
    } catch {
      // the measurement is best effort; never fail the measured command
    }
  });
}
