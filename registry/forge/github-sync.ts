import type { Octokit } from "@octokit/rest";
import type { Role } from "../core/index.js";

/**
 * Mirror scopes and roles onto GitHub: one team per scope and role, plus one for the registry
 * admins, each granted a repository permission on the registry repository. The scope files
 * stay the source of truth; GitHub only follows them (CODEOWNERS review and branch protection
 * need the people to exist on GitHub with write access).
 *
 * Data flows one way: `desiredGithubState` (pure, from the scope files) and `readGithubState`
 * (the API) give two plain values, `diffGithubState` (pure) compares them, and
 * `applyGithubChanges` performs the changes in order.
 */

export type RepoPermission = "pull" | "triage" | "push" | "maintain" | "admin";

/** The part of a scope file the sync needs (the layout helper's ScopeFile satisfies it). */
export interface ScopeMembership {
  scope: string;
  members?: Record<string, string>;
}

export interface TeamState {
  /** Team slug, equal to its name (scope names are already slug-safe). */
  slug: string;
  /** GitHub logins, lowercase (logins are case-insensitive). */
  members: string[];
  /** Permission on the registry repository; undefined when the team has no access. */
  permission?: RepoPermission;
}

export interface GithubState {
  teams: TeamState[];
}

export interface SkippedPrincipal {
  principal: string;
  reason: string;
}

/**
 * Owners and maintainers open and review pull requests, so both need `push`; readers only
 * clone private skills, so `pull`. Admins get `maintain` (merge, manage issues and branches)
 * but not `admin`: repository settings, branch protection and rulesets stay with the
 * organisation's owners, who set them up once.
 */
const ROLE_PERMISSION: Record<Role, RepoPermission> = { owner: "push", maintainer: "push", reader: "pull" };
const ROLE_SUFFIX: Record<Role, string> = { owner: "owners", maintainer: "maintainers", reader: "readers" };
const ADMIN_PERMISSION: RepoPermission = "maintain";

export function teamSlug(prefix: string, scope: string, role: Role): string {
  return `${prefix}-${scope}-${ROLE_SUFFIX[role]}`;
}

export function adminTeamSlug(prefix: string): string {
  return `${prefix}-admins`;
}

/**
 * A principal names a GitHub login when it is a bare name (`alice`, as CODEOWNERS writes
 * `@alice`). An e-mail principal has no login GitHub's team API could take, so it is
 * reported instead of guessed.
 */
export function githubLoginOf(principal: string): string | undefined {
  if (principal.includes("@")) return undefined;
  return /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i.test(principal) ? principal.toLowerCase() : undefined;
}

/** What GitHub should look like for these scopes and admins. Pure. */
export function desiredGithubState(
  scopes: ScopeMembership[],
  admins: string[],
  prefix = "skillreg",
): { state: GithubState; skipped: SkippedPrincipal[] } {
  const skipped = new Map<string, SkippedPrincipal>();
  const loginsOf = (principals: string[]): string[] => {
    const logins = new Set<string>();
    for (const p of principals) {
      const login = githubLoginOf(p);
      if (login) logins.add(login);
      else skipped.set(p, { principal: p, reason: "not a GitHub login (use the login as the principal to sync it)" });
    }
    return [...logins].sort();
  };
  const teams: TeamState[] = [{ slug: adminTeamSlug(prefix), members: loginsOf(admins), permission: ADMIN_PERMISSION }];
  for (const scope of [...scopes].sort((a, b) => a.scope.localeCompare(b.scope))) {
    for (const role of ["owner", "maintainer", "reader"] as const) {
      const holders = Object.entries(scope.members ?? {})
        .filter(([, r]) => r === role)
        .map(([p]) => p);
      // A role nobody holds needs no team; if one exists it is stale and loses its access.
      const members = loginsOf(holders);
      if (members.length > 0) teams.push({ slug: teamSlug(prefix, scope.scope, role), members, permission: ROLE_PERMISSION[role] });
    }
  }
  return { state: { teams }, skipped: [...skipped.values()].sort((a, b) => a.principal.localeCompare(b.principal)) };
}

export type SyncChange =
  | { kind: "create-team"; team: string }
  | { kind: "add-member"; team: string; login: string }
  | { kind: "remove-member"; team: string; login: string }
  | { kind: "set-permission"; team: string; from?: RepoPermission; to: RepoPermission }
  | { kind: "remove-permission"; team: string; from: RepoPermission };

/**
 * The changes that turn `current` into `desired`, in the order they can be applied (a team
 * exists before it gets members or access). Managed teams that are no longer desired (a
 * scope was removed) lose their repository access and members but are not deleted: deleting
 * a team also drops its discussions and settings, which is for a person to decide. Pure.
 */
