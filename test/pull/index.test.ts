import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex, buildIndexModel, wellKnownFiles, writeIndex } from "../../registry/index/build.js";
import { readRegistryFacts, streamRegistryFacts } from "../../registry/index/gather.js";
import {
  indexAllSchema,
  indexConfigSchema,
  indexSkillSchema,
  parseIndexFile,
  wellKnownIndexSchema,
  type IndexConfig,
  type IndexSkill,
} from "../../registry/index/schema.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

let reg: RegistryFixture;
let alice: TestKey;
let mallory: TestKey;
let bob: TestKey;

beforeAll(async () => {
  const dir = tempDir();
  alice = makeSshKey(dir, "alice@acme.example");
  bob = makeSshKey(dir, "bob@acme.example");
  mallory = makeSshKey(dir, "mallory@evil.example");
  reg = await RegistryFixture.create(join(dir, "reg"), {
    admins: ["alice@acme.example"],
    gitUrl: "https://git.acme.example/skills.git",
    scopes: [
      { scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" }, skills: { secret: { visibility: "private" } } },
      { scope: "internal", visibility: "private", members: { "bob@acme.example": "owner" } },
    ],
    signers: [{ key: alice }, { key: bob }],
  });
  await reg.publish({ scope: "acme", name: "deploy", version: "1.0.0", signer: alice, files: { "run.sh": "echo one\n" }, at: "2026-02-01T10:00:00Z" });
  await reg.publish({ scope: "acme", name: "deploy", version: "1.10.0", signer: alice, files: { "run.sh": "echo ten\n" }, at: "2026-02-03T10:00:00Z" });
  await reg.publish({ scope: "acme", name: "deploy", version: "1.2.0", signer: alice, files: { "run.sh": "echo two\n" }, at: "2026-02-02T10:00:00Z" });
  await reg.publish({ scope: "acme", name: "secret", version: "0.1.0", signer: alice });
  await reg.publish({ scope: "internal", name: "tool", version: "2.0.0", signer: bob });
  // Signed by a key nobody allowed: published by mistake, must stay out of the index.
  await reg.publish({ scope: "acme", name: "rogue", version: "1.0.0", signer: mallory });
  await reg.updateScope({
    scope: "acme",
    visibility: "public",
    members: { "alice@acme.example": "owner" },
    skills: { secret: { visibility: "private" }, deploy: { yanked: { "1.10.0": "broke prod" }, deprecated: { "1.0.0": "use 1.2" } } },
  });
});

describe("index build", () => {
  it("is deterministic and every file matches its schema", async () => {
    const facts = await readRegistryFacts(reg.dir);
    const problems: string[] = [];
    const a = buildIndex(facts, { audience: "public", onProblem: (p) => problems.push(p) });
    const b = buildIndex(await readRegistryFacts(reg.dir), { audience: "public" });
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.keys()].sort()).toEqual([
      ".well-known/skills/index.json",
      "index/v1/all.json",
      "index/v1/config.json",
      "index/v1/skills/acme/deploy.json",
    ]);
    parseIndexFile(a.get("index/v1/config.json")!, indexConfigSchema, "config");
    parseIndexFile(a.get("index/v1/all.json")!, indexAllSchema, "all");
    parseIndexFile(a.get(".well-known/skills/index.json")!, wellKnownIndexSchema, "well-known");
    expect(problems.join("\n")).toMatch(/@acme\/rogue@1\.0\.0: .*not in allowed_signers|@acme\/rogue@1\.0\.0: .*signed by key/);
  });

  it("records versions in semver order with signer, times, scan and flags", async () => {
    const files = buildIndex(await readRegistryFacts(reg.dir), { audience: "public" });
    const deploy = parseIndexFile<IndexSkill>(files.get("index/v1/skills/acme/deploy.json")!, indexSkillSchema, "deploy");
    expect(deploy.versions.map((v) => v.version)).toEqual(["1.0.0", "1.2.0", "1.10.0"]);
    const [v100, v120, v1100] = deploy.versions;
    // Released after 1.10.0 on the main line, so no earlier than it, whatever date its commit claims.
    expect(v120!.publishedAt).toBe("2026-02-03T10:00:00Z");
    expect(v120!.signer.principal).toBe("alice@acme.example");
    expect(v120!.signer.fingerprint).toMatch(/^SHA256:/);
    expect(v120!.tag).toBe("@acme/deploy@1.2.0");
    expect(v120!.tagObject).toBe(await reg.git(["rev-parse", "refs/tags/@acme/deploy@1.2.0"]));
    expect(v120!.tree).toBe(await reg.git(["rev-parse", "refs/tags/@acme/deploy@1.2.0^{tree}"]));
    expect(v120!.files.map((f) => f.path)).toEqual(["SKILL.md", "run.sh"]);
    expect(v120!.scan.decision).toMatch(/^(pass|flagged)$/);
    expect(v1100!.yanked).toEqual({ reason: "broke prod" });
    expect(v100!.deprecated).toEqual({ reason: "use 1.2" });
    const all = JSON.parse(files.get("index/v1/all.json")!);
    expect(all.skills).toEqual([
      expect.objectContaining({ scope: "acme", name: "deploy", latest: "1.2.0", versions: 3, updatedAt: "2026-02-03T10:00:00Z", visibility: "public" }),
    ]);
  });

  it("sha256 is sha256sum of the sha256sum manifest (of the work tree at the last publish, 1.2.0)", async () => {
    const files = buildIndex(await readRegistryFacts(reg.dir), { audience: "public" });
    const deploy = JSON.parse(files.get("index/v1/skills/acme/deploy.json")!) as IndexSkill;
    const { execFileSync } = await import("node:child_process");
    const dir = join(reg.dir, "skills/acme/deploy");
    const manifest = execFileSync("sh", ["-c", "find . -type f | sed 's#^./##' | LC_ALL=C sort | xargs sha256sum | sha256sum"], { cwd: dir }).toString();
    expect(manifest.split(" ")[0]).toBe(deploy.versions.find((v) => v.version === "1.2.0")!.sha256);
  });

  it("public audience leaves out private skills and scopes; internal has them", async () => {
    const facts = await readRegistryFacts(reg.dir);
    const pub = buildIndex(facts, { audience: "public" });
    const config = JSON.parse(pub.get("index/v1/config.json")!) as IndexConfig;
    expect(Object.keys(config.scopes)).toEqual(["acme"]);
    expect(config.signers.map((s) => s.principal)).toEqual(["alice@acme.example"]);
    expect(config.gitUrl).toBe("https://git.acme.example/skills.git");
    for (const text of pub.values()) {
      expect(text).not.toContain("secret");
      expect(text).not.toContain("internal");
    }
    const internal = buildIndex(facts, { audience: "internal", gitUrl: "http://127.0.0.1:1/git/reg/.git" });
    expect([...internal.keys()]).toContain("index/v1/skills/internal/tool.json");
    expect([...internal.keys()]).toContain("index/v1/skills/acme/secret.json");
    expect(JSON.parse(internal.get("index/v1/config.json")!).gitUrl).toBe("http://127.0.0.1:1/git/reg/.git");
  });

  it("well-known index lists the latest version's files, served next to it", async () => {
    const model = buildIndexModel(await readRegistryFacts(reg.dir), { audience: "public" });
    expect(model.wellKnown.skills).toEqual([{ name: "deploy", description: "The deploy skill for tests.", files: ["SKILL.md", "run.sh"] }]);
    const served = wellKnownFiles(model);
    expect(Buffer.from(served.get(".well-known/skills/deploy/run.sh")!).toString()).toBe("echo two\n");
  });

  it("leaves out a version whose tag was moved away from its publish record", async () => {
    const facts = await readRegistryFacts(reg.dir);
    const moved = facts.versions.find((v) => v.version === "1.2.0")!;
    moved.refTagObjectId = "0".repeat(40);
    const problems: string[] = [];
    const files = buildIndex(facts, { audience: "public", onProblem: (p) => problems.push(p) });
    const deploy = JSON.parse(files.get("index/v1/skills/acme/deploy.json")!) as IndexSkill;
    expect(deploy.versions.map((v) => v.version)).toEqual(["1.0.0", "1.10.0"]);
    expect(problems).toContain(`@acme/deploy@1.2.0: the tag points at object ${"0".repeat(40)}, but the publish record is object ${moved.tagObjectId}`);
  });

  it("written one skill at a time from the streamed registry, is the same files byte for byte", async () => {
    for (const opts of [{ audience: "public" as const }, { audience: "internal" as const, gitUrl: "http://127.0.0.1:1/git/reg/.git" }]) {
      const problems: string[] = [];
      const whole = buildIndex(await readRegistryFacts(reg.dir), { ...opts, onProblem: (p) => problems.push(p) });
      // Two skills per read: the registry's skills come in several batches.
      const stream = await streamRegistryFacts(reg.dir, { skillsPerRead: 2 });
      const written = new Map<string, string>();
      const streamedProblems: string[] = [];
      const result = await writeIndex(stream.head, stream.skills, { ...opts, onProblem: (p) => streamedProblems.push(p) }, async (path, text) => {
        expect(written.has(path)).toBe(false);
        written.set(path, text);
      });
      expect(new Map([...written].sort())).toEqual(new Map([...whole].sort()));
      expect(result.files).toBe(whole.size);
      expect(result.all).toEqual(JSON.parse(whole.get("index/v1/all.json")!));
      expect(streamedProblems.sort()).toEqual(problems.sort());
    }
  });

  it("a publish record whose blob is missing is a stray whether the registry is read whole or streamed", async () => {
    const copy = join(tempDir(), "reg");
    cpSync(reg.dir, copy, { recursive: true });
    const blob = execFileSync("git", ["rev-parse", "main:publish/acme/deploy/1.2.0.tag"], { cwd: copy, encoding: "utf8" }).trim();
    rmSync(join(copy, ".git/objects", blob.slice(0, 2), blob.slice(2)));

    const facts = await readRegistryFacts(copy);
    expect(facts.strayPublishFiles).toEqual(["publish/acme/deploy/1.2.0.tag"]);
    const whole = buildIndex(facts, { audience: "public" });
    const stream = await streamRegistryFacts(copy);
    const written = new Map<string, string>();
    await writeIndex(stream.head, stream.skills, { audience: "public" }, async (path, text) => void written.set(path, text));
    expect(stream.head.strayPublishFiles).toEqual(["publish/acme/deploy/1.2.0.tag"]);
    expect(new Map([...written].sort())).toEqual(new Map([...whole].sort()));
    expect((JSON.parse(written.get("index/v1/skills/acme/deploy.json")!) as IndexSkill).versions.map((v) => v.version)).toEqual(["1.0.0", "1.10.0"]);
  });
});
