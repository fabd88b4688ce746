import { printResult, registryArg, str, type CommandContext, type OptionSpec, type ParsedArgs } from "./command.js";
import { UsageError } from "../registry/core/index.js";
import type { PlannedChange } from "../registry/publish/index.js";
import { isValidName, isValidVersion } from "../registry/core/index.js";
import { proposeChange, type RegistryState } from "../registry/publish/index.js";
import { parseSkillSpec } from "../registry/client/index.js";
import { scopeFromArg } from "../registry/core/index.js";

/**
 * What the access commands share: the `@scope[/name]` argument, the --registry/--key options
 * and proposing the change as a signed branch (and a pull request on GitHub).
 */

export interface ScopeTarget {
  scope: string;
  name?: string;
}

/** `@scope` or `@scope/name`. */
export function parseScopeTarget(arg: string | undefined, usage: string): ScopeTarget {
  if (arg === undefined) throw new UsageError(`missing @scope[/name]; usage: ${usage}`);
  const [scopeArg = "", name, ...extra] = arg.split("/");
  if (!arg.startsWith("@") || extra.length > 0) throw new UsageError(`'${arg}' is not @scope or @scope/name`);
  const scope = scopeFromArg(scopeArg);
  if (name === undefined) return { scope };
  if (!isValidName(name)) throw new UsageError(`'${name}' is not a valid skill name (a-z, 0-9 and single hyphens)`);
  return { scope, name };
}

/** `@scope/name@version` with an exact version. */
export function parseVersionTarget(arg: string | undefined, usage: string): { scope: string; name: string; version: string } {
  if (arg === undefined) throw new UsageError(`missing @scope/name@version; usage: ${usage}`);
  const spec = parseSkillSpec(arg);
  if (!isValidVersion(spec.range)) throw new UsageError(`'${arg}' names no exact version; write it as @scope/name@1.2.3`);
  return { scope: spec.scope, name: spec.name, version: spec.range };
}

export const CHANGE_OPTIONS: OptionSpec = {
  registry: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
};

export const CHANGE_HELP = `  --registry R   the registry: a path or Git URL (default: current folder)
  --key FILE     your SSH private key (ed25519); its principal in allowed_signers makes the change
  --json         print the result as JSON

The change is a commit signed with --key on a new branch access/..., pushed to the registry
(and a pull request on GitHub). It lands when approved: on a plain Git remote with
'skillreg registry merge <branch> --key <approver-key>', on GitHub through the pull request.`;

/** Propose the planned change and print where it went. */
export async function runChange(
  args: ParsedArgs,
  ctx: CommandContext,
  plan: (state: RegistryState, actor: string) => Promise<PlannedChange> | PlannedChange,
  approvers: string,
): Promise<number> {
  const key = str(args, "key");
  if (key === undefined) throw new UsageError("missing --key <private-key>: the change is signed by the key of whoever asks for it");
  const registry = registryArg(args);
  const result = await proposeChange({ registry, keyPath: key, cwd: ctx.cwd, env: ctx.env, progress: ctx.out.progress, plan });
  printResult(args, ctx, result, () => {
    for (const warning of result.warnings) ctx.out.warn(warning);
    ctx.out.line(`pushed ${result.branch} (commit ${result.commit.slice(0, 12)}, signed by ${result.actor})`);
    if (result.pullRequest) ctx.out.line(`pull request #${result.pullRequest.number}: ${result.pullRequest.url}`);
    else ctx.out.line(`to apply it, ${approvers} runs: skillreg registry merge ${result.branch} --key <their-key>${registry === "." ? "" : ` --registry ${registry}`}`);
  });
  return 0;
}
