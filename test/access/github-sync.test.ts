import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { loadExchanges, startReplay } from "../helpers/github-replay.js";
import {
  describeChange,
  desiredGithubState,
  diffGithubState,
  githubLoginOf,
  githubRepoOf,
  type GithubState,
  type ScopeMembership,
} from "../../registry/forge/github-sync.js";

const scopes: ScopeMembership[] = [
  { scope: "tools", members: { erin: "owner" } },
  { scope: "acme", members: { alice: "owner", Bob: "maintainer", carol: "reader", "dave@acme.example": "maintainer" } },
];

describe("desired GitHub state", () => {
  it("makes one team per scope role held by someone, plus the admins team", () => {
    const { state, skipped } = desiredGithubState(scopes, ["alice", "ops@acme.example"]);
    expect(state.teams).toEqual([
      { slug: "skillreg-admins", members: ["alice"], permission: "maintain" },
      { slug: "skillreg-acme-owners", members: ["alice"], permission: "push" },
      { slug: "skillreg-acme-maintainers", members: ["bob"], permission: "push" },
      { slug: "skillreg-acme-readers", members: ["carol"], permission: "pull" },
      { slug: "skillreg-tools-owners", members: ["erin"], permission: "push" },
    ]);
    expect(skipped.map((s) => s.principal)).toEqual(["dave@acme.example", "ops@acme.example"]);
  });

  it("takes only bare GitHub logins as logins", () => {
    expect(githubLoginOf("Alice-1")).toBe("alice-1");
    expect(githubLoginOf("alice@acme.example")).toBeUndefined();
    expect(githubLoginOf("acme/security")).toBeUndefined();
    expect(githubLoginOf("-bad")).toBeUndefined();
  });
});

describe("diff", () => {
  const desired = desiredGithubState(scopes, ["alice"]).state;

  it("is empty when GitHub already matches", () => {
    expect(diffGithubState(desired, desired)).toEqual([]);
  });

  it("creates everything on an empty organisation, team before members before access", () => {
    const changes = diffGithubState(desired, { teams: [] });
    const forReaders = changes.filter((c) => c.team === "skillreg-acme-readers");
    expect(forReaders).toEqual([
      { kind: "create-team", team: "skillreg-acme-readers" },
      { kind: "add-member", team: "skillreg-acme-readers", login: "carol" },
      { kind: "set-permission", team: "skillreg-acme-readers", to: "pull" },
    ]);
    expect(changes.filter((c) => c.kind === "create-team")).toHaveLength(5);
  });

  it("adds and removes members, corrects permissions and strips stale managed teams", () => {
    const current: GithubState = {
      teams: [
        { slug: "skillreg-admins", members: ["alice"], permission: "admin" },
        { slug: "skillreg-acme-owners", members: ["alice"], permission: "push" },
        { slug: "skillreg-acme-maintainers", members: ["bob", "mallory"], permission: "push" },
        { slug: "skillreg-acme-readers", members: [] },
        { slug: "skillreg-tools-owners", members: ["erin"], permission: "push" },
        { slug: "skillreg-legacy-owners", members: ["zed"], permission: "push" },
      ],
    };
    const changes = diffGithubState(desired, current);
    expect(changes).toEqual([
      { kind: "set-permission", team: "skillreg-admins", from: "admin", to: "maintain" },
      { kind: "remove-member", team: "skillreg-acme-maintainers", login: "mallory" },
      { kind: "add-member", team: "skillreg-acme-readers", login: "carol" },
      { kind: "set-permission", team: "skillreg-acme-readers", to: "pull" },
      { kind: "remove-permission", team: "skillreg-legacy-owners", from: "push" },
      { kind: "remove-member", team: "skillreg-legacy-owners", login: "zed" },
    ]);
    expect(changes.map((c) => describeChange(c, "acme/skills"))).toEqual([
      "~ skillreg-admins: acme/skills admin -> maintain",
      "- skillreg-acme-maintainers: member mallory",
      "+ skillreg-acme-readers: member carol",
      "+ skillreg-acme-readers: acme/skills pull",
      "- skillreg-legacy-owners: acme/skills push",
      "- skillreg-legacy-owners: member zed",
    ]);
  });
});

describe("GitHub repository URLs", () => {
  it("reads owner and name from the usual forms and refuses others", () => {
    expect(githubRepoOf("https://github.com/acme/skills.git")).toEqual({ owner: "acme", repo: "skills" });
    expect(githubRepoOf("git@github.com:acme/skills.git")).toEqual({ owner: "acme", repo: "skills" });
    expect(githubRepoOf("ssh://git@github.com/acme/skills")).toEqual({ owner: "acme", repo: "skills" });
    expect(githubRepoOf("https://gitlab.com/acme/skills.git")).toBeUndefined();
    expect(githubRepoOf("/srv/git/skills.git")).toBeUndefined();
  });
});

