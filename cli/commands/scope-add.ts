import { noExtraArguments, printResult, registryDir, seeHelp, str, strList, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { addScope } from "../../registry/publish/index.js";
import { VISIBILITIES, type Visibility } from "../../registry/core/index.js";
import { scopeFromArg } from "../../registry/core/index.js";

export const command: Command = {
  name: "scope add",
  summary: "Add a scope to a registry directly (bootstrap) and commit",
  help: `Usage: skillreg scope add @<scope> --owner <principal> [--owner ...] [options]

Writes scopes/<scope>.yaml with the given owners, regenerates .github/CODEOWNERS and
commits both. For bootstrapping a registry; later changes go through pull requests.

Options:
  --owner P                     an owner of the scope (repeatable)
  --visibility private|public   default for the scope's skills (default: private)
  --registry D                  the registry (default: current folder)
  --json                        print the result as JSON`,
  options: {
    owner: { type: "string", multiple: true },
    visibility: { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [scopeArg] = args.positionals;
    if (scopeArg === undefined) throw new UsageError("missing @<scope>; usage: skillreg scope add @<scope> --owner <principal>");
    noExtraArguments(args, 1, seeHelp("scope add"));
    const scope = scopeFromArg(scopeArg);
    const owners = strList(args, "owner");
    if (owners.length === 0) throw new UsageError("missing --owner <principal>: a scope needs at least one owner");
    const visibility = str(args, "visibility") ?? "private";
    if (!(VISIBILITIES as readonly string[]).includes(visibility)) {
      throw new UsageError(`--visibility must be ${VISIBILITIES.join(" or ")}, not '${visibility}'`);
    }
    const registry = registryDir(args, ctx.cwd);
    const result = await addScope(registry, scope, owners, visibility as Visibility);
    printResult(args, ctx, { scope, owners, visibility, ...result }, () =>
      ctx.out.line(`Added scope @${scope} (${visibility}) owned by ${owners.join(", ")} (commit ${result.commit.slice(0, 12)})`),
    );
    return 0;
  },
};
