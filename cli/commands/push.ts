import { noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { BlockedByScanner, pushSkill } from "../../registry/publish/index.js";
import { scopeFromArg } from "../../registry/core/index.js";
import { renderMarkdown, renderText } from "@skillreg/scanner";

export const command: Command = {
  name: "push",
  summary: "Propose a new version of a skill to a registry (signed tag on a publish branch)",
  help: `Usage: skillreg push <skill-dir> --scope @<scope> --registry <path-or-git-url> --key <file> [--json]

Validates the skill (metadata.version required), scans it (a blocked skill is refused and its
report shown), refuses a version the registry already has, then in a temporary clone of the
registry: places the skill in skills/<scope>/<name>/, signs the tag @<scope>/<name>@<version>
on the skill's tree with --key, writes publish/<scope>/<name>/<version>.tag, commits (signed
with the same key) on the branch publish/<scope>/<name>/<version> and pushes that branch.

For a GitHub registry (https://github.com/<owner>/<repo> or git@github.com:<owner>/<repo>) it
also opens the pull request (body: the scan report) with the token in GITHUB_TOKEN or GH_TOKEN
and prints its URL. For any other remote, a maintainer of the scope other than you reviews and
merges with 'skillreg registry merge'.

Your key's principal comes from the registry's allowed_signers (an admin adds it with
'skillreg keys add'); you must be a maintainer or owner of the scope.

Options:
  --scope @S       the scope to publish to
  --registry R     the registry: a folder or a git URL
  --key FILE       your SSH private key (ed25519; encrypted keys through ssh-agent)
  --json           print the result as JSON

Exit status: 0 pushed, 1 the scanner blocks the skill, 2 bad input (invalid skill, existing
version, unknown key, ...).`,
  options: {
    scope: { type: "string" },
    registry: { type: "string" },
    key: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [skillDir] = args.positionals;
    if (skillDir === undefined) throw new UsageError("missing <skill-dir>; usage: skillreg push <skill-dir> --scope @<scope> --registry <path-or-url> --key <file>");
    noExtraArguments(args, 1, seeHelp("push"));
    const scopeArg = str(args, "scope");
    const registry = str(args, "registry");
    const key = str(args, "key");
    if (scopeArg === undefined) throw new UsageError("missing --scope @<scope>");
    if (registry === undefined) throw new UsageError("missing --registry <path-or-git-url>");
    if (key === undefined) throw new UsageError("missing --key <file>: the tag is signed with your SSH key");
    const scope = scopeFromArg(scopeArg);
    let result;
    try {
      result = await pushSkill(
        { skillDir, scope, registry, keyPath: key, env: ctx.env, progress: ctx.out.progress, renderScan: (scan) => renderMarkdown([scan]) },
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
      ctx.out.line(`Pushed ${pushed.tag} on branch ${pushed.branch} (tag object ${pushed.tagObjectId.slice(0, 12)}, tree ${pushed.treeId.slice(0, 12)}, signed by ${pushed.publisher})`);
      if (pushed.pullRequest) ctx.out.line(`Pull request: ${pushed.pullRequest.url}`);
      else ctx.out.line(`Next: another maintainer of @${scope} runs: skillreg registry merge ${pushed.branch} --key <their-key> --registry <registry>`);
    });
    return 0;
  },
};