export function diffGithubState(desired: GithubState, current: GithubState): SyncChange[] {
  const changes: SyncChange[] = [];
  const currentBySlug = new Map(current.teams.map((t) => [t.slug, t]));
  const desiredSlugs = new Set(desired.teams.map((t) => t.slug));
  for (const want of desired.teams) {
    const have = currentBySlug.get(want.slug);
    if (!have) changes.push({ kind: "create-team", team: want.slug });
    const haveMembers = new Set(have?.members ?? []);
    const wantMembers = new Set(want.members);
    for (const login of want.members) if (!haveMembers.has(login)) changes.push({ kind: "add-member", team: want.slug, login });
    for (const login of [...haveMembers].sort()) {
      if (!wantMembers.has(login)) changes.push({ kind: "remove-member", team: want.slug, login });
    }
    if (want.permission && want.permission !== have?.permission) {
      changes.push({ kind: "set-permission", team: want.slug, ...(have?.permission ? { from: have.permission } : {}), to: want.permission });
    }
  }
  for (const stale of current.teams) {
    if (desiredSlugs.has(stale.slug)) continue;
    if (stale.permission) changes.push({ kind: "remove-permission", team: stale.slug, from: stale.permission });
    for (const login of [...stale.members].sort()) changes.push({ kind: "remove-member", team: stale.slug, login });
  }
  return changes;
}

/** One line per change, diff-style: `+` grants, `-` revokes, `~` changes. */
export function describeChange(c: SyncChange, repo: string): string {
  switch (c.kind) {
    case "create-team":
      return `+ team ${c.team}`;
    case "add-member":
      return `+ ${c.team}: member ${c.login}`;
    case "remove-member":
      return `- ${c.team}: member ${c.login}`;
    case "set-permission":
      return c.from ? `~ ${c.team}: ${repo} ${c.from} -> ${c.to}` : `+ ${c.team}: ${repo} ${c.to}`;
    case "remove-permission":
      return `- ${c.team}: ${repo} ${c.from}`;
  }
}

export interface GithubTarget {
  org: string;
  owner: string;
  repo: string;
  /** Team name prefix; only teams starting with `<prefix>-` are read and changed. */
  prefix: string;
}

/** The managed teams as GitHub has them now: members and permission on the registry repo. */
export async function readGithubState(octokit: Octokit, target: GithubTarget): Promise<GithubState> {
  const orgTeams = await octokit.paginate(octokit.rest.teams.list, { org: target.org, per_page: 100 });
  const managed = orgTeams.filter((t) => t.slug.startsWith(`${target.prefix}-`));
  const repoTeams = await octokit.paginate(octokit.rest.repos.listTeams, { owner: target.owner, repo: target.repo, per_page: 100 });
  const permissionOf = new Map(repoTeams.map((t) => [t.slug, t.permission as RepoPermission]));
  const teams: TeamState[] = [];
  for (const team of managed.sort((a, b) => a.slug.localeCompare(b.slug))) {
    const members = await octokit.paginate(octokit.rest.teams.listMembersInOrg, { org: target.org, team_slug: team.slug, per_page: 100 });
    const permission = permissionOf.get(team.slug);
    teams.push({ slug: team.slug, members: members.map((m) => m.login.toLowerCase()).sort(), ...(permission ? { permission } : {}) });
  }
  return { teams };
}

/** Perform the changes one by one, in order; stops at the first failure (the API says why). */
export async function applyGithubChanges(
  octokit: Octokit,
  target: GithubTarget,
  changes: SyncChange[],
  onChange: (c: SyncChange) => void = () => {},
): Promise<void> {
  const { org, owner, repo } = target;
  for (const c of changes) {
    onChange(c);
    switch (c.kind) {
      case "create-team":
        await octokit.rest.teams.create({ org, name: c.team, privacy: "closed", description: "Managed by skillreg registry sync-github" });
        break;
      case "add-member":
        await octokit.rest.teams.addOrUpdateMembershipForUserInOrg({ org, team_slug: c.team, username: c.login, role: "member" });
        break;
      case "remove-member":
        await octokit.rest.teams.removeMembershipForUserInOrg({ org, team_slug: c.team, username: c.login });
        break;
      case "set-permission":
        await octokit.rest.teams.addOrUpdateRepoPermissionsInOrg({ org, team_slug: c.team, owner, repo, permission: c.to });
        break;
      case "remove-permission":
        await octokit.rest.teams.removeRepoInOrg({ org, team_slug: c.team, owner, repo });
        break;
    }
  }
}

/** `https://github.com/o/r(.git)`, `git@github.com:o/r.git` or `ssh://git@github.com/o/r` to {owner, repo}. */
export function githubRepoOf(url: string): { owner: string; repo: string } | undefined {
  const m = /^(?:https?:\/\/(?:[^@/]+@)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? { owner: m[1]!, repo: m[2]! } : undefined;
}
