import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { runCli } from "../helpers/cli.js";

export function gitOut(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

/** Every file under `dir` (but .git) with its content: compared before and after a refusal. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (name === ".git") continue;
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  out["HEAD"] = gitOut(dir, "rev-parse", "HEAD");
  out["status"] = gitOut(dir, "status", "--porcelain");
  return out;
}

/** A fresh registry made through the CLI, with admin `alice`. */
export async function makeRegistry(parent: string, name = "reg"): Promise<string> {
  const dir = join(parent, name);
  const r = await runCli(["init", dir, "--name", "acme-skills", "--admin", "alice"]);
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return dir;
}

/** Assert the CLI refused with exit 2 and exactly one error line; returns that line. */
export function oneLineError(r: { code: number; stderr: string }): string {
  const lines = r.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("›"));
  if (r.code !== 2 || lines.length !== 1 || !lines[0]!.startsWith("skillreg: error: ")) {
    throw new Error(`expected one error line and exit 2, got exit ${r.code}:\n${r.stderr}`);
  }
  return lines[0]!.slice("skillreg: error: ".length);
}
