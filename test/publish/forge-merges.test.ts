import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git } from "../../registry/git/cli.js";
import { addCommitSignature } from "../../registry/trust/commit-signature.js";
import { makeChange } from "../helpers/registry-change.js";
import { setTreePath, writeBlob } from "../helpers/git-plumbing.js";
import { tempDir } from "../helpers/tmp.js";
import { runCli } from "../helpers/cli.js";
import { check, makeDemo, withVersion, type DemoRegistry } from "./registry-helpers.js";

/**
 * Merge commits GitHub makes. "Update branch" on a pull request merges main into the branch
 * with a commit GitHub signs with its own web-flow key, which no registry admits; the gate
 * judged it as an unsigned commit and blocked the pull request whenever main had changed a
 * file the change also changes. A merge whose tree is exactly git's merge of its parents adds
 * nothing of its own, so it is let through; one that adds anything is still blocked.
 */

let demo: DemoRegistry;
let reg: string;
const SCOPE_FILE = "scopes/acme-corp.yaml";
const BRANCH = "access/acme-corp/deprecate-deploy-checklist-1.2.0";

/** GitHub's web-flow signature header as it looks to us: an OpenPGP block no allowed_signers key can verify. */
const WEB_FLOW_SIGNATURE = "-----BEGIN PGP SIGNATURE-----\n\nwsFcBAABCAAQBQJnTGlvCRC1aQ7uu5UhlAAAdHIQAKd0cmVlIGlzIG5vdCBhIHNpZ25hdHVyZQ==\n=kz7d\n-----END PGP SIGNATURE-----\n";

/** A merge commit as GitHub writes it: committer GitHub, signed with web-flow, `tree` given. */
async function githubMerge(tree: string, parents: [string, string], message: string): Promise<string> {
  const env = { GIT_AUTHOR_NAME: "alice", GIT_AUTHOR_EMAIL: "alice@users.noreply.github.com", GIT_COMMITTER_NAME: "GitHub", GIT_COMMITTER_EMAIL: "noreply@github.com" };
  const unsigned = await git(["commit-tree", tree, "-p", parents[0], "-p", parents[1]], { cwd: reg, input: message, env });
  const payload = Buffer.from(await git(["cat-file", "commit", unsigned], { cwd: reg }) + "\n", "utf8");
  return git(["hash-object", "-t", "commit", "-w", "--stdin"], { cwd: reg, input: addCommitSignature(payload, WEB_FLOW_SIGNATURE) });
}

beforeAll(async () => {
  demo = await makeDemo(join(tempDir(), "demo"), { withoutSignerSet: true });
  reg = demo.registry;
  // alice (an owner) deprecates a version at the end of the scope file, in a pull request.
  await makeChange(reg, {
    branch: BRANCH,
    signer: await demo.signer("alice"),
    edit: async (work) => {
      const text = await work.read(SCOPE_FILE);
      await work.write(SCOPE_FILE, text.replace(/(  deploy-checklist:\n    visibility: public\n)/, "$1    deprecated:\n      1.2.0: use the checklist in the runbook\n"));
    },
  });
  // Meanwhile main changes the top of the same file (carol, the other owner, makes the scope public).
  const moved = await makeChange(reg, {
    branch: "scope-public",
    signer: await demo.signer("carol"),
    edit: async (work) => work.write(SCOPE_FILE, (await work.read(SCOPE_FILE)).replace(/^visibility: private$/m, "visibility: public")),
  });
  await git(["update-ref", "refs/heads/main", moved], { cwd: reg });
});

