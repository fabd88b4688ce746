import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSite, type SiteBuildOptions, type SiteBuildResult } from "../../registry/site-build/build.js";
import type { TestKey } from "../helpers/keys.js";
import type { RegistryFixture } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";
import { PRIVATE, makeSiteRegistry } from "./site-registry.js";

/**
 * A rebuild with the site cache updates the last build's output in place. Whatever it kept
 * or rewrote, the result must be the site a full build of the same registry state writes,
 * byte for byte; and any doubt about the cache must end in a full build.
 */

/** Every file under `dir` (the build marker aside: it names the build), as bytes. */
function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name === ".skillreg-site") continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path));
  }
  return files;
}

/** The paths that differ between two trees: missing on one side, or other bytes. */
function differences(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths].filter((p) => !a.has(p) || !b.has(p) || !a.get(p)!.equals(b.get(p)!)).sort();
}

/** The public scope's file as the site registry wrote it, with `skills` changed. */
function acmeScope(skills: NonNullable<Parameters<RegistryFixture["updateScope"]>[0]["skills"]>) {
  return {
    scope: "acme",
    visibility: "public" as const,
    members: { "alice@acme.example": "owner", "bob@acme.example": "maintainer", "carol@acme.example": "reader" } as const,
    skills: {
      [PRIVATE.skill]: { visibility: "private" as const, yanked: { "2.0.0": "leaked a quokka credential" } },
      "lint-fixer": { yanked: { "0.9.0": "rewrote files outside the project" }, deprecated: { "1.0.0": "use lint-doctor instead" } },
      ...skills,
    },
  };
}

