/**
 * Scores the scanner on a labelled folder of skills and prints recall at the expected
 * severity, recall at high or above, blocked count, benign alarms, speed and p95 latency.
 *
 *   npx tsx bench/scanner-eval.ts <folder> [--labels labels.json] [--json] [--misses]
 *   npx tsx bench/scanner-eval.ts <folder> --all malicious|benign [--expected high] [--limit N]
 *
 * Labels: {"skills":[{"path":"malicious/x","label":"malicious","expected":"critical"},
 * {"path":"benign/y","label":"benign","maxAcceptable":"medium"}]}; without --labels,
 * <folder>/labels.json is used when it exists. `--all` is the adapter for public corpora:
 * every skill (a folder holding SKILL.md) under <folder> gets that label. Speed is CPU time of
 * scanSkill per skill (reading files excluded), so other load on the machine does not count. `--scanner F`
 * loads another copy of the scanner (to score the version before a change).
 * `--warm` scans everything once untimed first (steady-state speed). `--misses` lists each
 * miss and each alarm by path: never use it on a blind set. `--by-category` adds one line per
 * label category (counts only, no paths), so a held-out set can show where recall does not move.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { readSkillDir } from "../scanner/read-dir.js";
import type { ScanInput, ScanPolicy, Severity, SkillScan } from "../scanner/types.js";

const RANK: Record<Severity | "none", number> = { critical: 4, high: 3, medium: 2, low: 1, none: 0 };

interface Label {
  path: string;
  label: "malicious" | "benign";
  expected?: Severity;
  maxAcceptable?: Severity;
  category?: string;
}

interface Outcome {
  label: Label;
  top: Severity | "none";
  blocked: boolean;
  ms: number;
  bytes: number;
}

function usage(message: string): never {
  process.stderr.write(`scanner-eval: ${message}\n`);
  process.exit(2);
}

/** Every folder at or below `dir` that holds a SKILL.md (not looking inside a skill). */
function skillDirs(dir: string): string[] {
  const names = readdirSync(dir, { withFileTypes: true });
  if (names.some((e) => e.isFile() && e.name.toLowerCase() === "skill.md")) return [dir];
  return names.filter((e) => e.isDirectory() && e.name !== ".git" && e.name !== "node_modules").flatMap((e) => skillDirs(join(dir, e.name)));
}

function labelsOf(root: string, file: string | undefined, all: string | undefined, expected: Severity, limit: number): Label[] {
  if (all) {
    if (all !== "malicious" && all !== "benign") usage("--all must be malicious or benign");
    const dirs = skillDirs(root).slice(0, limit);
    return dirs.map((d) => (all === "malicious" ? { path: relative(root, d) || ".", label: "malicious", expected } : { path: relative(root, d) || ".", label: "benign", maxAcceptable: "medium" }));
  }
  const path = file ?? join(root, "labels.json");
  if (!existsSync(path)) usage(`no labels: ${path} does not exist (give --labels or --all)`);
  const data = JSON.parse(readFileSync(path, "utf8")) as { skills?: Label[] };
  if (!Array.isArray(data.skills)) usage(`${path}: expected {"skills":[...]}`);
  return data.skills;
}

function topSeverity(scan: SkillScan): Severity | "none" {
  let best: Severity | "none" = "none";
  for (const f of scan.findings) if (!f.suppressed && RANK[f.severity] > RANK[best]) best = f.severity;
  return best;
}