describe("a pull request updated with GitHub's 'Update branch'", () => {
  it("passes the gate when the merge adds nothing of its own", async () => {
    const [head, main] = [await git(["rev-parse", BRANCH], { cwd: reg }), await git(["rev-parse", "main"], { cwd: reg })];
    const tree = (await git(["merge-tree", "--write-tree", head, main], { cwd: reg })).split("\n")[0]!;
    const merge = await githubMerge(tree, [head, main], `Merge branch 'main' into ${BRANCH}\n`);
    await git(["update-ref", "refs/heads/updated", merge], { cwd: reg });

    const r = await check(reg, "updated");
    expect(r.stderr).not.toContain("blocked:");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`note: commit ${merge.slice(0, 12)} is a clean merge of its parents (${SCOPE_FILE} as they hold them): it adds nothing of its own`);
    expect(r.stdout).toMatch(/note: commit [0-9a-f]{12} is signed by alice: scopes\/acme-corp\.yaml/);
  });

  it("blocks a merge that also changes something (bob made owner while merging), naming it as unsigned", async () => {
    const [head, main] = [await git(["rev-parse", BRANCH], { cwd: reg }), await git(["rev-parse", "main"], { cwd: reg })];
    const tree = (await git(["merge-tree", "--write-tree", head, main], { cwd: reg })).split("\n")[0]!;
    const scope = (await git(["show", `${tree}:${SCOPE_FILE}`], { cwd: reg })).replace("  bob: maintainer", "  bob: owner") + "\n";
    const edited = await setTreePath(reg, tree, SCOPE_FILE.split("/"), `100644 blob ${await writeBlob(reg, scope)}`);
    const merge = await githubMerge(edited, [head, main], `Merge branch 'main' into ${BRANCH}\n`);
    await git(["update-ref", "refs/heads/updated-and-edited", merge], { cwd: reg });

    const r = await check(reg, "updated-and-edited");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`blocked: [unsigned-change] commit ${merge.slice(0, 12)} changes ${SCOPE_FILE} but is not signed by anyone in allowed_signers`);
  });
});

describe("a publish merged with GitHub's merge button", () => {
  interface Event { type: string; version?: string; actor: string; actorVerified: boolean; unproven?: string[] }

  /** alice pushes `version` with the real CLI; GitHub merges it into main with `edit` applied to the merged tree; the release tags it. */
  async function mergedOnGithub(version: string, edit?: (tree: string) => Promise<string>): Promise<string> {
    const dir = join(tempDir(), "deploy-checklist");
    cpSync(join(reg, "skills/acme-corp/deploy-checklist"), dir, { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), withVersion(readFileSync(join(dir, "SKILL.md"), "utf8"), version));
    const pushed = await runCli(["push", dir, "--scope", "@acme-corp", "--registry", reg, "--key", demo.keys.alice]);
    expect(pushed.code, pushed.stderr).toBe(0);
    const branch = `publish/acme-corp/deploy-checklist/${version}`;
    const [main, head] = [await git(["rev-parse", "main"], { cwd: reg }), await git(["rev-parse", branch], { cwd: reg })];
    const tree = (await git(["merge-tree", "--write-tree", main, head], { cwd: reg })).split("\n")[0]!;
    const merge = await githubMerge(edit ? await edit(tree) : tree, [main, head], `Merge pull request #${version.replace(/\D/g, "")} from acme/${branch}\n\nPublish @acme-corp/deploy-checklist@${version}\n`);
    await git(["update-ref", "refs/heads/main", merge], { cwd: reg });
    await git(["reset", "--quiet", "--hard", "main"], { cwd: reg });
    const release = await runCli(["registry", "release", "--registry", reg]);
    expect(release.code, release.stderr).toBe(0);
    return merge;
  }

  async function publishEvent(version: string): Promise<Event> {
    const r = await runCli(["audit", "@acme-corp/deploy-checklist", "--registry", reg, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Event[]).find((e) => e.type === "publish" && e.version === version)!;
  }

  it("its release time is proven by the signed head it merges, as audit and verify --registry show", async () => {
    await mergedOnGithub("1.3.0");
    const event = await publishEvent("1.3.0");
    expect(event).toMatchObject({ actor: "alice", actorVerified: true });
    expect(event.unproven).toBeUndefined();
    const verify = await runCli(["verify", "--registry", reg]);
    expect(verify.stdout).not.toContain("violation:");
    expect(verify.code, verify.stdout).toBe(0);
  });

  it("a merge that adds a file of its own proves nothing: its time stays unproven", async () => {
    await mergedOnGithub("1.4.0", async (tree) => setTreePath(reg, tree, ["NOTES.md"], `100644 blob ${await writeBlob(reg, "merged by hand\n")}`));
    expect((await publishEvent("1.4.0")).unproven).toEqual(["time"]);
  });
});
