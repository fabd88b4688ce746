import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { csvField, type AuditEvent } from "../../registry/history/audit.js";
import { git } from "../../registry/git/cli.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { RegistryHistory, person, skillFiles, type Person } from "./history.js";

const day = (n: number) => new Date(Date.UTC(2030, 0, n, 12, 0, 0));

function scopeText(members: Record<string, string>, skills: Record<string, unknown> = {}, visibility = "private"): string {
  return stringify({ scope: "acme", visibility, members, ...(Object.keys(skills).length ? { skills } : {}) });
}

describe("skillreg audit over a scripted history", () => {
  let reg: RegistryHistory;
  let alice: Person;
  let bob: Person;
  let bobNew: Person;
  const commits: Record<string, string> = {};

  beforeAll(async () => {
    const root = tempDir();
    const keys = join(root, "keys");
    (await import("node:fs")).mkdirSync(keys);
    alice = await person(keys, "alice");
    bob = await person(keys, "bob");
    bobNew = { ...(await person(keys, "bob-new")), principal: "bob" };
    reg = await RegistryHistory.create(join(root, "registry"), ["alice"]);
    const signers = () => readFileSync(join(reg.dir, "allowed_signers"), "utf8");

    // Bootstrap by hand: an unsigned commit adds the first keys.
    commits.keys = await reg.commit(
      { allowed_signers: `${signers()}alice namespaces="git" ${alice.key.publicKey}\nbob namespaces="git" ${bob.key.publicKey}\n` },
      "Add signing keys",
      day(1),
    );
    commits.scope = await reg.commit({ "scopes/acme.yaml": scopeText({ alice: "owner" }) }, "Add scope @acme", day(2), alice);
    commits.grant = await reg.merge(
      { "scopes/acme.yaml": scopeText({ alice: "owner", bob: "maintainer", carol: "reader" }) },
      { branch: "access/acme/grant-bob", requester: alice, approver: alice, at: day(3) },
    );
    const v1 = await reg.publish("acme", "deploy", "1.0.0", skillFiles("deploy", "1.0.0"), { publisher: bob, reviewer: alice, at: day(4), scan: "flagged", pr: 7 });
    await reg.release("acme", "deploy", "1.0.0", v1);
    await reg.publish("acme", "deploy", "1.1.0", skillFiles("deploy", "1.1.0", "Does two things."), { publisher: bob, reviewer: alice, at: day(5) });
    commits.yank = await reg.merge(
      {
        "scopes/acme.yaml": scopeText(
          { alice: "owner", bob: "maintainer", carol: "reader" },
          { deploy: { yanked: { "1.0.0": 'broken, see "issue 4"' }, deprecated: { "1.1.0": "use 2.x" }, visibility: "public" } },
        ),
      },
      { branch: "access/acme/deploy-yank", requester: alice, approver: alice, at: day(6) },
    );
    commits.rotate = await reg.merge(
      {
        allowed_signers: signers().replace(`bob namespaces="git" ${bob.key.publicKey}`, `bob namespaces="git",valid-before="20300107000000Z" ${bob.key.publicKey}`) +
          `bob namespaces="git" ${bobNew.key.publicKey}\n`,
      },
      { branch: "access/keys/rotate-bob", requester: bob, approver: alice, at: day(7) },
    );
    await reg.publish("acme", "deploy", "1.2.0", skillFiles("deploy", "1.2.0", "Does three things."), { publisher: bobNew, reviewer: alice, at: day(8) });
    commits.roles = await reg.merge(
      { "scopes/acme.yaml": readFileSync(join(reg.dir, "scopes/acme.yaml"), "utf8").replace("bob: maintainer", "bob: owner").replace("  carol: reader\n", "") },
      { branch: "access/acme/roles", requester: alice, approver: alice, at: day(9) },
    );
    commits.policy = await reg.merge(
      { "skillreg.yaml": readFileSync(join(reg.dir, "skillreg.yaml"), "utf8").replace("admins:\n  - alice\n", "admins:\n  - alice\n  - bob\n") },
      { branch: "access/registry/admins", requester: alice, approver: alice, at: day(10) },
    );
    // An old key signing after its revocation: the actor is not verified.
    commits.late = await reg.merge(
      { "scopes/acme.yaml": readFileSync(join(reg.dir, "scopes/acme.yaml"), "utf8").replace("bob: owner", "bob: owner\n  dan: reader") },
      { branch: "access/acme/dan", requester: bob, approver: alice, at: day(11) },
    );
  });

  it("lists every event with actor, approver, time and commit (JSON)", async () => {
    const r = await runCli(["audit", "--format", "json"], { cwd: reg.dir });
    expect(r.code).toBe(0);
    const events = JSON.parse(r.stdout) as AuditEvent[];
    const brief = events.map((e) => [e.type, e.actor, e.actorVerified, e.approver ?? null, e.scope ?? null, e.skill ?? null, e.version ?? null, e.principal ?? null]);
    expect(brief.slice(1)).toEqual([
      ["key-added", "skillreg <skillreg@example.invalid>", false, null, null, null, null, "alice"],
      ["key-added", "skillreg <skillreg@example.invalid>", false, null, null, null, null, "bob"],
      ["scope-created", "alice", true, null, "acme", null, null, null],
      ["member-added", "alice", true, null, "acme", null, null, "alice"],
      ["member-added", "alice", true, "alice", "acme", null, null, "bob"],
      ["member-added", "alice", true, "alice", "acme", null, null, "carol"],
      ["publish", "bob", true, "alice", "acme", "deploy", "1.0.0", null],
      ["publish", "bob", true, "alice", "acme", "deploy", "1.1.0", null],
      ["visibility", "alice", true, "alice", "acme", "deploy", null, null],
      ["yank", "alice", true, "alice", "acme", "deploy", "1.0.0", null],
      ["deprecate", "alice", true, "alice", "acme", "deploy", "1.1.0", null],
      ["key-revoked", "bob", true, "alice", null, null, null, "bob"],
      ["key-added", "bob", true, "alice", null, null, null, "bob"],
      ["publish", "bob", true, "alice", "acme", "deploy", "1.2.0", null],
      ["role-changed", "alice", true, "alice", "acme", null, null, "bob"],
      ["member-removed", "alice", true, "alice", "acme", null, null, "carol"],
      ["policy-changed", "alice", true, "alice", null, null, null, null],
      ["member-added", "bob <bob@example.invalid>", false, "alice", "acme", null, null, "dan"],
    ]);
    // The first event is the registry's creation: skillreg.yaml appears.
    expect(events[0]!.type).toBe("policy-changed");
    expect(events[0]!.changes).toContain('admins: +alice');

    const [first] = events.filter((e) => e.type === "publish");
    expect(first).toMatchObject({ signer: "bob", reviewer: "alice", scanDecision: "flagged", pullRequest: 7, time: "2030-01-04T12:00:00.000Z" });
    expect(first!.commit).toBe(await git(["rev-parse", "HEAD~7"], { cwd: reg.dir }));
    expect(events.find((e) => e.type === "yank")).toMatchObject({ reason: 'broken, see "issue 4"', commit: commits.yank });
    expect(events.find((e) => e.type === "visibility")).toMatchObject({ visibility: "public", previousVisibility: "private" });
    expect(events.find((e) => e.type === "key-revoked")).toMatchObject({ fingerprint: expect.stringMatching(/^SHA256:/), validBefore: "2030-01-07T00:00:00.000Z" });
    expect(events.find((e) => e.type === "role-changed")).toMatchObject({ previousRole: "maintainer", role: "owner", commit: commits.roles });
    expect(events.find((e) => e.type === "policy-changed" && e.commit === commits.policy)!.changes).toEqual(["admins: +bob"]);
  });

  it("filters by skill, scope and date", async () => {
    const skill = JSON.parse((await runCli(["audit", "@acme/deploy", "--json"], { cwd: reg.dir })).stdout) as AuditEvent[];
    expect(skill.map((e) => `${e.type} ${e.version ?? ""}`.trim())).toEqual(["publish 1.0.0", "publish 1.1.0", "visibility", "yank 1.0.0", "deprecate 1.1.0", "publish 1.2.0"]);
    const scope = JSON.parse((await runCli(["audit", "@acme", "--json"], { cwd: reg.dir })).stdout) as AuditEvent[];
    expect(scope.every((e) => e.scope === "acme")).toBe(true);
    expect(scope).toHaveLength(13);
    const since = JSON.parse((await runCli(["audit", "--since", "2030-01-09", "--json"], { cwd: reg.dir })).stdout) as AuditEvent[];
    expect(since.map((e) => e.type)).toEqual(["role-changed", "member-removed", "policy-changed", "member-added"]);
  });

  it("writes CSV with a header and properly quoted fields", async () => {
    const r = await runCli(["audit", "@acme/deploy", "--format", "csv"], { cwd: reg.dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\r\n");
    expect(lines[0]).toBe("time,type,target,actor,actor_verified,approver,details,commit");
    expect(lines[1]).toMatch(/^2030-01-04T12:00:00\.000Z,publish,@acme\/deploy@1\.0\.0,bob,true,alice,signer=bob; reviewer=alice; scan=flagged; pr=#7,[0-9a-f]{40}$/);
    expect(lines[4]).toBe(`2030-01-06T12:00:00.000Z,yank,@acme/deploy@1.0.0,alice,true,alice,"reason=broken, see ""issue 4""",${commits.yank}`);
    expect(lines.at(-1)).toBe("");
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField(" lead")).toBe('" lead"');
  });

  it("prints a table, and reads a bare clone and a file URL the same way", async () => {
    const table = await runCli(["audit", "@acme/deploy"], { cwd: reg.dir });
    expect(table.stdout.split("\n")[0]).toMatch(/^TIME\s+EVENT\s+TARGET\s+ACTOR\s+DETAILS\s+COMMIT$/);
    expect(table.stdout).toMatch(/yank\s+@acme\/deploy@1\.0\.0\s+alice\s+reason=broken, see "issue 4"; approved-by=alice/);
    const bare = join(tempDir(), "bare.git");
    await git(["clone", "--bare", "--quiet", reg.dir, bare], { cwd: reg.dir });
    const fromCheckout = (await runCli(["audit", "--json"], { cwd: reg.dir })).stdout;
    expect((await runCli(["audit", "--json", "--registry", bare], { cwd: "/" })).stdout).toBe(fromCheckout);
    expect((await runCli(["audit", "--json", "--registry", `file://${bare}`], { cwd: "/" })).stdout).toBe(fromCheckout);
  });

  it("refuses bad input with one line and exit 2", async () => {
    for (const [argv, message] of [
      [["audit", "acme"], "'acme' is not @scope or @scope/name"],
      [["audit", "--since", "yesterday"], "--since 'yesterday' is not a date"],
      [["audit", "--format", "xml"], "--format must be table, json or csv, not 'xml'"],
      [["audit", "--registry", "/nonexistent/registry"], "/nonexistent/registry: no such folder or Git URL"],
    ] as const) {
      const r = await runCli([...argv], { cwd: reg.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