describe("skillreg registry sync-github against recorded GitHub exchanges", () => {
  const fixture = "github-sync/acme.json";

  function registry(): string {
    const dir = tempDir();
    writeFileSync(join(dir, "skillreg.yaml"), "name: acme\ngitUrl: https://github.com/acme/skills.git\nadmins: [alice, ops@acme.example]\n");
    mkdirSync(join(dir, "scopes"));
    writeFileSync(join(dir, "scopes/acme.yaml"), "scope: acme\nmembers:\n  alice: owner\n  bob: maintainer\n  carol: reader\n  dave@acme.example: maintainer\n");
    writeFileSync(join(dir, "scopes/tools.yaml"), "scope: tools\nmembers:\n  erin: owner\n");
    return dir;
  }

  it("--dry-run prints the diff and changes nothing", async () => {
    const gh = await startReplay(loadExchanges(fixture));
    const r = await runCli(["registry", "sync-github", "--dry-run"], { cwd: registry(), env: { GITHUB_TOKEN: "ghp_test", GITHUB_API_URL: gh.url } });
    expect(r.stderr).toContain("warning: dave@acme.example: not a GitHub login");
    expect(r.stdout).toBe(
      [
        "~ skillreg-admins: acme/skills admin -> maintain",
        "- skillreg-acme-maintainers: member mallory",
        "+ team skillreg-acme-readers",
        "+ skillreg-acme-readers: member carol",
        "+ skillreg-acme-readers: acme/skills pull",
        "+ team skillreg-tools-owners",
        "+ skillreg-tools-owners: member erin",
        "+ skillreg-tools-owners: acme/skills push",
        "- skillreg-legacy-owners: acme/skills push",
        "- skillreg-legacy-owners: member zed",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
    expect(gh.mutations()).toEqual([]);
    expect(gh.requests.every((q) => q.authorization === "token ghp_test")).toBe(true);
  });

  it("applies exactly those changes through the API, and never touches unmanaged teams", async () => {
    const gh = await startReplay(loadExchanges(fixture));
    const r = await runCli(["registry", "sync-github", "--json"], { cwd: registry(), env: { GITHUB_TOKEN: "ghp_test", GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes).toHaveLength(10);
    expect(gh.mutations().map((m) => `${m.method} ${m.path} ${JSON.stringify(m.body ?? null)}`)).toEqual([
      'PUT /orgs/acme/teams/skillreg-admins/repos/acme/skills {"permission":"maintain"}',
      "DELETE /orgs/acme/teams/skillreg-acme-maintainers/memberships/mallory null",
      'POST /orgs/acme/teams {"name":"skillreg-acme-readers","privacy":"closed","description":"Managed by skillreg registry sync-github"}',
      'PUT /orgs/acme/teams/skillreg-acme-readers/memberships/carol {"role":"member"}',
      'PUT /orgs/acme/teams/skillreg-acme-readers/repos/acme/skills {"permission":"pull"}',
      'POST /orgs/acme/teams {"name":"skillreg-tools-owners","privacy":"closed","description":"Managed by skillreg registry sync-github"}',
      'PUT /orgs/acme/teams/skillreg-tools-owners/memberships/erin {"role":"member"}',
      'PUT /orgs/acme/teams/skillreg-tools-owners/repos/acme/skills {"permission":"push"}',
      "DELETE /orgs/acme/teams/skillreg-legacy-owners/repos/acme/skills null",
      "DELETE /orgs/acme/teams/skillreg-legacy-owners/memberships/zed null",
    ]);
    expect(gh.requests.some((q) => q.path.includes("/platform"))).toBe(false);
  });

  it("refuses without a token or a GitHub repository, in one line with exit 2", async () => {
    const dir = registry();
    const noToken = await runCli(["registry", "sync-github"], { cwd: dir, env: { GITHUB_TOKEN: "", GH_TOKEN: "" } });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toBe("skillreg: error: no GitHub token: set GITHUB_TOKEN (the README's Tokens section lists the permissions it needs)\n");
    const badRepo = await runCli(["registry", "sync-github", "--repo", "nope"], { cwd: dir, env: { GITHUB_TOKEN: "x" } });
    expect(badRepo.code).toBe(2);
    expect(badRepo.stderr).toContain("--repo 'nope' is not owner/name");
  });
});
