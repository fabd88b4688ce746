import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { parseGithubRepo } from "../../registry/forge/index.js";
import { runReviewGate } from "../../registry/forge/index.js";

export const command: Command = {
  name: "registry review-gate",
  summary: "Required check: a PR with high findings needs a security reviewer's approval",
  help: `Usage: skillreg registry review-gate --pr N [--repo owner/name] [--registry D] [--json]

For GitHub registries, as a required status check next to 'registry check'. Reads pull request
N and its reviews with the GitHub API (token in GITHUB_TOKEN or GH_TOKEN, API root in
GITHUB_API_URL), runs the publish gate on the pull request's base and head in the local
checkout (fetching them from origin if needed), and passes when the gate passes and, if the
scan decision is 'review' (high findings), a security reviewer (skillreg.yaml
policy.securityReviewers at base, GitHub logins) other than the author approved the current
head commit. Re-run it when a review is submitted (pull_request_review event).

Options:
  --pr N          the pull request number
  --repo O/R      the repository (default: GITHUB_REPOSITORY)
  --registry D    the registry checkout (default: current folder)
  --json          print {"ok","decision","message","approvedBy"}

Exit status: 0 passes, 1 a security review is missing or the gate blocks, 2 bad usage.`,
  options: {
    pr: { type: "string" },
    repo: { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry review-gate"));
    const prText = str(args, "pr");
    if (prText === undefined || !/^[1-9]\d{0,9}$/.test(prText)) throw new UsageError("--pr needs a pull request number, e.g. --pr 42");
    const repoText = str(args, "repo") ?? ctx.env.GITHUB_REPOSITORY;
    if (repoText === undefined) throw new UsageError("missing --repo owner/name (or GITHUB_REPOSITORY)");
    const repo = parseGithubRepo(repoText);
    if (repo === undefined) throw new UsageError(`--repo must be owner/name or a github.com URL, not '${repoText}'`);
    const result = await runReviewGate({ registry: registryDir(args, ctx.cwd), repo, pr: Number(prText), env: ctx.env, progress: ctx.out.progress });
    printResult(args, ctx, result, () => ctx.out.line(`${result.ok ? ctx.out.color.green("passed") : ctx.out.color.red("failed")}: ${result.message}`));
    return result.ok ? 0 : 1;
  },
};
