import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { flag, str, type Command } from "../command.js";
import { skillTargets } from "../skill-dirs.js";
import { parseRegistryConfig } from "../../registry/core/index.js";
import { checkScanPolicy } from "../../registry/core/index.js";
import { SkillregError, UsageError } from "../../registry/core/index.js";
import { writeFileAtomic } from "../../registry/core/index.js";
import { DEFAULT_LIMITS, readFileHead, readSkillFiles, type SkillLimits } from "../../registry/core/index.js";
import { printable, scanCacheFor } from "../../registry/core/index.js";
import {
  LlmConfigError,
  RULES,
  SEVERITIES,
  countsTowardDecision,
  llmConfigFromEnv,
  reviewWithLlm,
  renderJson,
  renderMarkdown,
  renderSarif,
  renderText,
  summaryLine,
  type ScanInput,
  type ScanPolicy,
  type Severity,
  type SkillScan,
  type TextColors,
} from "@skillreg/scanner";
import { openScanPool } from "@skillreg/scanner/pool";

const FORMATS = ["text", "json", "sarif", "markdown"] as const;
type Format = (typeof FORMATS)[number];
const FAIL_ON = [...SEVERITIES, "none"] as const;

export const command: Command = {
  name: "scan",
  summary: "Scan skills for malicious or risky content",
  help: `Usage: skillreg scan <dir>... [--format text|json|sarif|markdown] [--output F]
                     [--fail-on critical|high|medium|low|none] [--policy skillreg.yaml]
       skillreg scan --list-rules [--json]

Scan every skill (folder holding SKILL.md) at or below each dir with the security scanner:
instruction overrides and concealment, hidden text, remote instructions, download- and
decode-and-execute, reverse shells, credential and environment access, exfiltration,
destructive commands, privilege escalation, agent tampering, persistence, mining,
hard-coded secrets, supply chain, manifest and guardrails problems.

Each skill gets a decision from its strongest finding: critical = blocked, high = review,
medium = flagged, low = pass. A finding is suppressed by a comment on the line before it:
  # skillreg-ignore: SR-XXX-NNN why this is fine
(suppressed findings stay in every report, marked with the reason; a suppressed high still
needs review and a critical is never suppressed).

Options:
  --format F      text (default), json, sarif (SARIF 2.1.0) or markdown
  --json          same as --format json
  --output F      write the report to file F instead of stdout
  --fail-on S     exit 1 when a finding is at least S (default critical; none never fails)
  --policy F      apply policy.rules (and limits) from a skillreg.yaml
  --llm           also ask the semantic reviewer configured by SKILLREG_LLM_URL,
                  SKILLREG_LLM_KEY, SKILLREG_LLM_MODEL and SKILLREG_LLM_PROVIDER
                  (anthropic or openai); it can only add findings, at most high
  --list-rules    print the rule table (id, severity, category, title)
  -h, --help      show this help

32 skills or more are scanned in worker threads, one per core (at most 8); the report is
the same as from one thread. SKILLREG_SCAN_THREADS=N sets how many (1: the command's own).

Exit status: 0 nothing at or above --fail-on, 1 something is, 2 bad usage or unreadable input.`,
  options: {
    format: { type: "string" },
    json: { type: "boolean" },
    output: { type: "string" },
    "fail-on": { type: "string" },
    policy: { type: "string" },
    llm: { type: "boolean" },
    "list-rules": { type: "boolean" },
  },
  async run(args, ctx) {
    const format = (flag(args, "json") ? "json" : (str(args, "format") ?? "text")) as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not '${format}'`);
    const failOn = str(args, "fail-on") ?? "critical";
    if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}, not '${failOn}'`);

    if (flag(args, "list-rules")) {
      if (format === "json") ctx.out.json(RULES.map((r) => ({ id: r.id, severity: r.severity, category: r.category, title: r.title, fix: r.fix })));
      else for (const r of RULES) ctx.out.line(`${r.id.padEnd(18)} ${r.severity.padEnd(8)} ${r.category.padEnd(22)} ${r.title}`);
      return 0;
    }
    if (args.positionals.length === 0) throw new UsageError("give at least one folder to scan; see 'skillreg scan --help'");

    const threads = scanThreads(ctx.env);
    const { policy, limits } = await loadPolicy(str(args, "policy"), ctx.cwd);
    const llm = flag(args, "llm") ? llmConfig(ctx.env) : undefined;
    const skills: Awaited<ReturnType<typeof skillTargets>> = [];
    for (const target of args.positionals) {
      const found = await skillTargets(target, ctx.cwd);
      if (found.length > 1) ctx.out.progress(`scanning ${found.length} skills under ${printable(target)}`);
      skills.push(...found);
    }
    // Worker threads load the scanner each (about 200 ms of CPU): worth it over several skills only.
    const pool = threads > 1 && skills.length >= MIN_SKILLS_FOR_POOL ? openScanPool(threads) : undefined;
    const scans: SkillScan[] = [];
    try {
      // The next skills' files are read while this one is scanned: each file is several trips
      // to the thread pool, which a single reader would wait on one after another.
      const reads: Promise<Awaited<ReturnType<typeof readSkillFiles>>>[] = [];
      const readAhead = (i: number) => {
        for (let j = reads.length; j < Math.min(skills.length, i + READ_AHEAD + (pool?.size ?? 0)); j++) {
          reads.push(readSkillFiles(skills[j]!.dir, limits));
          // Awaited in order below; until then, a failure must not end the process as unhandled.
          reads[j]!.catch(() => undefined);
        }
      };
      // Scans under way, oldest first: each worker has one to do and one waiting. Reports keep the skills' order.
      const scanning: { dir: string; input: ScanInput; problems: { file: string; message: string }[]; scan: Promise<SkillScan> }[] = [];
      const finish = async () => {
        const { dir, input, problems, scan: pending } = scanning.shift()!;
        let scan = await pending;
        if (llm) {
          const reviewed = await reviewWithLlm(input, scan, llm);
          if (reviewed.warning) ctx.out.warn(reviewed.warning);
          scan = reviewed.scan;
        }
        // Files the reader refused (too large, links, special files) were not scanned: say so.
        const unread = problems.map((p) => ({ file: printable(relative(dir, p.file) || "."), reason: p.message }));
        scans.push({ ...scan, skipped: [...scan.skipped, ...unread] });
      };
      for (const [i, { dir, shown }] of skills.entries()) {
        readAhead(i);
        const { files, problems, links, oversized } = await reads[i]!;
        delete reads[i];
        // Links are judged by their target and large files scanned in part: refusing to read them must not pass them.
        const extra = [
          ...links.map((l) => ({ path: l.path, bytes: new Uint8Array(0), symlink: l.target })),
          ...(await Promise.all(oversized.map(async (o) => ({ path: o.path, bytes: await readFileHead(join(dir, o.path), SCAN_HEAD_BYTES), size: o.size })))),
        ];
        const input = { path: shown(dir), files: [...files, ...extra] };
        // By the files' git tree id: a skill scanned before (here, by push or by the gate) is not scanned again.
        const scan = scanCacheFor(ctx.env).scanWith(input, policy, pool?.scan);
        // Awaited in order by finish(); a failure before then must not end the process as unhandled.
        scan.catch(() => undefined);
        scanning.push({ dir, input, problems, scan });
        if (scanning.length > 2 * (pool?.size ?? 0)) await finish();
      }
      while (scanning.length > 0) await finish();
    } finally {
      await pool?.close();
    }

    const output = str(args, "output");
    if (output === undefined) ctx.stdout.write(render(scans, format, ctx.out.color));
    else {
      // A file gets no colour codes, whatever the terminal.
      await writeReport(resolve(ctx.cwd, output), render(scans, format, undefined));
      ctx.out.line(`wrote ${output}: ${summaryLine(scans)}`);
    }
    if (failOn === "none") return 0;
    const threshold = SEVERITIES.indexOf(failOn as Severity);
    const failing = scans.some((s) => s.findings.some((f) => countsTowardDecision(f) && SEVERITIES.indexOf(f.severity) <= threshold));
    return failing ? 1 : 0;
  },
};

