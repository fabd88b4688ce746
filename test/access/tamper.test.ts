import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { git } from "../../registry/git/cli.js";
import { tagObjectId } from "../../registry/trust/tags.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { RegistryHistory, person, skillFiles, type Person } from "./history.js";

/**
 * `skillreg verify --registry` on real repositories: an intact registry passes, and each way
 * of tampering (moved, deleted or extra tags, publish records edited or dropped, by a new
 * commit or by rewriting history) is caught and named.
 */

const day = (n: number) => new Date(Date.UTC(2030, 0, n, 12, 0, 0));
const FILTER_ENV = { FILTER_BRANCH_SQUELCH_WARNING: "1" };

describe("skillreg verify --registry", () => {
  let root: string;
  let origin: string;
  let bob: Person;
  let carol: Person;
  let v1: Buffer;
  let v2: Buffer;

  beforeAll(async () => {
    root = tempDir();
    const keys = join(root, "keys");
    mkdirSync(keys);
    const alice = await person(keys, "alice");
    bob = await person(keys, "bob");
    carol = await person(keys, "carol");
    const reg = await RegistryHistory.create(join(root, "origin"), ["alice"]);
    origin = reg.dir;
    const signers = readFileSync(join(reg.dir, "allowed_signers"), "utf8");
    await reg.commit(
      {
        allowed_signers: `${signers}alice namespaces="git" ${alice.key.publicKey}\nbob namespaces="git" ${bob.key.publicKey}\ncarol namespaces="git" ${carol.key.publicKey}\n`,
        "scopes/acme.yaml": stringify({ scope: "acme", members: { alice: "owner", bob: "maintainer" } }),
      },
      "Bootstrap keys and scope",
      day(1),
    );
    v1 = await reg.publish("acme", "deploy", "1.0.0", skillFiles("deploy", "1.0.0"), { publisher: bob, reviewer: alice, at: day(2) });
    await reg.release("acme", "deploy", "1.0.0", v1);
    v2 = await reg.publish("acme", "deploy", "1.1.0", skillFiles("deploy", "1.1.0", "Does two things."), { publisher: bob, reviewer: alice, at: day(3) });
    await reg.release("acme", "deploy", "1.1.0", v2);
  });

  /** A fresh clone of the intact registry for one scenario. */
  async function clone(): Promise<RegistryHistory> {
    const dir = join(tempDir(), "registry");
    await git(["clone", "--quiet", origin, dir], { cwd: root });
    return new RegistryHistory(dir);
  }

  async function verify(dir: string) {
    const r = await runCli(["verify", "--registry", dir]);
    const violations = r.stdout.split("\n").filter((l) => l.startsWith("violation: "));
    return { ...r, violations };
  }

  it("passes an intact registry: checkout, bare repository and Git URL", async () => {
    const r = await verify(origin);
    expect(r.stdout).toBe("ok: 2 publish records and 2 tags verified, history intact\n");
    expect(r.code).toBe(0);
    const bare = join(tempDir(), "bare.git");
    await git(["clone", "--bare", "--quiet", origin, bare], { cwd: root });
    expect((await verify(bare)).code).toBe(0);
    const url = await verify(`file://${bare}`);
    expect(url.stdout).toBe("ok: 2 publish records and 2 tags verified, history intact\n");
    expect(url.code).toBe(0);
    const json = await runCli(["verify", "--registry", origin, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, violations: [], records: 2, tags: 2 });
  });

  it("catches a force-moved tag", async () => {
    const reg = await clone();
    await git(["tag", "--force", "--no-sign", "-a", "-m", "moved", "@acme/deploy@1.0.0", "HEAD:skills/acme/deploy"], { cwd: reg.dir });
    const moved = await git(["rev-parse", "refs/tags/@acme/deploy@1.0.0"], { cwd: reg.dir });
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      `violation: @acme/deploy@1.0.0: tag @acme/deploy@1.0.0 points at object ${moved}, but its publish record publish/acme/deploy/1.0.0.tag is object ${tagObjectId(v1)}: the tag was moved or replaced`,
    ]);
    expect(r.stdout).toContain("1 violation in ");
  });

  it("catches a deleted tag and a tag with no publish record", async () => {
    const reg = await clone();
    await git(["tag", "-d", "@acme/deploy@1.1.0"], { cwd: reg.dir });
    await reg.stage({ "skills/acme/deploy/SKILL.md": skillFiles("deploy", "9.9.9")["SKILL.md"]! });
    const extra = await reg.signedTag("acme", "deploy", "9.9.9", bob, day(4));
    await git(["reset", "--quiet", "--hard"], { cwd: reg.dir });
    await reg.release("acme", "deploy", "9.9.9", extra);
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      `violation: publish/acme/deploy/1.1.0.tag: tag @acme/deploy@1.1.0 is missing (the publish record is object ${tagObjectId(v2)}); run 'skillreg registry release' or find out who deleted it`,
      "violation: @acme/deploy@9.9.9: tag @acme/deploy@9.9.9 has no publish record on the main line",
    ]);
  });

  it("catches a publish record edited or deleted by a later commit", async () => {
    const reg = await clone();
    const edited = Buffer.concat([v1.subarray(0, v1.indexOf("-----BEGIN")), Buffer.from("edited\n")]);
    const commit = await reg.commit(
      { "publish/acme/deploy/1.0.0.tag": edited, "publish/acme/deploy/1.1.0.tag": null },
      "Quietly rewrite old versions",
      day(5),
    );
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      `violation: publish/acme/deploy/1.0.0.tag: publish record modified in commit ${commit.slice(0, 12)}: object ${tagObjectId(v1)} became ${tagObjectId(edited)}; published versions never change`,
      `violation: publish/acme/deploy/1.1.0.tag: publish record deleted in commit ${commit.slice(0, 12)}; published versions are never removed (yank them instead)`,
    ]);
  });

  it("catches a history rewritten to drop a publish record", async () => {
    const reg = await clone();
    await git(["filter-branch", "--index-filter", "git rm --cached --quiet --ignore-unmatch publish/acme/deploy/1.0.0.tag", "--", "main"], {
      cwd: reg.dir,
      env: FILTER_ENV,
    });
    expect(await git(["log", "--oneline", "main", "--", "publish/acme/deploy/1.0.0.tag"], { cwd: reg.dir })).toBe("");
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual(["violation: @acme/deploy@1.0.0: tag @acme/deploy@1.0.0 has no publish record on the main line"]);
  });

  it("catches a history rewritten to edit a publish record", async () => {
    const reg = await clone();
    // Bob re-signs 1.0.0 over the 1.1.0 tree, and history is rewritten so the record always held it.
    await reg.stage({ "skills/acme/deploy/SKILL.md": skillFiles("deploy", "1.1.0", "Does two things.")["SKILL.md"]! });
    const forged = await reg.signedTag("acme", "deploy", "1.0.0", bob, day(2));
    const forgedFile = join(tempDir(), "forged.tag");
    (await import("node:fs")).writeFileSync(forgedFile, forged);
    await git(["filter-branch", "--tree-filter", `[ -f publish/acme/deploy/1.0.0.tag ] && cp ${forgedFile} publish/acme/deploy/1.0.0.tag || true`, "--", "main"], {
      cwd: reg.dir,
      env: FILTER_ENV,
    });
    expect(await git(["log", "--format=%H", "--diff-filter=M", "main", "--", "publish/"], { cwd: reg.dir })).toBe("");
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      `violation: @acme/deploy@1.0.0: tag @acme/deploy@1.0.0 points at object ${tagObjectId(v1)}, but its publish record publish/acme/deploy/1.0.0.tag is object ${tagObjectId(forged)}: the tag was moved or replaced`,
    ]);
  });

  it("keeps tags signed before a key's revocation valid and fails one signed after it", async () => {
    const reg = await clone();
    const signers = readFileSync(join(reg.dir, "allowed_signers"), "utf8");
    const revoked = signers.replace(`bob namespaces="git" `, `bob namespaces="git",valid-before="20300104000000Z" `);
    await reg.commit({ allowed_signers: revoked }, "Revoke bob's key", day(4));
    // Bob's old key signs 1.2.0 after the revocation; the record lands on main at day 5.
    await reg.stage({ "skills/acme/deploy/SKILL.md": skillFiles("deploy", "1.2.0", "Does three things.")["SKILL.md"]! });
    const late = await reg.signedTag("acme", "deploy", "1.2.0", bob, day(3)); // backdated tagger: ignored
    const commit = await reg.commit({ "publish/acme/deploy/1.2.0.tag": late }, "Publish @acme/deploy@1.2.0", day(5));
    await reg.release("acme", "deploy", "1.2.0", late);
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatch(
      new RegExp(
        `^violation: publish/acme/deploy/1\\.2\\.0\\.tag: signature not valid at its release \\(2030-01-05T12:00:00\\.000Z, unproven: no signed commit vouches for it, commit ${commit.slice(0, 12)}\\): ` +
          `tag @acme/deploy@1\\.2\\.0 is signed by key SHA256:\\S+, but allowed_signers line \\d+ made the key valid only until 2030-01-04T00:00:00\\.000Z$`,
      ),
    );
  });

  it("fails a tag signed by someone who was not a maintainer of the scope", async () => {
    const reg = await clone();
    await reg.stage({ "skills/acme/deploy/SKILL.md": skillFiles("deploy", "2.0.0")["SKILL.md"]! });
    const tag = await reg.signedTag("acme", "deploy", "2.0.0", carol, day(6));
    await reg.commit({ "publish/acme/deploy/2.0.0.tag": tag }, "Publish 2.0.0", day(6));
    await reg.release("acme", "deploy", "2.0.0", tag);
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      expect.stringMatching(/^violation: publish\/acme\/deploy\/2\.0\.0\.tag: signature not valid at its release .*who is not among the allowed publishers: alice, bob$/),
    ]);
  });

  it("fails a tag whose key was only added to allowed_signers after its release", async () => {
    const reg = await clone();
    const erin = await person(tempDir(), "erin");
    const scope = readFileSync(join(reg.dir, "scopes/acme.yaml"), "utf8");
    await reg.commit({ "scopes/acme.yaml": scope.replace("bob: maintainer", "bob: maintainer\n  erin: maintainer") }, "Add erin", day(6));
    await reg.stage({ "skills/acme/deploy/SKILL.md": skillFiles("deploy", "3.0.0")["SKILL.md"]! });
    const tag = await reg.signedTag("acme", "deploy", "3.0.0", erin, day(7));
    const release = await reg.commit({ "publish/acme/deploy/3.0.0.tag": tag }, "Publish 3.0.0", day(7));
    await reg.release("acme", "deploy", "3.0.0", tag);
    const signers = readFileSync(join(reg.dir, "allowed_signers"), "utf8");
    await reg.commit({ allowed_signers: `${signers}erin namespaces="git" ${erin.key.publicKey}\n` }, "Add erin's key afterwards", day(8));
    const r = await verify(reg.dir);
    expect(r.code).toBe(1);
    expect(r.violations).toEqual([
      expect.stringMatching(
        new RegExp(`^violation: publish/acme/deploy/3\\.0\\.0\\.tag: signature not authorised when it was released \\(2030-01-07T12:00:00\\.000Z, unproven: no signed commit vouches for it, commit ${release.slice(0, 12)}\\): by the allowed_signers of that time, .*the key is not in allowed_signers$`),
      ),
    ]);
  });

  it("refuses a folder that is not a repository with one line and exit 2", async () => {
    const r = await runCli(["verify", "--registry", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^skillreg: error: .*: not a Git repository \(give a registry checkout, a bare repository or a Git URL\)\n$/);
  });
});
