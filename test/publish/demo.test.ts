import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { beforeAll, describe, expect, it } from "vitest";
import { git, runGit } from "../../registry/git/cli.js";
import { runBin, runCli, type CliResult } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/** The quick start, run as users run it (the built binary), then checked with git itself. */

let dir: string;
let registry: string;
let demo: CliResult;
let tags: string[];

const EXAMPLES = join(import.meta.dirname, "../../examples/skills");
const verifyArgs = () => ["-c", `gpg.ssh.allowedSignersFile=${join(registry, "allowed_signers")}`];

/** Who signed a tag or commit, as git verify-tag / verify-commit says; undefined when unverified. */
async function signerOf(kind: "verify-tag" | "verify-commit", what: string): Promise<string | undefined> {
  const r = await runGit([...verifyArgs(), kind, what], { cwd: registry, okCodes: [1] });
  return /Good "git" signature for (\S+) with ED25519 key/.exec(r.stderr)?.[1];
}

beforeAll(async () => {
  dir = join(tempDir(), "demo");
  demo = await runBin(["demo", "--dir", dir, "--no-serve"]);
  registry = join(dir, "registry");
  tags = demo.code === 0 ? (await git(["tag", "-l"], { cwd: registry })).split("\n").filter(Boolean) : [];
});

