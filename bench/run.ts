/**
 * `npm run bench [name...]`: runs every bench/<name>.bench.ts (or the named ones) one after
 * another, each in its own process so peak memory (ru_maxrss) is its own. Each benchmark
 * compares against a baseline in the same run and prints ratios; nothing here asserts times.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, "")))
  .sort();

if (files.length === 0) {
  console.error(`bench: nothing matches ${wanted.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file.replace(/\.bench\.ts$/, "")} ===`);
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", `${dir}/${file}`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