/** Skills whose files are read ahead of the one being scanned (the scan waits on none of them). */
const READ_AHEAD = 4;

/**
 * Below this many skills a command scans in its own thread: each worker loads the scanner
 * again, and over a few skills one large skill sets the time anyway (anthropics/skills, 18
 * skills with one of 0.8 MB: 15-16.5 s in one thread, 18.8-19.2 s with two, at load 19-20).
 */
const MIN_SKILLS_FOR_POOL = 32;

/** Threads a command scans with unless SKILLREG_SCAN_THREADS says: one per core, at most this many (each holds a scanner). */
const MAX_DEFAULT_THREADS = 8;

/** SKILLREG_SCAN_THREADS (1 scans in the command's own thread), else one thread per core up to MAX_DEFAULT_THREADS. */
function scanThreads(env: NodeJS.ProcessEnv): number {
  const given = env.SKILLREG_SCAN_THREADS;
  if (given === undefined || given === "") return Math.min(MAX_DEFAULT_THREADS, availableParallelism());
  if (!/^[1-9]\d{0,2}$/.test(given)) throw new UsageError(`SKILLREG_SCAN_THREADS must be a whole number from 1 to 999, not '${given}'`);
  return Number(given);
}

/** How much of a file over the registry's size limit the scanner still reads. */
const SCAN_HEAD_BYTES = 64 * 1024 * 1024;

function llmConfig(env: NodeJS.ProcessEnv) {
  try {
    const config = llmConfigFromEnv(env);
    if (!config) throw new UsageError("--llm needs an endpoint: set SKILLREG_LLM_URL and SKILLREG_LLM_KEY (and SKILLREG_LLM_MODEL, SKILLREG_LLM_PROVIDER)");
    return config;
  } catch (e) {
    if (e instanceof LlmConfigError) throw new UsageError(e.message);
    throw e;
  }
}

function render(scans: SkillScan[], format: Format, color: TextColors | undefined): string {
  switch (format) {
    case "json":
      return renderJson(scans);
    case "sarif":
      return renderSarif(scans);
    case "markdown":
      return renderMarkdown(scans);
    case "text":
      return renderText(scans, { color });
  }
}

/** policy.rules and limits from a skillreg.yaml; an invalid override is an error naming the rule. */
async function loadPolicy(file: string | undefined, cwd: string): Promise<{ policy: ScanPolicy; limits: SkillLimits }> {
  if (file === undefined) return { policy: {}, limits: DEFAULT_LIMITS };
  let bytes: Uint8Array;
  try {
    bytes = await readFile(resolve(cwd, file));
  } catch (e) {
    throw new SkillregError(`${file}: cannot read the policy file (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const config = parseRegistryConfig(bytes, file);
  checkScanPolicy(config, file);
  return { policy: { rules: config.policy.rules }, limits: config.limits };
}

/** Written atomically, so a failed run never leaves half a report. */
async function writeReport(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomic(path, text);
  } catch (e) {
    throw new SkillregError(`${path}: cannot write the report (${(e as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
