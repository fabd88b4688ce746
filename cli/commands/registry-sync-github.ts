import { flag, noExtraArguments, registryDir, seeHelp, str, type Command } from "../command.js";
import { UsageError, SkillregError } from "../../registry/core/index.js";
import { loadRegistryConfig, loadScopes } from "../../registry/core/index.js";
import { NAME_PATTERN } from "../../registry/core/index.js";
import { githubClient, githubTokenFromEnv } from "../../registry/forge/index.js";
import {
  applyGithubChanges,
  describeChange,
  desiredGithubState,
  diffGithubState,
  githubRepoOf,
  readGithubState,
  type GithubTarget,
} from "../../registry/forge/index.js";

export const command: Command = {
  name: "registry sync-github",
  summary: "Mirror scopes and roles onto GitHub teams and repository permissions",
  help: `Usage: skillreg registry sync-github [--dry-run] [--org O] [--repo owner/name] [--registry D] [--json]

Makes GitHub follow the scope files: one team per scope and role
(skillreg-<scope>-owners, -maintainers, -readers) and one for the registry admins
(skillreg-admins), each with the least permission its role needs on the registry
repository: owners and maintainers push, readers pull, admins maintain.
Prints the changes (+ grant, - revoke, ~ change), then applies them unless --dry-run.
Teams of removed scopes lose their access and members but are not deleted.
Principals that are not GitHub logins (e-mails, teams) are listed and left out.

Options:
  --dry-run          print the changes, change nothing
  --org O            GitHub organisation owning the teams (default: the repository owner)
  --repo owner/name  the registry repository (default: from gitUrl in skillreg.yaml)
  --registry D       registry checkout (default: current folder)
  --prefix P         team name prefix (default: skillreg)
  --json             print the changes as JSON

The token comes from GITHUB_TOKEN (or GH_TOKEN); it needs organisation members
read and write and repository administration. GITHUB_API_URL selects GitHub Enterprise.`,
  options: {
    "dry-run": { type: "boolean" },
    org: { type: "string" },
    repo: { type: "string" },
    registry: { type: "string" },
    prefix: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry sync-github"));
    const dir = registryDir(args, ctx.cwd);
    const config = await loadRegistryConfig(dir);
    const scopes = await loadScopes(dir);

    const repoArg = str(args, "repo");
    const repoOf = repoArg ? /^([^/\s]+)\/([^/\s]+)$/.exec(repoArg) : undefined;
    if (repoArg && !repoOf) throw new UsageError(`--repo '${repoArg}' is not owner/name`);
    const target = repoOf ? { owner: repoOf[1]!, repo: repoOf[2]! } : config.gitUrl ? githubRepoOf(config.gitUrl) : undefined;
    if (!target) throw new UsageError("no GitHub repository: pass --repo owner/name or set gitUrl in skillreg.yaml to a github.com URL");
    const prefix = str(args, "prefix") ?? "skillreg";
    if (!new RegExp(NAME_PATTERN).test(prefix)) throw new UsageError(`--prefix '${prefix}' must be lowercase letters, digits and single hyphens`);
    const full: GithubTarget = { ...target, org: str(args, "org") ?? target.owner, prefix };

    const token = githubTokenFromEnv(ctx.env);
    if (!token) throw new SkillregError("no GitHub token: set GITHUB_TOKEN (the README's Tokens section lists the permissions it needs)");
    const octokit = githubClient(token, ctx.env, (m) => ctx.out.warn(m));

    const { state: desired, skipped } = desiredGithubState([...scopes.values()], config.admins, prefix);
    ctx.out.progress(`reading teams of ${full.org} and access to ${full.owner}/${full.repo}`);
    const current = await readGithubState(octokit, full).catch((e: unknown) => {
      throw new SkillregError(`reading GitHub failed: ${(e as Error).message}`);
    });
    const changes = diffGithubState(desired, current);
    const repoName = `${full.owner}/${full.repo}`;
    const dryRun = flag(args, "dry-run");

    if (flag(args, "json")) {
      ctx.out.json({ org: full.org, repo: repoName, dryRun, changes, skipped });
    } else {
      for (const s of skipped) ctx.out.warn(`${s.principal}: ${s.reason}`);
      if (changes.length === 0) ctx.out.line(`GitHub already matches the scopes (${desired.teams.length} teams)`);
      for (const c of changes) ctx.out.line(describeChange(c, repoName));
    }
    if (dryRun || changes.length === 0) return 0;
    await applyGithubChanges(octokit, full, changes, (c) => ctx.out.progress(`applying ${describeChange(c, repoName)}`)).catch((e: unknown) => {
      throw new SkillregError(`GitHub refused a change: ${(e as Error).message}`);
    });
    if (!flag(args, "json")) ctx.out.line(`applied ${changes.length} change${changes.length === 1 ? "" : "s"}`);
    return 0;
  },
};
