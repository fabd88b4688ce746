import { describe, expect, it } from "vitest";
import { skillPageHashes } from "../../registry/site-build/page-cache.js";
import type { SiteData } from "../../registry/site-build/index.js";

/** A view model with two skills, as buildSiteData makes it (only the fields the hash reads matter). */
function siteData(over: { commit?: string; description?: string; registryName?: string } = {}): SiteData {
  const skill = (name: string, description: string) => ({ scope: "acme", name, description, versions: [], history: [] });
  return {
    registry: { name: over.registryName ?? "acme", siteUrl: null, basePath: "/", gitUrl: null, audience: "public", commit: over.commit ?? "a".repeat(40), securityReviewers: [], ruleOverrides: [] },
    counts: { skills: 2, versions: 2, scopes: 1, publishers: 1 },
    recent: [],
    skills: [skill("deploy", over.description ?? "Deploys"), skill("lint", "Lints")],
    versions: [
      { scope: "acme", name: "deploy", summary: { version: "1.0.0" } },
      { scope: "acme", name: "lint", summary: { version: "1.0.0" } },
    ],
    scopes: [],
    audit: [],
    auditTotal: 0,
  } as unknown as SiteData;
}

describe("which skills' pages a rebuild renders again", () => {
  it("changes the hash of only the skill whose pages change", () => {
    const before = skillPageHashes(siteData(), "renderer-1");
    const after = skillPageHashes(siteData({ description: "Deploys, now with rollbacks" }), "renderer-1");
    expect(after.get("acme/deploy")).not.toBe(before.get("acme/deploy"));
    expect(after.get("acme/lint")).toBe(before.get("acme/lint"));
  });

  it("keeps every page across a new commit, and renders all again when the layout's data or the renderer changes", () => {
    const before = skillPageHashes(siteData(), "renderer-1");
    expect(skillPageHashes(siteData({ commit: "b".repeat(40) }), "renderer-1")).toEqual(before);
    const renamed = skillPageHashes(siteData({ registryName: "acme-skills" }), "renderer-1");
    const newRenderer = skillPageHashes(siteData(), "renderer-2");
    for (const key of before.keys()) {
      expect(renamed.get(key)).not.toBe(before.get(key));
      expect(newRenderer.get(key)).not.toBe(before.get(key));
    }
  });
});