describe("skillreg build with its cache: in-place rebuilds equal full builds", () => {
  const root = tempDir();
  const out = join(root, "site");
  let registryDir: string;
  let fixture: RegistryFixture;
  let alice: TestKey;
  let opts: SiteBuildOptions;
  let fullBuilds = 0;

  beforeAll(async () => {
    ({ fixture, dir: registryDir, alice } = await makeSiteRegistry(root));
    opts = { outDir: out, audience: "public", baseUrl: "https://skills.acme.example/", cacheDir: join(root, "cache") };
    const first = await buildSite(registryDir, opts);
    expect(first.reusedSkills).toBe(0);
  });

  /** Rebuild in place, then build the same state from nothing elsewhere; both must be equal. */
  async function rebuildMatchesFull(): Promise<{ incremental: SiteBuildResult; steps: string[] }> {
    const steps: string[] = [];
    const incremental = await buildSite(registryDir, { ...opts, onProgress: (s) => steps.push(s) });
    const fullDir = join(root, `full-${++fullBuilds}`);
    const full = await buildSite(registryDir, { ...opts, outDir: fullDir, cacheDir: undefined });
    expect(differences(readTree(out), readTree(fullDir))).toEqual([]);
    expect(incremental.pages).toBe(full.pages);
    expect(incremental.searchPages).toBe(full.searchPages);
    return { incremental, steps };
  }

  it("renders only a skill that published a new version", async () => {
    await fixture.publish({ scope: "acme", name: "deploy-helper", version: "1.2.0", signer: alice, description: "Deploys the current branch, now with rollbacks" });
    const { incremental, steps } = await rebuildMatchesFull();
    expect(steps).toContain("making the view models of 1 skills (3 unchanged)");
    // Without an Astro build: with the server bundle the first build kept.
    expect(steps).toContain("rendering 1 skill pages and 3 version pages with the kept Astro bundle");
    expect(incremental.reusedSkills).toBe(3);
    expect(readFileSync(join(out, "skills/acme/deploy-helper/1.2.0.html"), "utf8")).toContain("now with rollbacks");
  });

  it("writes the same site when a first build makes and renders the skills' pages one skill at a time, the decided skills waiting on disk, and its cache serves a rebuild", async () => {
    const steps: string[] = [];
    const inParts = { ...opts, outDir: join(root, "in-parts"), cacheDir: join(root, "in-parts-cache"), skillsHeld: 1 };
    const first = await buildSite(registryDir, { ...inParts, skillsPerPart: 1, onProgress: (s) => steps.push(s) });
    expect(steps).toContain(`making the view models of ${first.skills} skills (0 unchanged), 1 at a time as they render`);
    // One skill held, and the one being decided: the others were on disk until their part rendered.
    expect(first.skills).toBeGreaterThan(2);
    expect(first.heldSkills).toBe(2);
    const whole = await buildSite(registryDir, { ...opts, outDir: join(root, "in-one"), cacheDir: undefined });
    expect(differences(readTree(inParts.outDir), readTree(join(root, "in-one")))).toEqual([]);
    expect(first.pages).toBe(whole.pages);
    expect(first.newest).toBe(whole.newest);
    // The parts recorded each skill's pages as they were made: a rebuild of the same state renders none (its decided skills on disk too).
    const again = await buildSite(registryDir, { ...inParts, skillsPerPart: 1 });
    expect(again.reusedSkills).toBe(first.skills);
    expect(again.heldSkills).toBe(2);
    expect(differences(readTree(inParts.outDir), readTree(join(root, "in-one")))).toEqual([]);
  });

  it("renders only a skill that was added", async () => {
    await fixture.publish({ scope: "acme", name: "cache-warmer", version: "0.1.0", signer: alice, description: "Warms the build cache before a release" });
    const { incremental } = await rebuildMatchesFull();
    expect(incremental.reusedSkills).toBe(4);
    expect(existsSync(join(out, "skills/acme/cache-warmer.html"))).toBe(true);
  });

  it("renders only a skill whose version was yanked", async () => {
    await fixture.updateScope(acmeScope({ "cache-warmer": { yanked: { "0.1.0": "warmed the wrong cache" } } }));
    const { incremental } = await rebuildMatchesFull();
    expect(incremental.reusedSkills).toBe(4);
    expect(readFileSync(join(out, "skills/acme/cache-warmer/0.1.0.html"), "utf8")).toContain("warmed the wrong cache");
  });

  it("deletes the pages and index files of a skill that left the public catalog", async () => {
    await fixture.updateScope(acmeScope({ "cache-warmer": { yanked: { "0.1.0": "warmed the wrong cache" } }, "report-page": { visibility: "private" } }));
    const { incremental } = await rebuildMatchesFull();
    expect(incremental.reusedSkills).toBe(4);
    expect(existsSync(join(out, "skills/acme/report-page.html"))).toBe(false);
    expect(existsSync(join(out, "skills/acme/report-page"))).toBe(false);
    expect(existsSync(join(out, "index/v1/skills/acme/report-page.json"))).toBe(false);
  });

  it("builds with Astro again when the kept bundle does not render, and keeps a new one", async () => {
    const kept = join(opts.cacheDir!, "site", readdirSync(join(opts.cacheDir!, "site"))[0]!, "renderer");
    const manifest = readdirSync(kept).find((f) => f.startsWith("manifest_"))!;
    writeFileSync(join(kept, manifest), "export const manifest = undefined;\n");
    await fixture.publish({ scope: "acme", name: "cache-warmer", version: "0.2.0", signer: alice, description: "Warms the build cache twice" });
    const { steps } = await rebuildMatchesFull();
    expect(steps.some((s) => s.startsWith("the kept Astro bundle failed")), steps.join("\n")).toBe(true);
    expect(steps).toContain("rendering 1 skill pages and 2 version pages with Astro");
    const renewed = readdirSync(kept).find((f) => f.startsWith("manifest_"))!;
    expect(readFileSync(join(kept, renewed), "utf8")).not.toContain("manifest = undefined");
    const next = await rebuildMatchesFull();
    expect(next.steps).toContain("rendering 0 skill pages and 0 version pages with the kept Astro bundle");
  });

  describe("builds every page again when the cache is in doubt", () => {
    const state = () => join(opts.cacheDir!, "site", readdirSync(join(opts.cacheDir!, "site"))[0]!, "state.json");
    const editState = (edit: (s: Record<string, unknown>) => void) => {
      const value = JSON.parse(readFileSync(state(), "utf8")) as Record<string, unknown>;
      edit(value);
      writeFileSync(state(), JSON.stringify(value));
    };

    /** Rebuild after `spoil`; every skill is rendered again, and the site is the full build's. */
    async function rebuildsInFull(spoil: () => void, why: RegExp): Promise<void> {
      spoil();
      const { incremental, steps } = await rebuildMatchesFull();
      expect(incremental.reusedSkills).toBe(0);
      expect(steps.some((s) => why.test(s)), steps.join("\n")).toBe(true);
    }

    it("made by another renderer (other templates, config or Astro)", async () => {
      await rebuildsInFull(() => editState((s) => (s.renderer = "0".repeat(64))), /another version of the catalog's renderer/);
    });

    it("corrupted", async () => {
      await rebuildsInFull(() => writeFileSync(state(), '{"format":"skillreg-site-state/1","skil'), /state is unreadable/);
    });

    it("of another schema, or naming a file outside the index", async () => {
      await rebuildsInFull(() => editState((s) => (s.format = "skillreg-site-state/0")), /does not match its schema/);
      await rebuildsInFull(() => editState((s) => ((s.files as Record<string, string>)["index/../../escape.html"] = "0".repeat(64))), /unsafe path/);
    });

    it("not describing the output folder: a build died half-way, a page was added to it or removed", async () => {
      await rebuildsInFull(() => writeFileSync(join(out, ".skillreg-site"), "This folder was built by `skillreg build`; the next build replaces it.\n"), /is not the output the site cache describes/);
      await rebuildsInFull(() => writeFileSync(join(out, "skills/acme/planted.html"), "<script>alert(1)</script>"), /skills\/acme\/planted\.html is no page of a skill it built/);
      expect(existsSync(join(out, "skills/acme/planted.html"))).toBe(false);
      await rebuildsInFull(() => rmSync(join(out, "skills/acme/lint-fixer.html")), /skills\/acme\/lint-fixer\.html is missing/);
    });

    it("whose output links a folder the rebuild writes into out of it", async () => {
      const elsewhere = join(root, "elsewhere");
      await rebuildsInFull(() => {
        renameSync(join(out, "index"), elsewhere);
        symlinkSync(elsewhere, join(out, "index"));
      }, /index is not a folder/);
      expect(lstatSync(join(out, "index")).isDirectory()).toBe(true);
      // The folder the link led to is as the link left it: nothing was written through it.
      expect(readdirSync(join(elsewhere, "v1", "skills", "acme")).sort()).toEqual(["cache-warmer.json", "deploy-helper.json", "lint-fixer.json", "shiny-widget.json"]);
    });
  });
});
