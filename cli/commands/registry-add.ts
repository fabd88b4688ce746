import { addRegistry } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import { noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";

export const command: Command = {
  name: "registry add",
  summary: "Use a registry in this project (for every scope, or for one with --scope)",
  help: `Usage: skillreg registry add <url> [--scope @S] [--json]

The project's one-time setup, like npm's registry and @scope:registry settings: writes the
registry into the project's .skillreg.yaml (the nearest one up from here, else a new one in
this folder), after checking that <url> answers as a SkillReg registry. Then pull, update and
info find skills without --registry, from any folder of the project.

<url> is the registry's site (https://skills.acme.example/), its Git URL, or a local
registry folder. Without --scope it becomes the default for every scope; with --scope only
that scope's skills come from it. Running it again for the same scope replaces the entry.

Options:
  --scope @S   use this registry for the skills of @S only
  --json       print the result as JSON

Example:
  skillreg registry add https://skills.acme.example/ --scope @acme-corp`,
  options: {
    scope: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [registry] = args.positionals;
    if (registry === undefined) throw new UsageError(`missing <url>; ${seeHelp("registry add")}`);
    noExtraArguments(args, 1, seeHelp("registry add"));
    const scope = str(args, "scope");
    const result = await addRegistry({ cwd: ctx.cwd, env: ctx.env }, { registry, ...(scope !== undefined ? { scope } : {}) });
    printResult(args, ctx, result, () => {
      const what = result.scope === undefined ? "every scope" : `@${result.scope}`;
      ctx.out.line(`${ctx.out.color.green("added")} ${result.registry} (${result.name}) for ${what} in ${result.file}${result.replaced ? `, replacing ${result.replaced}` : ""}`);
    });
    return 0;
  },
};
