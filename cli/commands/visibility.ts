import { noExtraArguments, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { planVisibility } from "../../registry/publish/index.js";
import { CHANGE_HELP, CHANGE_OPTIONS, parseScopeTarget, runChange } from "../change.js";

const USAGE = "skillreg visibility @scope[/name] public|private --key K [--registry R]";

export const command: Command = {
  name: "visibility",
  summary: "Propose making a scope or one skill public or private (a signed branch / pull request)",
  help: `Usage: ${USAGE}

Sets 'visibility' for the whole scope, or for one skill, in scopes/<scope>.yaml on a new
branch. Skills are private by default; public ones appear in the public catalog and index.
Only an owner of the scope (or a registry admin) may ask; another owner or an admin approves.

In a registry that seals (docs/sealed.md), private skills' future versions are sealed to the
scope's members: making a skill private warns which of its earlier versions were published
unsealed and stay readable to everyone in Git history. Making a sealed skill public discloses,
in the same change, the file key of each of its sealed versions that --key opens, so anyone
reads them as published (their signatures still verify); this cannot be taken back.

Options:
${CHANGE_HELP}`,
  options: CHANGE_OPTIONS,
  async run(args, ctx) {
    const [target, visibility] = args.positionals;
    const { scope, name } = parseScopeTarget(target, USAGE);
    if (visibility !== "public" && visibility !== "private") {
      throw new UsageError(`${visibility === undefined ? "missing public|private" : `'${visibility}' is not public or private`}; usage: ${USAGE}`);
    }
    noExtraArguments(args, 2, `usage: ${USAGE}`);
    return runChange(
      args,
      ctx,
      (state, actor) => planVisibility(state, scope, { kind: "visibility", ...(name ? { skill: name } : {}), visibility }, actor),
      `another owner of @${scope} or a registry admin`,
    );
  },
};
