import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commitSigner, splitCommit, writeSignedCommit } from "../../registry/trust/commit-signature.js";
import { git, runGit } from "../../registry/git/cli.js";
import { parseAllowedSigners } from "../../registry/trust/allowed-signers.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { pullRequestOf, trailersOf } from "../../registry/history/audit.js";
import { makeSshKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";

describe("SSH-signed commits", () => {
  it("writes commits git verify-commit accepts, and names their signer as git does", async () => {
    const dir = tempDir();
    await git(["init", "--quiet", "-b", "main"], { cwd: dir });
    writeFileSync(join(dir, "a.txt"), "hello\n");
    await git(["add", "a.txt"], { cwd: dir });
    const alice = makeSshKey(dir, "alice");
    const mallory = makeSshKey(dir, "mallory");
    const signersText = `alice namespaces="git" ${alice.publicKey}\n`;
    writeFileSync(join(dir, ".signers"), signersText);
    const tree = await git(["write-tree"], { cwd: dir });
    const at = { GIT_COMMITTER_DATE: "@1893456000 +0000", GIT_AUTHOR_DATE: "@1893456000 +0000" };
    const signed = await writeSignedCommit(dir, { tree, parents: [], message: "First\n\nBody line.\n", env: at }, await loadSigner(alice.privatePath));

    const verify = await runGit(["-c", "gpg.format=ssh", "-c", `gpg.ssh.allowedSignersFile=${join(dir, ".signers")}`, "verify-commit", signed], { cwd: dir, okCodes: [1] });
    expect(verify.code).toBe(0);
    expect(verify.stderr).toContain('Good "git" signature for alice');

    const raw = (await runGit(["cat-file", "commit", signed], { cwd: dir, raw: true })).bytes;
    const signers = parseAllowedSigners(signersText);
    expect(commitSigner(raw, signers, splitCommit(raw).committedAt)).toMatchObject({ verified: true, principal: "alice" });
    expect(splitCommit(raw)).toMatchObject({ message: "First\n\nBody line.\n", committedAt: new Date(1893456000 * 1000) });

    const byMallory = await writeSignedCommit(dir, { tree, parents: [signed], message: "Second\n" }, await loadSigner(mallory.privatePath));
    const malloryRaw = (await runGit(["cat-file", "commit", byMallory], { cwd: dir, raw: true })).bytes;
    expect(commitSigner(malloryRaw, signers, new Date())).toEqual({ verified: false, why: expect.stringMatching(/^signed by key SHA256:\S+, but the key is not in allowed_signers$/) });

    const plain = await git(["commit-tree", tree, "-p", signed], { cwd: dir, input: "Unsigned\n" });
    const plainRaw = (await runGit(["cat-file", "commit", plain], { cwd: dir, raw: true })).bytes;
    expect(commitSigner(plainRaw, signers, new Date())).toEqual({ verified: false, why: "the commit is not signed" });

    // Editing a signed commit's message breaks the signature.
    const forged = Buffer.from(raw.toString("utf8").replace("Body line.", "Other line."));
    expect(commitSigner(forged, signers, new Date())).toMatchObject({ verified: false, why: expect.stringMatching(/^bad signature/) });
  });
});

describe("merge messages", () => {
  it("read trailers and pull request numbers in GitHub's and skillreg's forms", () => {
    const message = "Merge publish/acme/deploy/1.0.0\n\nSkill: @acme/deploy@1.0.0\nPublisher: bob\nReviewer: alice\nScan-Decision: flagged\n";
    expect(Object.fromEntries(trailersOf(message))).toEqual({
      skill: ["@acme/deploy@1.0.0"],
      publisher: ["bob"],
      reviewer: ["alice"],
      "scan-decision": ["flagged"],
    });
    expect(pullRequestOf(message)).toBeUndefined();
    expect(pullRequestOf("Merge pull request #42 from acme/publish/acme/deploy/1.0.0\n\nPublish")).toBe(42);
    expect(pullRequestOf("Publish @acme/deploy@1.0.0 (#17)\n")).toBe(17);
    expect(pullRequestOf("Merge x\n\nPull-Request: #9\n")).toBe(9);
  });
});
