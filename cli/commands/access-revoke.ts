import { noExtraArguments, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { planScopeChange } from "../../registry/publish/index.js";
import { CHANGE_HELP, CHANGE_OPTIONS, parseScopeTarget, runChange } from "../change.js";

const USAGE = "skillreg access revoke @scope <principal> --key K [--registry R]";

export const command: Command = {
  name: "access revoke",
  summary: "Propose removing a principal from a scope (a signed branch / pull request)",
  help: `Usage: ${USAGE}

Removes the principal from scopes/<scope>.yaml on a new branch. Only an owner of the
scope (or a registry admin) may ask; the last owner of a scope cannot be removed.

Options:
${CHANGE_HELP}`,
  options: CHANGE_OPTIONS,
  async run(args, ctx) {
    const [target, principal] = args.positionals;
    const { scope, name } = parseScopeTarget(target, USAGE);
    if (name !== undefined) throw new UsageError(`roles are per scope, not per skill: revoke on @${scope}`);
    if (principal === undefined) throw new UsageError(`missing <principal>; usage: ${USAGE}`);
    noExtraArguments(args, 2, `usage: ${USAGE}`);
    return runChange(
      args,
      ctx,
      (state, actor) => planScopeChange(state, scope, { kind: "revoke", principal }, actor),
      `another owner of @${scope} or a registry admin`,
    );
  },
};
