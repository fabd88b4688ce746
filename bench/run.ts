/**
 * `npm run bench [name...] [-- --large]`: runs every bench/<name>.bench.ts (or the named ones)
 * one after another, each in its own process so peak memory (ru_maxrss) is its own. Each
 * benchmark measures its baseline in the same run and prints `target <name>: <measured> <op>
 * <goal> ok|short` lines (bench/targets.ts); this runner repeats them all at the end as one
 * table. `--large` adds the heavy sizes (100,000 skills). Nothing here asserts times.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const large = process.argv.includes("--large");
const wanted = process.argv.slice(2).filter((a) => a !== "--large");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, "")))
  .sort();

if (files.length === 0) {
  console.error(`bench: nothing matches ${wanted.join(", ")}`);
  process.exit(2);
}

/** Run one bench, echoing its output and keeping its `target ...` lines. */
function runBench(file: string): Promise<{ status: number | null; targets: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", `${dir}/${file}`, ...(large ? ["--large"] : [])], { stdio: ["ignore", "pipe", "inherit"] });
    const targets: string[] = [];
    let pending = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString("utf8")).split("\n");
      pending = lines.pop()!;
      targets.push(...lines.filter((l) => l.startsWith("target ")));
    });
    child.on("close", (status) => {
      if (pending.startsWith("target ")) targets.push(pending);
      resolve({ status, targets });
    });
  });
}

// The pull and start benches run the built CLI (bin/skillreg.js -> dist/): build the sources first.
const build = spawnSync("npm", ["run", "--silent", "build"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "inherit" });
if (build.status !== 0) {
  console.error("bench: npm run build failed");
  process.exit(1);
}
const started = Date.now();
let failed = 0;
const table: string[] = [];
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, "");
  console.log(`\n=== ${name} ===`);
  const r = await runBench(file);
  if (r.status !== 0) {
    failed++;
    table.push(`bench ${name} failed (exit ${r.status})`);
  }
  table.push(...r.targets);
}
console.log(`\n=== targets (${new Date().toISOString().slice(0, 10)}, ${cpus().length} x ${cpus()[0]?.model.trim() ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${((Date.now() - started) / 60_000).toFixed(1)} min${large ? ", --large" : ""}) ===`);
for (const line of table) console.log(line);
process.exit(failed ? 1 : 0);
