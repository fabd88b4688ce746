import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git } from "../../registry/git/cli.js";
import { buildIndexModel } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { revokeKeyText } from "../../registry/publish/access.js";
import { writeSignedCommit } from "../../registry/trust/commit-signature.js";
import { buildTagPayload, signTag, tagName, taggerFor } from "../../registry/trust/tags.js";
import { runCli } from "../helpers/cli.js";
import { setTreePath, writeBlob } from "../helpers/git-plumbing.js";
import { tempDir } from "../helpers/tmp.js";
import { makeDemo, withVersion, type DemoRegistry } from "../publish/registry-helpers.js";

/**
 * Issue #11, "backdating defeats revocation": bob's key is revoked on main; bob then puts a
 * version on main in a commit dated two days earlier, signed with his revoked key, carrying
 * Reviewer and Scan-Decision trailers nobody signed. Time comes from signatures, so the
 * release is judged after the revocation everywhere: verify --registry, the index, audit.
 */

let demo: DemoRegistry;
let reg: string;
let backdated: string;
const SKILL_DIR = "skills/acme-corp/deploy-checklist";
const RECORD = "publish/acme-corp/deploy-checklist/1.8.0.tag";

const blob = (content: string | Buffer) => writeBlob(reg, content);
/** `tree` with the file at `path` replaced by `blobId`. */
const withFile = (tree: string | undefined, path: string[], blobId: string) => setTreePath(reg, tree, path, `100644 blob ${blobId}`);

async function moveMain(commit: string): Promise<void> {
  await git(["update-ref", "refs/heads/main", commit], { cwd: reg });
  await git(["reset", "--quiet", "--hard", "main"], { cwd: reg });
}

beforeAll(async () => {
  demo = await makeDemo(join(tempDir(), "demo"));
  reg = demo.registry;
  const [admin, bob] = await Promise.all([demo.signer("admin"), demo.signer("bob")]);

  // The admin revokes bob's key on main, now.
  const revokedAt = new Date();
  const signers = revokeKeyText(readFileSync(join(reg, "allowed_signers"), "utf8"), "bob", undefined, revokedAt).text;
  const root = await withFile(await git(["rev-parse", "main^{tree}"], { cwd: reg }), ["allowed_signers"], await blob(signers));
  await moveMain(await writeSignedCommit(reg, { tree: root, parents: [await git(["rev-parse", "main"], { cwd: reg })], message: "Revoke bob's key\n" }, admin));

  // bob, two days "earlier", on top of the revocation.
  const then = new Date(revokedAt.getTime() - 2 * 86400_000);
  const md = withVersion(await git(["show", `main:${SKILL_DIR}/SKILL.md`], { cwd: reg }), "1.8.0");
  const skillTree = await withFile(await git(["rev-parse", `main:${SKILL_DIR}`], { cwd: reg }), ["SKILL.md"], await blob(md));
  const tagBytes = await signTag(
    buildTagPayload({ object: skillTree, type: "tree", tag: tagName("acme-corp", "deploy-checklist", "1.8.0"), tagger: taggerFor("bob", then), message: "Publish\n" }),
    bob,
  );
  let tree = await git(["rev-parse", "main^{tree}"], { cwd: reg });
  tree = await withFile(tree, [...SKILL_DIR.split("/"), "SKILL.md"], await blob(md));
  tree = await withFile(tree, RECORD.split("/"), await blob(tagBytes));
  const stamp = `${Math.floor(then.getTime() / 1000)} +0000`;
  backdated = await writeSignedCommit(
    reg,
    {
      tree,
      parents: [await git(["rev-parse", "main"], { cwd: reg })],
      message: "Merge publish/acme-corp/deploy-checklist/1.8.0\n\nSkill: @acme-corp/deploy-checklist@1.8.0\nPublisher: bob\nReviewer: carol\nScan-Decision: pass\n",
      env: { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp, GIT_AUTHOR_NAME: "carol", GIT_COMMITTER_NAME: "carol" },
    },
    bob,
  );
  await moveMain(backdated);
  const tagObject = await git(["mktag"], { cwd: reg, input: tagBytes });
  await git(["update-ref", `refs/tags/${tagName("acme-corp", "deploy-checklist", "1.8.0")}`, tagObject], { cwd: reg });
});

describe("a commit backdated before a key's revocation", () => {
  it("is refused by verify --registry, judged after the revocation", async () => {
    const r = await runCli(["verify", "--registry", reg]);
    expect(r.code, r.stdout).toBe(1);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("violation:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^violation: ${RECORD}: signature not valid at its release \\(\\S+, unproven: no signed commit vouches for it, commit ${backdated.slice(0, 12)}\\): .*valid only until`));
  });

  it("is left out of the index", async () => {
    const problems: string[] = [];
    const model = buildIndexModel(await readRegistryFacts(reg), { audience: "internal", onProblem: (p) => problems.push(p) });
    const versions = model.skills.find((s) => s.entry.scope === "acme-corp" && s.entry.name === "deploy-checklist")!.versions.map((v) => v.entry.version);
    expect(versions).not.toContain("1.8.0");
    expect(versions).toContain("1.2.0");
    expect(problems.join("\n")).toMatch(/@acme-corp\/deploy-checklist@1\.8\.0: .*valid only until/);
  });

  it("shows its Reviewer, Scan-Decision and time in audit as unproven", async () => {
    const r = await runCli(["audit", "@acme-corp/deploy-checklist", "--registry", reg, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const events = JSON.parse(r.stdout) as { type: string; version?: string; reviewer?: string; unproven?: string[]; actorVerified: boolean }[];
    const forged = events.find((e) => e.type === "publish" && e.version === "1.8.0")!;
    expect(forged).toMatchObject({ reviewer: "carol", actorVerified: false, unproven: ["time", "reviewer", "scan-decision"] });
    const honest = events.find((e) => e.type === "publish" && e.version === "1.2.0")!;
    expect(honest.unproven).toBeUndefined();

    const table = await runCli(["audit", "@acme-corp/deploy-checklist", "--registry", reg]);
    expect(table.stdout).toMatch(/@acme-corp\/deploy-checklist@1\.8\.0 .*reviewer=carol \(unproven\); scan=passed \(unproven\); time unproven/);
  });
});