/** One line per category: malicious at expected / high+ / blocked, benign high+ / blocked. */
function byCategory(outcomes: Outcome[]): string[] {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const key = `${o.label.label} ${o.label.category ?? "(none)"}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  return [...groups.keys()].sort().map((key) => {
    const group = groups.get(key)!;
    const high = group.filter((o) => RANK[o.top] >= RANK.high).length;
    const blocked = group.filter((o) => o.blocked).length;
    if (key.startsWith("benign ")) return `  ${key}: high+ ${high}/${group.length}, blocked ${blocked}`;
    const atExpected = group.filter((o) => RANK[o.top] >= RANK[o.label.expected ?? "high"]).length;
    return `  ${key}: at expected ${atExpected}/${group.length}, high+ ${high}, blocked ${blocked}`;
  });
}

const HELP = `usage: npx tsx bench/scanner-eval.ts <folder> [--labels labels.json] [--json] [--misses] [--by-category] [--warm] [--scanner F]
       npx tsx bench/scanner-eval.ts <folder> --all malicious|benign [--expected high] [--limit N]

Scores the scanner on a labelled folder of skills: recall at the expected severity, at high or
above, blocked, benign alarms, speed (CPU time) and p95 latency. --misses lists misses and alarms
by path (never on a held-out set); --by-category counts each label category (safe on one).

examples:
  npx tsx bench/scanner-eval.ts test/fixtures/scanner/blind4
  npx tsx bench/scanner-eval.ts ../corpora/anthropics-skills --all benign --json
`;

/** The command line, or a one-line usage error (exit 2) instead of parseArgs' stack trace. */
function parseCommandLine(): ReturnType<typeof parseOptions> {
  try {
    return parseOptions();
  } catch (error) {
    usage(`${(error as Error).message.split(". ")[0]} (see --help)`);
  }
}

function parseOptions() {
  return parseArgs({
    allowPositionals: true,
    options: {
      help: { type: "boolean", short: "h" },
      labels: { type: "string" },
      json: { type: "boolean" },
      all: { type: "string" },
      expected: { type: "string" },
      limit: { type: "string" },
      scanner: { type: "string" },
      misses: { type: "boolean" },
      warm: { type: "boolean" },
      "by-category": { type: "boolean" },
    },
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  if (positionals.length !== 1) usage("give exactly one folder");
  const root = resolve(positionals[0]!);
  const expected = (values.expected ?? "high") as Severity;
  if (!(expected in RANK)) usage("--expected must be critical, high, medium or low");
  const scannerPath = values.scanner ? pathToFileURL(resolve(values.scanner)).href : "../scanner/index.js";
  const { scanSkill } = (await import(scannerPath)) as { scanSkill: (input: ScanInput, policy?: ScanPolicy) => SkillScan };
  const labels = labelsOf(root, values.labels, values.all, expected, values.limit ? Number(values.limit) : Infinity);

  // --warm: one untimed pass first, so the timings are the steady state (not JIT and grammar warm-up).
  if (values.warm) for (const label of labels) scanSkill({ path: label.path, files: (await readSkillDir(join(root, label.path))).files });
  const outcomes: Outcome[] = [];
  for (const label of labels) {
    const dir = join(root, label.path);
    if (!existsSync(dir)) usage(`${label.path}: no such folder under ${root}`);
    const input = await readSkillDir(dir);
    const bytes = input.files.reduce((n, f) => n + f.bytes.length, 0);
    // CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
    const t0 = process.cpuUsage();
    const scan = scanSkill({ path: label.path, files: input.files });
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    outcomes.push({ label, top: topSeverity(scan), blocked: scan.decision === "blocked", ms, bytes });
  }

  const mal = outcomes.filter((o) => o.label.label === "malicious");
  const ben = outcomes.filter((o) => o.label.label === "benign");
  const times = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const totalMs = times.reduce((a, b) => a + b, 0);
  const totalBytes = outcomes.reduce((n, o) => n + o.bytes, 0);
  const result = {
    folder: positionals[0],
    malicious: {
      total: mal.length,
      atExpected: mal.filter((o) => RANK[o.top] >= RANK[o.label.expected ?? "high"]).length,
      highPlus: mal.filter((o) => RANK[o.top] >= RANK.high).length,
      blocked: mal.filter((o) => o.blocked).length,
    },
    benign: {
      total: ben.length,
      highPlus: ben.filter((o) => RANK[o.top] >= RANK.high).length,
      blocked: ben.filter((o) => o.blocked).length,
      overAcceptable: ben.filter((o) => RANK[o.top] > RANK[o.label.maxAcceptable ?? "medium"]).length,
    },
    speed: {
      mbPerSecond: totalMs > 0 ? Number((totalBytes / 1048576 / (totalMs / 1000)).toFixed(1)) : 0,
      p95Ms: Number((times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0).toFixed(1)),
      maxMs: Number((times[times.length - 1] ?? 0).toFixed(1)),
    },
  };
  if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + "\n");
  else {
    const m = result.malicious;
    const b = result.benign;
    const out = [`${result.folder}`];
    if (m.total) out.push(`  malicious ${m.total}: at expected ${m.atExpected}/${m.total}, high+ ${m.highPlus}/${m.total}, blocked ${m.blocked}/${m.total}`);
    if (b.total) out.push(`  benign ${b.total}: high+ ${b.highPlus}/${b.total}, blocked ${b.blocked}/${b.total}, over maxAcceptable ${b.overAcceptable}/${b.total}`);
    out.push(`  speed ${result.speed.mbPerSecond} MB/s, p95 ${result.speed.p95Ms} ms, max ${result.speed.maxMs} ms a skill (CPU time)`);
    process.stdout.write(out.join("\n") + "\n");
  }
  if (values["by-category"]) process.stdout.write(byCategory(outcomes).join("\n") + "\n");
  if (values.misses) {
    for (const o of mal) if (RANK[o.top] < RANK[o.label.expected ?? "high"]) process.stdout.write(`  miss  ${o.label.path}: ${o.top}, expected ${o.label.expected ?? "high"}\n`);
    for (const o of ben) if (RANK[o.top] >= RANK.high) process.stdout.write(`  alarm ${o.label.path}: ${o.top}${o.blocked ? " (blocked)" : ""}\n`);
  }
}

await main();
