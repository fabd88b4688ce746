import type { Command } from "../command.js";
import { noExtraArguments, str } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { planGrant } from "../../registry/publish/index.js";
import { ROLES, type Role } from "../../registry/core/index.js";
import { checkPrincipal } from "../../registry/core/index.js";
import { CHANGE_HELP, CHANGE_OPTIONS, parseScopeTarget, runChange } from "../change.js";

const USAGE = "skillreg access grant @scope <principal> --role owner|maintainer|reader --key K [--registry R]";

export const command: Command = {
  name: "access grant",
  summary: "Propose giving a principal a role in a scope (a signed branch / pull request)",
  help: `Usage: ${USAGE}

Adds the principal to scopes/<scope>.yaml with the role, or changes its role, on a new
branch. Only an owner of the scope (or a registry admin) may ask, and only they may grant
owner; another owner or an admin approves it. In a registry that seals private skills, the
same change re-wraps the scope's sealed versions for the new member with your --key (which
must open them); the versions and their signatures do not change.

Options:
  --role R       owner, maintainer or reader (default: reader)
${CHANGE_HELP}`,
  options: { ...CHANGE_OPTIONS, role: { type: "string" } },
  async run(args, ctx) {
    const [target, principal] = args.positionals;
    const { scope, name } = parseScopeTarget(target, USAGE);
    if (name !== undefined) throw new UsageError(`roles are per scope, not per skill: grant on @${scope}`);
    if (principal === undefined) throw new UsageError(`missing <principal>; usage: ${USAGE}`);
    noExtraArguments(args, 2, `usage: ${USAGE}`);
    checkPrincipal(principal, "principal");
    const role = str(args, "role") ?? "reader";
    if (!(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be owner, maintainer or reader, not '${role}'`);
    return runChange(
      args,
      ctx,
      (state, actor) => planGrant(state, scope, { kind: "grant", principal, role: role as Role }, actor),
      `another owner of @${scope} or a registry admin`,
    );
  },
};
