/**
 * `npm run bench start`: how long the built CLI takes to start, against a bare Node. Runs
 * `node bin/skillreg.js pull --help` and `node -e 0` alternately (so load on the machine hits
 * both alike) and compares the medians. The bin runs the esbuild bundle in dist/, which
 * bench/run.ts builds first so the bench measures the current sources.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, reportTarget } from "./targets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = 21;

function timed(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${String(r.stderr).slice(0, 300)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const bin = join(ROOT, "bin/skillreg.js");
timed([bin, "pull", "--help"]); // warm the page cache
const bare: number[] = [];
const cli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(timed(["-e", "0"]));
  cli.push(timed([bin, "pull", "--help"]));
}
console.log(`node -e 0                 median ${median(bare).toFixed(0)} ms`);
console.log(`skillreg pull --help      median ${median(cli).toFixed(0)} ms`);
reportTarget("cli-start-vs-node", median(cli) / median(bare), "<=", 3.5, "x", 1);
