#!/usr/bin/env node
/**
 * The scanner on its own: `npx @skillreg/scanner <dir>... [--format text|json|sarif]`.
 * Scans every skill (folder holding SKILL.md) at or below each folder, reading symbolic links
 * as links and large files in part (scanner/read-dir.ts). Exit 0 nothing blocked, 1 something
 * blocked, 2 bad usage or unreadable input (one line on stderr).
 */
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { scanSkill } from "./engine.js";
import { readSkillDir } from "./read-dir.js";
import { renderJson } from "./report/json.js";
import { renderSarif } from "./report/sarif.js";
import { renderText } from "./report/text.js";
import type { SkillScan } from "./types.js";

const HELP = `Usage: skillreg-scanner <dir>... [--format text|json|sarif]

Scan every skill (a folder holding SKILL.md) at or below each dir for malicious or risky
content. Decision per skill: critical = blocked, high = review, medium = flagged, else pass.

Options:
  --format F   text (default), json or sarif (SARIF 2.1.0)
  --json       same as --format json
  -h, --help   show this help

Exit status: 0 nothing blocked, 1 something blocked, 2 bad usage or unreadable input.
`;

class UsageError extends Error {}

async function skillDirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === "SKILL.md")) return [dir];
  const nested = await Promise.all(entries.filter((e) => e.isDirectory() && e.name !== ".git" && e.name !== "node_modules").map((e) => skillDirs(join(dir, e.name))));
  return nested.flat();
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const format = values.json ? "json" : (values.format ?? "text");
  if (!["text", "json", "sarif"].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  if (positionals.length === 0) throw new UsageError("give at least one folder to scan; see --help");
  const scans: SkillScan[] = [];
  for (const target of positionals) {
    const st = await stat(target).catch(() => undefined);
    if (!st?.isDirectory()) throw new UsageError(`${target}: not a folder`);
    const dirs = await skillDirs(target);
    if (dirs.length === 0) throw new UsageError(`${target}: no SKILL.md at or below this folder`);
    for (const dir of dirs) {
      const input = await readSkillDir(dir);
      const shown = relative(process.cwd(), dir) || ".";
      const scan = scanSkill({ path: shown, files: input.files });
      scans.push({ ...scan, skipped: [...scan.skipped, ...input.unread] });
    }
  }
  process.stdout.write(format === "json" ? renderJson(scans) : format === "sarif" ? renderSarif(scans) : renderText(scans));
  return scans.some((s) => s.decision === "blocked") ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof UsageError ? e.message : `cannot scan: ${(e as Error).message}`;
    process.stderr.write(`skillreg-scanner: ${message.split("\n")[0]}\n`);
    if (process.env.SKILLREG_DEBUG === "1") process.stderr.write(`${(e as Error).stack ?? ""}\n`);
    process.exit(2);
  },
);
