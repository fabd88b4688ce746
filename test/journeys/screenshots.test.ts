import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBin } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { launchChromium, type Chromium } from "../site/browser.js";
import { makeDemoRegistry, serveCatalog, type DemoRegistry, type ServedCatalog } from "./demo-catalog.js";

/**
 * Every kind of catalog page at a desktop (1280 px) and a phone (390 px) width, from the
 * served demo catalog and from a registry with nothing published yet (the empty states).
 * Each is saved under test-artifacts/screenshots/ for a person to look at, and none may
 * scroll sideways: long lines and tables wrap, code scrolls only inside its own box.
 */

const SHOTS = fileURLToPath(new URL("../../test-artifacts/screenshots/", import.meta.url));
const WIDTHS = [1280, 390] as const;

const DEMO_PAGES: Record<string, { path: string; status?: number }> = {
  home: { path: "" },
  browse: { path: "browse.html" },
  scopes: { path: "scopes.html" },
  scope: { path: "scopes/acme-corp.html" },
  skill: { path: "skills/acme-corp/changelog-writer.html" },
  "skill-flagged": { path: "skills/alice/dev-setup.html" },
  version: { path: "skills/acme-corp/changelog-writer/2.1.0.html" },
  "version-yanked": { path: "skills/acme-corp/changelog-writer/2.0.0.html" },
  "version-deprecated": { path: "skills/acme-corp/changelog-writer/2.0.1.html" },
  file: { path: "skills/alice/dev-setup/0.2.0/files/scripts/install-packages.sh.html" },
  "file-markdown": { path: "skills/acme-corp/changelog-writer/2.1.0/files/references/sections.md.html" },
  audit: { path: "audit.html" },
  security: { path: "security.html" },
  "not-found": { path: "no/such/page.html", status: 404 },
};

/** Pages only the internal catalog has: a version that needs review, a private scope's members. */
const INTERNAL_PAGES: Record<string, { path: string; says: RegExp }> = {
  "internal-skill-review": { path: "skills/acme-corp/nightly-db-backup.html", says: /Scan: needs review\./ },
  "internal-scope": { path: "scopes/acme-corp.html", says: /alice\s+owner/ },
};

/** A new registry's pages, and what each must say in place of a list. */
const EMPTY_PAGES: Record<string, { path: string; says: RegExp }> = {
  "empty-home": { path: "", says: /No skills yet\. No public skill has been published to this registry yet\.\s+To publish one/ },
  "empty-browse": { path: "browse.html", says: /No skills yet\. Nothing public is published in this registry/ },
  "empty-scopes": { path: "scopes.html", says: /No scopes yet: a registry admin adds one with skillreg scope add/ },
};

const root = tempDir("skillreg-screens-");
let demo: DemoRegistry;
let chromium: Chromium;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  chromium = await launchChromium();
  page = await chromium.context.newPage();
});
afterAll(() => chromium?.close());

/** Screenshot one page at each width; returns how far it scrolls sideways at each (0 = not at all). */
async function shoot(catalog: ServedCatalog, kind: string, path: string, status = 200): Promise<Record<number, number>> {
  const overflow: Record<number, number> = {};
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    const response = await page.goto(catalog.url + path);
    expect(response?.status(), path).toBe(status);
    overflow[width] = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.screenshot({ path: join(SHOTS, `${kind}-${width}.png`), fullPage: true });
  }
  return overflow;
}

describe("screenshots of every page kind of the demo catalog", () => {
  let catalog: ServedCatalog;
  afterAll(() => catalog?.close());
  beforeAll(async () => {
    demo = await makeDemoRegistry(root);
    catalog = await serveCatalog(demo.registry, "public");
  });

  it.each(Object.entries(DEMO_PAGES))("%s: saved at 1280 and 390 px, no sideways scrolling", async (kind, { path, status }) => {
    expect(await shoot(catalog, kind, path, status)).toEqual({ 1280: 0, 390: 0 });
  });

  it.each(["skill", "version"])("%s page: the scan verdict, signer, reviewer and release commit are above the fold at both widths", async (kind) => {
    for (const width of WIDTHS) {
      const height = width === 390 ? 844 : 900;
      await page.setViewportSize({ width, height });
      await page.goto(catalog.url + DEMO_PAGES[kind]!.path);
      const facts = page.locator("dl.release");
      expect(await facts.locator("dt").allInnerTexts()).toEqual(["SCAN", "SIGNED BY", "REVIEWED BY", "RELEASED IN", "PUBLISHED"]);
      expect(await facts.locator("dd").nth(2).innerText()).not.toBe("not recorded");
      const box = (await facts.boundingBox())!;
      expect(box.y + box.height, `${kind} at ${width} px`).toBeLessThanOrEqual(height);
    }
  });
});

describe("screenshots of the demo's internal catalog", () => {
  let catalog: ServedCatalog;
  afterAll(() => catalog?.close());
  beforeAll(async () => {
    catalog = await serveCatalog(demo.registry, "internal");
  });

  it.each(Object.entries(INTERNAL_PAGES))("%s: saved at 1280 and 390 px, no sideways scrolling", async (kind, { path, says }) => {
    expect(await shoot(catalog, kind, path)).toEqual({ 1280: 0, 390: 0 });
    expect(await page.locator("main").innerText()).toMatch(says);
  });
});

describe("screenshots of a registry with nothing published yet", () => {
  let catalog: ServedCatalog;
  afterAll(() => catalog?.close());
  beforeAll(async () => {
    const registry = join(root, "empty-registry");
    const init = await runBin(["init", registry, "--name", "new-registry", "--admin", "admin"]);
    expect(init.code, init.stderr).toBe(0);
    catalog = await serveCatalog(registry, "public");
  });

  it.each(Object.entries(EMPTY_PAGES))("%s: says what is missing and what to do", async (kind, { path, says }) => {
    expect(await shoot(catalog, kind, path)).toEqual({ 1280: 0, 390: 0 });
    expect(await page.locator("main").innerText()).toMatch(says);
  });
});
