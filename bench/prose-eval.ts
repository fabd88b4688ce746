/**
 * Prose yardstick: rebuilds the 84 injected skills of Skill-Inject (arXiv 2602.20156) from a
 * checkout of `aisa-group/skill-inject` exactly as its own `build_sandbox.py` does (the
 * injection's line at `line_num` of the first task's SKILL.md, with its prefix; its task scripts
 * under `scripts/`), scans them, and prints how many reach high or above. Then it scans every
 * skill (a folder holding SKILL.md) of the given real collections and prints blocks and highs.
 * Nothing is written outside a temporary folder; the corpora are read, never copied elsewhere.
 *
 *   npx tsx bench/prose-eval.ts --skill-inject <git dir> [--collection <git dir>]... [--verbose]
 *
 * Until `bench/scanner-eval.ts` scores labelled folders, this is the prose half's scorecard.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import { scanSkill, type SkillScan } from "../scanner/index.js";

interface InjectionTask {
  skill: string;
  line_num?: number;
  injection_prefix?: string;
}
interface Injection {
  id: number;
  title: string;
  instructions: { line_injection?: string };
  task_scripts?: Record<string, string>;
  tasks: InjectionTask[];
}

/** Skill-Inject's `config.py` SKILL_MAPPING: task skill names to folders under data/skills. */
const SKILL_MAPPING: Record<string, string> = {
  pptx: "document-skills/pptx", docx: "document-skills/docx", xlsx: "document-skills/xlsx", pdf: "document-skills/pdf",
  internal_comms: "internal-comms", internal_communication: "internal-comms", code: "skill-creator",
  email: "email-api", fhir: "healthcare/fhir-developer-skill", "fhir-developer-skill": "healthcare/fhir-developer-skill",
  slack: "slack-gif-creator", webapp: "webapp-testing",
};

function exportRepo(gitDir: string): string {
  const out = mkdtempSync(join(tmpdir(), "prose-eval-"));
  const tar = execFileSync("git", ["--git-dir", gitDir, "archive", "HEAD"], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", out], { input: tar, maxBuffer: 1 << 30 });
  return out;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === ".git" || name === "node_modules") continue;
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) walk(p, out);
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function scanFolder(dir: string, label: string): SkillScan {
  const files = walk(dir).map((p) => ({ path: relative(dir, p).split("\\").join("/"), bytes: new Uint8Array(readFileSync(p)) }));
  return scanSkill({ path: label, files });
}

/** build_sandbox.py's inject_at_line: each stripped line of the text inserted before `line`. */
function injectAtLine(text: string, instruction: string, line: number): string {
  const lines = text.split(/(?<=\n)/);
  const block = instruction.replace(/^\n+|\n+$/g, "").split("\n").map((raw) => (raw.trim() ? `${raw.trim()}\n` : "\n"));
  return [...lines.slice(0, line - 1), ...block, ...lines.slice(line - 1)].join("");
}

interface Injected {
  id: string;
  title: string;
  scan: SkillScan;
  /** A high+ finding sits on the injected lines or in an injected script (not in the base skill). */
  attributed: boolean;
}

const HIGH_SEVERITIES = new Set(["critical", "high"]);

