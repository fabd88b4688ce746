import { flag, noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";
import { parseScopeTarget } from "../change.js";
import { UsageError } from "../../registry/core/index.js";
import { BlockedByScanner, pushSkill } from "../../registry/publish/index.js";
import { scopeFromArg } from "../../registry/core/index.js";
import { renderMarkdown, renderText } from "@skillreg/scanner";

export const command: Command = {
  name: "push",
  summary: "Propose a new version of a skill to a registry (signed tag on a publish branch)",
  help: `Usage: skillreg push @<scope>/<name> [--dir DIR] [--registry R] [--key FILE] [--dry-run] [--json]
       skillreg push <skill-dir> --scope @<scope> [--registry R] [--key FILE] [--dry-run] [--json]

Validates the skill (metadata.version required), scans it (a blocked skill is refused and its
report shown), refuses a version the registry already has, then in a temporary clone of the
registry: places the skill in skills/<scope>/<name>/, signs the tag @<scope>/<name>@<version>
on the skill's tree with your key, writes publish/<scope>/<name>/<version>.tag, commits (signed
with the same key) on the branch publish/<scope>/<name>/<version> and pushes that branch.

With @<scope>/<name> the skill is the current folder (or --dir), and its SKILL.md must be that
skill. The registry is --registry, else the scope's registry in the project's .skillreg.yaml
('skillreg registry add'; for a registry site, the Git URL its index names).

For a GitHub registry (https://github.com/<owner>/<repo> or git@github.com:<owner>/<repo>) it
also opens the pull request (body: the scan report) with the token in GITHUB_TOKEN or GH_TOKEN
and prints its URL. For any other remote, a maintainer of the scope other than you reviews and
merges with 'skillreg registry merge'.

Your key's principal comes from the registry's allowed_signers (an admin adds it with
'skillreg keys add'); you must be a maintainer or owner of the scope.

Options:
  --dir DIR        the skill's folder (default: the current folder) with @<scope>/<name>
  --scope @S       the scope to publish to, with <skill-dir>
  --registry R     the registry: a folder or a Git URL (default: from .skillreg.yaml)
  --key FILE       your SSH private key (ed25519; encrypted keys through ssh-agent);
                   default: git config user.signingkey
  --dry-run        do every check, sign and commit in a temporary clone, push nothing
  --json           print the result as JSON

Example:
  cd deploy-script && skillreg push @alice/deploy-script

Exit status: 0 pushed, 1 the scanner blocks the skill, 2 bad input (invalid skill, existing
version, unknown key, ...).`,
  options: {
    scope: { type: "string" },
    dir: { type: "string" },
    registry: { type: "string" },
    key: { type: "string" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [target] = args.positionals;
    if (target === undefined) throw new UsageError(`missing @<scope>/<name> or <skill-dir>; ${seeHelp("push")}`);
    noExtraArguments(args, 1, seeHelp("push"));
    const named = target.startsWith("@") ? parseScopeTarget(target, "skillreg push @<scope>/<name>") : undefined;
    if (named && named.name === undefined) throw new UsageError(`'${target}' names a scope, not a skill; write @${named.scope}/<name>`);
    if (named && str(args, "scope") !== undefined) throw new UsageError(`--scope goes with <skill-dir>; '${target}' already names the scope`);
    if (!named && str(args, "dir") !== undefined) throw new UsageError(`--dir goes with @<scope>/<name>; '${target}' is already the skill's folder`);
    const scopeArg = named ? `@${named.scope}` : str(args, "scope");
    if (scopeArg === undefined) throw new UsageError(`missing --scope @<scope> (or name the skill: skillreg push @<scope>/${target.split("/").filter(Boolean).at(-1) ?? "<name>"})`);
    const scope = scopeFromArg(scopeArg);
    const registry = str(args, "registry");
    const key = str(args, "key");
    const skillDir = named ? (str(args, "dir") ?? ".") : target;
    let result;
    try {
      result = await pushSkill(
        {
          skillDir,
          scope,
          ...(named?.name !== undefined ? { name: named.name } : {}),
          ...(registry !== undefined ? { registry } : {}),
          ...(key !== undefined ? { keyPath: key } : {}),
          dryRun: flag(args, "dry-run"),
          env: ctx.env,
          progress: ctx.out.progress,
          renderScan: (scan) => renderMarkdown([scan]),
        },
        ctx.cwd,
      );
    } catch (e) {
      if (!(e instanceof BlockedByScanner)) throw e;
      ctx.stderr.write(renderText([e.scan]) + "\n");
      ctx.stderr.write(`skillreg: error: ${e.message}\n`);
      return 1;
    }
    const { scan, ...pushed } = result;
    printResult(args, ctx, { ...pushed, decision: scan.decision, findings: scan.findings.length }, () => {
      ctx.out.line(renderText([scan]));
      if (pushed.dryRun) {
        ctx.out.line(`Dry run: would push ${pushed.tag} on branch ${pushed.branch} to ${pushed.registry} (tree ${pushed.treeId.slice(0, 12)}, signed by ${pushed.publisher}); nothing was pushed`);
        return;
      }
      ctx.out.line(`Pushed ${pushed.tag} on branch ${pushed.branch} (tag object ${pushed.tagObjectId.slice(0, 12)}, tree ${pushed.treeId.slice(0, 12)}, signed by ${pushed.publisher})`);
      for (const w of pushed.warnings) ctx.out.warn(w);
      if (pushed.pullRequest) ctx.out.line(`Pull request: ${pushed.pullRequest.url}`);
      else ctx.out.line(`Next: another maintainer of @${scope} runs: skillreg registry merge ${pushed.branch} --key <their-key> --registry ${pushed.registry}`);
    });
    return 0;
  },
};