describe("skillreg demo --dir D --no-serve", () => {
  it("exits 0 and leaves the registry and the keys, saying what it did", () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(existsSync(join(registry, ".git"))).toBe(true);
    expect(readdirSync(join(dir, "keys")).sort()).toEqual(["admin", "admin.pub", "alice", "alice.pub", "bob", "bob.pub", "carol", "carol.pub", "release", "release.pub"]);
    expect(demo.stdout).toMatch(/scope @acme-corp: owners alice, carol, private/);
    expect(demo.stdout).toContain("$ skillreg access grant @acme-corp bob --role maintainer --key keys/alice --registry registry");
    expect(demo.stdout).toMatch(/\$ skillreg registry merge publish\/acme-corp\/deploy-checklist\/1\.2\.0 --key keys\/bob --registry registry\n {5}merged by bob \(signed merge [0-9a-f]{12}\), released @acme-corp\/deploy-checklist@1\.2\.0/);
    expect(demo.stderr).toMatch(/› signing @\S+ \(tree [0-9a-f]{12}\) as alice/);
  });

  it("ends with a summary: where things are, every tag with its flags, and what to run next", () => {
    const summary = demo.stdout.slice(demo.stdout.indexOf("6. Summary"));
    expect(summary).toContain(`Registry: ${registry}`);
    expect(summary).toContain(`Keys:     ${join(dir, "keys")}`);
    expect(summary).toMatch(/@acme-corp\/changelog-writer@2\.0\.0 +public +scan passed +yanked: writes nothing/);
    expect(summary).toMatch(/@acme-corp\/changelog-writer@2\.0\.1 +public +scan passed +deprecated: 2\.0\.x gets no more fixes/);
    expect(summary).toMatch(/@acme-corp\/nightly-db-backup@1\.0\.0 +private +scan needs review\n/);
    expect(summary).toMatch(/@alice\/dev-setup@0\.2\.0 +public +scan flagged\n/);
    for (const tag of tags) expect(summary).toContain(tag);
    expect(summary).toContain(`skillreg audit --registry ${registry}`);
    expect(summary).toContain(`skillreg verify --registry ${registry}`);
    expect(summary).toMatch(/git -C \S+ -c gpg\.ssh\.allowedSignersFile=\S+ verify-tag '@acme-corp\/changelog-writer@2\.1\.0'/);
  });

  it("released every example skill, and three versions of changelog-writer", () => {
    const examples = ["acme-corp", "alice"].flatMap((scope) => readdirSync(join(EXAMPLES, scope)).map((name) => `@${scope}/${name}`));
    expect([...new Set(tags.map((t) => t.replace(/@[^@]+$/, "")))].sort()).toEqual(examples.sort());
    expect(tags.filter((t) => t.startsWith("@acme-corp/changelog-writer@")).sort()).toEqual([
      "@acme-corp/changelog-writer@2.0.0",
      "@acme-corp/changelog-writer@2.0.1",
      "@acme-corp/changelog-writer@2.1.0",
    ]);
  });

  it("git verify-tag accepts every tag, signed by its publisher", async () => {
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) {
      expect(await signerOf("verify-tag", tag), tag).toBe(tag === "@acme-corp/nightly-db-backup@1.0.0" || tag === "@acme-corp/changelog-writer@2.1.0" ? "bob" : "alice");
    }
  });

  it("every tag peels to a tree equal to its skill folder on main, at its latest version", async () => {
    const latest = new Map<string, string>();
    const version = (tag: string) => tag.slice(tag.lastIndexOf("@") + 1);
    for (const tag of [...tags].sort((a, b) => semver.compare(version(a), version(b)))) latest.set(tag.replace(/@[^@]+$/, ""), tag);
    for (const tag of latest.values()) {
      const [, scope, name] = /^@([^/]+)\/(.+)@[^@]+$/.exec(tag)!;
      expect(await git(["rev-parse", `${tag}^{tree}`], { cwd: registry })).toBe(await git(["rev-parse", `main:skills/${scope}/${name}`], { cwd: registry }));
    }
  });

  it("every merge on main is signed by a second person: publishes by a reviewer, access changes by an approver", async () => {
    const merges = (await git(["rev-list", "--merges", "main"], { cwd: registry })).split("\n");
    const publishes = [];
    for (const merge of merges) {
      const reviewer = await signerOf("verify-commit", merge);
      const proposer = await signerOf("verify-commit", `${merge}^2`);
      expect(reviewer).toBeDefined();
      expect(proposer).toBeDefined();
      expect(reviewer).not.toBe(proposer);
      const body = await git(["log", "-1", "--format=%B", merge], { cwd: registry });
      expect(body).toContain(`Reviewer: ${reviewer}`);
      if (/^Skill: /m.test(body)) {
        publishes.push(merge);
        expect(body).toContain(`Publisher: ${proposer}`);
      }
    }
    expect(publishes).toHaveLength(tags.length);
    // 2 grants, a yank, a deprecation and 3 visibility changes.
    expect(merges.length - publishes.length).toBe(7);
  });

  it("the high finding was refused to a non-security reviewer and merged by the security reviewer", async () => {
    expect(demo.stdout).toContain("refused: the scanner asks for a security review (high findings), and alice is not a security reviewer (carol)");
    const log = await git(["log", "--merges", "--format=%B%x00", "main"], { cwd: registry });
    const merge = log.split("\0").find((m) => m.includes("Skill: @acme-corp/nightly-db-backup@1.0.0"));
    expect(merge).toMatch(/^Reviewer: carol$/m);
    expect(merge).toMatch(/^Scan-Decision: review$/m);
    expect(log.split("\0").find((m) => m.includes("Skill: @alice/dev-setup@0.2.0"))).toMatch(/^Scan-Decision: flagged$/m);
  });

  it("left roles, visibility, the yank and the deprecation in the scope files", async () => {
    const members = JSON.parse((await runCli(["access", "list", "@acme-corp", "--json", "--registry", registry])).stdout) as { members: unknown };
    expect(members.members).toEqual([
      { principal: "alice", role: "owner" },
      { principal: "bob", role: "maintainer" },
      { principal: "carol", role: "owner" },
    ]);
    const acme = await git(["show", "main:scopes/acme-corp.yaml"], { cwd: registry });
    expect(acme).toMatch(/^visibility: private$/m);
    expect(acme).toMatch(/changelog-writer:\n {4}yanked:\n {6}2\.0\.0: writes nothing when/);
    expect(acme).toMatch(/deprecated:\n {6}2\.0\.1: 2\.0\.x gets no more fixes/);
    expect(acme).toMatch(/deploy-checklist:\n {4}visibility: public/);
    expect(await git(["show", "main:scopes/alice.yaml"], { cwd: registry })).toMatch(/^visibility: public$/m);
  });

  it("ranges mean something: ~2.0.0 skips the yanked 2.0.0 and warns of the deprecation, ^2.0.0 takes 2.1.0", async () => {
    const project = tempDir();
    const pull = (range: string) => runCli(["pull", `@acme-corp/changelog-writer@${range}`, "--registry", registry, "--agent", "claude"], { cwd: project });
    const patch = await pull("~2.0.0");
    expect(patch.code, patch.stderr).toBe(0);
    expect(patch.stdout).toContain("@acme-corp/changelog-writer@2.0.1");
    expect(patch.stdout + patch.stderr).toMatch(/2\.0\.1 is deprecated: 2\.0\.x gets no more fixes/);
    const minor = await pull("^2.0.0");
    expect(minor.code, minor.stderr).toBe(0);
    expect(minor.stdout).toContain("@acme-corp/changelog-writer@2.1.0");
    const yanked = await pull("2.0.0");
    expect(yanked.code).toBe(2);
    expect(yanked.stderr).toMatch(/2\.0\.0 is yanked: writes nothing when/);
  });

  it("release is idempotent", async () => {
    const r = await runCli(["registry", "release", "--registry", registry]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`0 tags created, ${tags.length} already in place`);
  });

  it("refuses a non-empty --dir and writes nothing there", async () => {
    const busy = join(tempDir(), "busy");
    mkdirSync(busy);
    writeFileSync(join(busy, "keep.txt"), "mine\n");
    const r = await runCli(["demo", "--dir", busy, "--no-serve"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skillreg: error: .*busy is not empty; the demo needs a new or empty folder/);
    expect(readdirSync(busy)).toEqual(["keep.txt"]);
  });
});
