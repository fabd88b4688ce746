import { chmod, mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { noExtraArguments, str, type Command } from "../command.js";
import { SkillregError, UsageError } from "../../registry/core/index.js";
import { skillNameProblem } from "../../registry/core/index.js";
import { scaffoldSkill } from "../../registry/core/index.js";

export const command: Command = {
  name: "new",
  summary: "Scaffold a new skill folder with a valid SKILL.md",
  help: `Usage: skillreg new <name> [--dir D] [--description TEXT]

Create D/<name>/ holding a SKILL.md that validates (name, description, allowed-tools,
metadata.version 0.1.0 and a '## Guardrails' section) and scripts/summarize.sh, a small
example script the SKILL.md refers to. Edit both, then run 'skillreg validate D/<name>'.

<name> is 1-64 lowercase letters, digits and hyphens, with no leading, trailing or double
hyphen. The folder must not exist yet or be empty; nothing is written otherwise.

Options:
  --dir D              the folder to create the skill in (default: the current folder)
  --description TEXT   what the skill does and when to use it (1-1024 characters)
  -h, --help           show this help

Exit status: 0 created, 2 bad name, existing folder or unwritable location.`,
  options: {
    dir: { type: "string" },
    description: { type: "string" },
  },
  async run(args, ctx) {
    const [name] = args.positionals;
    if (name === undefined) throw new UsageError("missing <name>; usage: skillreg new <name> [--dir D]");
    noExtraArguments(args, 1, "usage: skillreg new <name> [--dir D]");
    const nameProblem = skillNameProblem(name);
    if (nameProblem) throw new UsageError(`invalid skill name: ${nameProblem}`);
    const description = str(args, "description") ?? `Describe what ${name} does and when an agent should use it.`;
    if (description.trim() === "" || description.length > 1024) {
      throw new UsageError(`--description must be 1-1024 characters (got ${description.length})`);
    }

    const parent = resolve(ctx.cwd, str(args, "dir") ?? ".");
    const target = join(parent, name);
    const shown = relative(ctx.cwd, target) || ".";
    const existing = await readdir(target).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [];
      throw new SkillregError(`${shown}: exists and is not a readable folder (${e.code ?? "error"}); choose another --dir or name`);
    });
    if (existing.length > 0) throw new SkillregError(`${shown}: folder exists and is not empty; choose another --dir or name, or remove it`);

    // Write into a sibling temporary folder and rename it into place, so a failure leaves nothing behind.
    await mkdir(parent, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
      throw new SkillregError(`${relative(ctx.cwd, parent) || "."}: cannot create the folder (${e.code ?? "error"})`);
    });
    const staging = await mkdtemp(join(parent, `.${name}.new-`));
    try {
      for (const file of scaffoldSkill(name, description)) {
        await mkdir(join(staging, file.path, ".."), { recursive: true });
        await writeFile(join(staging, file.path), file.text, { mode: file.executable ? 0o755 : 0o644 });
      }
      // mkdtemp makes the folder private (0700); a skill folder is ordinary, readable content.
      await chmod(staging, 0o755);
      await rename(staging, target);
    } catch (e) {
      await rm(staging, { recursive: true, force: true });
      throw new SkillregError(`${shown}: cannot write the skill (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    ctx.out.line(`Created ${shown}/ with SKILL.md and scripts/summarize.sh`);
    ctx.out.line(`Next: edit ${join(shown, "SKILL.md")}, then run 'skillreg validate ${shown}'`);
    return 0;
  },
};
