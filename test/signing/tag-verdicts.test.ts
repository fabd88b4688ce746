import { readFileSync, symlinkSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../../registry/index/build.js";
import { readRegistryFacts, type RegistryFacts } from "../../registry/index/gather.js";
import { openTagVerdictCache } from "../../registry/index/tag-verdicts.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * A build with a cache folder keeps the verdicts of the release tags whose signatures passed,
 * so the next build checks only tags it has not seen: the index it writes is the same as
 * with every signature checked, and anything in doubt (another signer set, a spoilt file) is
 * checked again.
 */

let reg: RegistryFixture;
let alice: TestKey;
const root = tempDir();
const cacheDir = join(root, "cache");
const verdictFile = join(cacheDir, "tags", "verdicts.json");

beforeAll(async () => {
  alice = makeSshKey(root, "alice@acme.example");
  const mallory = makeSshKey(root, "mallory@evil.example");
  reg = await RegistryFixture.create(join(root, "reg"), {
    admins: ["alice@acme.example"],
    scopes: [{ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } }],
    signers: [{ key: alice }],
  });
  await reg.publish({ scope: "acme", name: "deploy", version: "1.0.0", signer: alice });
  await reg.publish({ scope: "acme", name: "lint", version: "0.1.0", signer: alice });
  // Signed by a key nobody allowed: never indexed, with or without a cache.
  await reg.publish({ scope: "acme", name: "rogue", version: "1.0.0", signer: mallory });
});

/** The index of `facts` with the cache folder, what it wrote, and how many signatures it checked. */
function cachedBuild(facts: RegistryFacts) {
  const tagVerdicts = openTagVerdictCache(cacheDir);
  const problems: string[] = [];
  const files = buildIndex(facts, { audience: "public", tagVerdicts, onProblem: (p) => problems.push(p) });
  tagVerdicts.save();
  return { files: [...files], problems, checked: tagVerdicts.stats.misses, reused: tagVerdicts.stats.hits };
}

describe("release-tag verdicts kept between builds", () => {
  let facts: RegistryFacts;
  let uncached: [string, string][];

  beforeAll(async () => {
    rmSync(cacheDir, { recursive: true, force: true });
    facts = await readRegistryFacts(reg.dir);
    uncached = [...buildIndex(facts, { audience: "public" })];
  });

  it("a rebuild checks only the tag that failed, and writes the same index", () => {
    const first = cachedBuild(facts);
    expect(first.checked).toBe(3);
    expect(first.files).toEqual(uncached);
    const again = cachedBuild(facts);
    expect(again).toMatchObject({ checked: 1, reused: 2, files: uncached });
    expect(again.problems.join("\n")).toMatch(/@acme\/rogue@1\.0\.0: .*signed by key/);
  });

  it("a new tag is checked, the others are not", async () => {
    await reg.publish({ scope: "acme", name: "lint", version: "0.2.0", signer: alice });
    const now = await readRegistryFacts(reg.dir);
    const rebuilt = cachedBuild(now);
    expect(rebuilt).toMatchObject({ checked: 2, reused: 2 });
    expect(rebuilt.files).toEqual([...buildIndex(now, { audience: "public" })]);
    facts = now;
    uncached = rebuilt.files;
  });

  it("another signer set checks every tag again", () => {
    cachedBuild(facts);
    const changed = { ...facts, allowedSignersText: `${facts.allowedSignersText}# a comment changes the set's text\n` };
    expect(cachedBuild(changed)).toMatchObject({ checked: 4, reused: 0, files: uncached });
  });

  it("a file that is corrupt, of another schema or a link is ignored whole: every tag is checked again", () => {
    const spoilt = [
      () => writeFileSync(verdictFile, '{"format":"skillreg-tag-verdicts/1","verdi'),
      () => writeFileSync(verdictFile, JSON.stringify({ format: "skillreg-tag-verdicts/0", verdicts: {} })),
      () => {
        const value = JSON.parse(readFileSync(verdictFile, "utf8")) as { verdicts: Record<string, unknown> };
        for (const key of Object.keys(value.verdicts)) value.verdicts[key] = ["alice@acme.example"];
        writeFileSync(verdictFile, JSON.stringify(value));
      },
      () => {
        const elsewhere = join(root, "verdicts-elsewhere.json");
        writeFileSync(elsewhere, readFileSync(verdictFile));
        rmSync(verdictFile);
        symlinkSync(elsewhere, verdictFile);
      },
    ];
    for (const spoil of spoilt) {
      cachedBuild(facts);
      spoil();
      expect(cachedBuild(facts)).toMatchObject({ checked: 4, reused: 0, files: uncached });
    }
  });
});
