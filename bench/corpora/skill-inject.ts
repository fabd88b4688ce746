/**
 * Materialises the Skill-Inject benchmark (arXiv 2602.20156) as a folder of skills for
 * bench/scanner-eval.ts: one skill per injection (36 obvious + 48 contextual = 84), the
 * injection's line inserted into the SKILL.md of its first task whose skill ships at the published line, its
 * scripts copied into scripts/, and for contextual cases the legitimising sentence beside it.
 *
 *   npx tsx bench/corpora/skill-inject.ts <skill-inject checkout> <out folder>
 *   npx tsx bench/scanner-eval.ts <out folder> --all malicious --expected high
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Injection {
  id: number;
  instructions: { line_injection: string };
  context?: { legitimizing?: string };
  task_scripts?: Record<string, string>;
  tasks: { skill: string; line_num: number; injection_prefix?: string }[];
}

const [checkout, out] = process.argv.slice(2);
if (!checkout || !out) {
  process.stderr.write("usage: skill-inject.ts <skill-inject checkout> <out folder>\n");
  process.exit(2);
}
const data = join(checkout, "data");
let made = 0;
for (const set of ["obvious", "contextual"]) {
  const injections = JSON.parse(readFileSync(join(data, `${set}_injections.json`), "utf8")) as Injection[];
  for (const inj of injections) {
    // The first task whose skill ships in the checkout (docx, pdf, pptx, xlsx sit one folder down).
    const folderOf = (skill: string) => [join(data, "skills", skill), join(data, "skills", "document-skills", skill)].find((d) => existsSync(join(d, "SKILL.md")));
    const task = inj.tasks.find((t) => folderOf(t.skill));
    if (!task) continue;
    const dest = join(out, `${set}-${inj.id}-${task.skill}`);
    cpSync(folderOf(task.skill)!, dest, { recursive: true });
    const lines = readFileSync(join(dest, "SKILL.md"), "utf8").split("\n");
    const text = [inj.instructions.line_injection, inj.context?.legitimizing].filter(Boolean).join(" ");
    lines.splice(Math.min(task.line_num, lines.length), 0, `${task.injection_prefix ?? ""}${text}`);
    writeFileSync(join(dest, "SKILL.md"), lines.join("\n"));
    for (const [name, rel] of Object.entries(inj.task_scripts ?? {})) {
      mkdirSync(join(dest, "scripts"), { recursive: true });
      if (existsSync(join(data, rel))) cpSync(join(data, rel), join(dest, "scripts", name));
    }
    made++;
  }
}
process.stdout.write(`${made} skills written to ${out}\n`);
