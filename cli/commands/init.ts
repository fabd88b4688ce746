import { resolve } from "node:path";
import { noExtraArguments, printResult, seeHelp, str, strList, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { initRegistry } from "../../registry/publish/index.js";
import { skillregVersion } from "../../registry/core/index.js";

export const command: Command = {
  name: "init",
  summary: "Create a new registry: a Git repository with the SkillReg layout",
  help: `Usage: skillreg init <dir> --name <registry-name> --admin <principal> [--admin ...] [options]

Creates <dir> (it must be new or empty) as a Git repository on branch main with
skillreg.yaml, scopes/, skills/, publish/, allowed_signers, a generated
.github/CODEOWNERS and the GitHub workflows (publish gate, review gate, release),
and commits them.

Options:
  --name N        registry name: lowercase letters, digits and single hyphens
  --admin P       a registry admin (repeatable): a login, team (org/team) or email
  --git-url U     where the registry is cloned from (written to skillreg.yaml)
  --site-url U    where its catalog is served (http:// or https://)
  --json          print the result as JSON

Then: skillreg scope add @<scope> --owner <principal> --registry <dir>
      skillreg keys add <principal> <key.pub> --registry <dir>`,
  options: {
    name: { type: "string" },
    admin: { type: "string", multiple: true },
    "git-url": { type: "string" },
    "site-url": { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [dir] = args.positionals;
    if (dir === undefined) throw new UsageError("missing <dir>; usage: skillreg init <dir> --name <registry-name> --admin <principal>");
    noExtraArguments(args, 1, seeHelp("init"));
    const name = str(args, "name");
    if (name === undefined) throw new UsageError("missing --name <registry-name>; see 'skillreg init --help'");
    const admins = strList(args, "admin");
    if (admins.length === 0) throw new UsageError("missing --admin <principal>: a registry needs at least one admin");
    const gitUrl = str(args, "git-url");
    const siteUrl = str(args, "site-url");
    ctx.out.progress(`creating registry ${name}`);
    const result = await initRegistry(resolve(ctx.cwd, dir), {
      name,
      admins,
      ...(gitUrl !== undefined && { gitUrl }),
      ...(siteUrl !== undefined && { siteUrl }),
      skillregVersion: skillregVersion(),
    });
    printResult(args, ctx, { name, ...result }, () => {
      ctx.out.line(`Created registry ${ctx.out.color.bold(name)} in ${result.dir} (commit ${result.commit.slice(0, 12)})`);
      ctx.out.line("Next:");
      ctx.out.line(`  skillreg scope add @<scope> --owner <principal> --registry ${dir}`);
      ctx.out.line(`  skillreg keys add <principal> <key.pub> --registry ${dir}`);
    });
    return 0;
  },
};
