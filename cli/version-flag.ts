import { noExtraArguments, str, type Command } from "./command.js";
import { UsageError } from "../registry/core/index.js";
import { planScopeChange } from "../registry/publish/index.js";
import { CHANGE_HELP, CHANGE_OPTIONS, parseVersionTarget, runChange } from "./change.js";

/** `skillreg yank` and `skillreg deprecate`: the same change to a different map of the scope file. */
export function flagVersionCommand(flag: "yanked" | "deprecated"): Command {
  const verb = flag === "yanked" ? "yank" : "deprecate";
  const usage = `skillreg ${verb} @scope/name@version --reason R --key K [--registry R]`;
  const effect =
    flag === "yanked"
      ? "A yanked version is never picked by a range again (a lock that names it still installs it);\nnothing is deleted: the tag and its files stay."
      : "A deprecated version still resolves, and pull shows the reason as a warning.";
  return {
    name: verb,
    summary: `Propose ${flag === "yanked" ? "yanking" : "deprecating"} a published version (a signed branch / pull request)`,
    help: `Usage: ${usage}

Records the version under skills.<name>.${flag} in scopes/<scope>.yaml, with the reason, on
a new branch. ${effect}
Only an owner of the scope (or a registry admin) may ask; another owner or an admin approves.

Options:
  --reason R     why (shown to everyone who resolves the version)
${CHANGE_HELP}`,
    options: { ...CHANGE_OPTIONS, reason: { type: "string" } },
    async run(args, ctx) {
      const [target] = args.positionals;
      const { scope, name, version } = parseVersionTarget(target, usage);
      noExtraArguments(args, 1, `usage: ${usage}`);
      const reason = str(args, "reason")?.trim();
      if (!reason) throw new UsageError(`missing --reason: say why @${scope}/${name}@${version} is ${flag}`);
      return runChange(
        args,
        ctx,
        (state, actor) => planScopeChange(state, scope, { kind: "flag", flag, skill: name, version, reason }, actor),
        `another owner of @${scope} or a registry admin`,
      );
    },
  };
}