function skillInject(root: string): { injected: Injected[]; bases: { skill: string; scan: SkillScan }[] } {
  const data = join(root, "data");
  const results: Injected[] = [];
  const bases = new Map<string, SkillScan>();
  for (const set of ["obvious", "contextual"] as const) {
    const injections = JSON.parse(readFileSync(join(data, `${set}_injections.json`), "utf8")) as Injection[];
    for (const inj of injections) {
      const task = inj.tasks[0];
      if (!task) continue;
      const work = mkdtempSync(join(tmpdir(), "prose-eval-skill-"));
      const src = join(data, "skills", SKILL_MAPPING[task.skill] ?? task.skill);
      for (const p of walk(src)) {
        const dst = join(work, relative(src, p));
        mkdirSync(join(dst, ".."), { recursive: true });
        copyFileSync(p, dst);
      }
      if (!bases.has(task.skill)) bases.set(task.skill, scanFolder(work, task.skill));
      const line = (task.injection_prefix ?? "") + (inj.instructions.line_injection ?? "");
      let injectedLines: [number, number] = [0, -1];
      if (line && task.line_num) {
        const skillMd = join(work, "SKILL.md");
        writeFileSync(skillMd, injectAtLine(readFileSync(skillMd, "utf8"), line, task.line_num));
        injectedLines = [task.line_num, task.line_num + line.replace(/^\n+|\n+$/g, "").split("\n").length - 1];
      }
      const scripts = new Set<string>();
      for (const [name, rel] of Object.entries(inj.task_scripts ?? {})) {
        mkdirSync(join(work, "scripts"), { recursive: true });
        copyFileSync(join(data, rel), join(work, "scripts", name));
        scripts.add(`scripts/${name}`);
      }
      const scan = scanFolder(work, `${set}-${inj.id}`);
      const attributed = scan.findings.some((f) => HIGH_SEVERITIES.has(f.severity) && (scripts.has(f.file) || (f.file === "SKILL.md" && f.line >= injectedLines[0] && f.line <= injectedLines[1])));
      results.push({ id: `${set}-${inj.id}`, title: inj.title, scan, attributed });
      rmSync(work, { recursive: true, force: true });
    }
  }
  return { injected: results, bases: [...bases].map(([skill, scan]) => ({ skill, scan })) };
}

function skillFolders(root: string): string[] {
  return walk(root).filter((p) => basename(p) === "SKILL.md").map((p) => join(p, ".."));
}

const HIGH_PLUS = new Set(["blocked", "review"]);

function top(scan: SkillScan): string {
  const f = scan.findings.filter((x) => !x.suppressed).sort((a, b) => ["critical", "high", "medium", "low"].indexOf(a.severity) - ["critical", "high", "medium", "low"].indexOf(b.severity))[0];
  return f ? `${f.severity} ${f.ruleId} ${f.file}:${f.line} ${f.evidence.slice(0, 90).replace(/\s+/g, " ")}` : "-";
}

function main(): void {
  const args = process.argv.slice(2);
  const verbose = args.includes("--verbose");
  const collections: string[] = [];
  let inject: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--skill-inject") inject = args[++i];
    else if (args[i] === "--collection") collections.push(args[++i]!);
  }
  if (inject) {
    const root = exportRepo(inject);
    try {
      const { injected: res, bases } = skillInject(root);
      const hit = res.filter((r) => HIGH_PLUS.has(r.scan.decision));
      console.log(`Skill-Inject: ${hit.length}/${res.length} at high or above (${res.filter((r) => r.scan.decision === "blocked").length} blocked); ${res.filter((r) => r.attributed).length}/${res.length} with a high+ finding on the injected text or script`);
      const noisy = bases.filter((b) => HIGH_PLUS.has(b.scan.decision));
      console.log(`Skill-Inject base skills without injection: ${noisy.length}/${bases.length} at high or above`);
      if (verbose) {
        for (const r of res) console.log(`  ${r.attributed ? "+" : HIGH_PLUS.has(r.scan.decision) ? "~" : "-"} ${r.id.padEnd(16)} ${r.scan.decision.padEnd(8)} ${r.title.slice(0, 40).padEnd(40)} ${top(r.scan)}`);
        for (const b of noisy) console.log(`  base ${b.skill.padEnd(30)} ${b.scan.decision.padEnd(8)} ${top(b.scan)}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  for (const gitDir of collections) {
    const root = exportRepo(gitDir);
    try {
      const scans = skillFolders(root).map((d) => scanFolder(d, relative(root, d) || "."));
      const blocked = scans.filter((s) => s.decision === "blocked");
      const review = scans.filter((s) => s.decision === "review");
      console.log(`${gitDir.replace(/\/repo$/, "").split("/").pop()}: ${scans.length} skills, ${blocked.length} blocked, ${review.length} review`);
      if (verbose) for (const s of [...blocked, ...review]) console.log(`  ${s.decision.padEnd(8)} ${s.path.slice(0, 50).padEnd(50)} ${top(s)}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
}

main();
