import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../registry/site-build/build.js";
import { serveStatic, type StaticServer } from "../../registry/site-build/serve.js";
import { tempDir } from "../helpers/tmp.js";
import { launchChromium, type Chromium } from "./browser.js";
import { PRIVATE, makeSiteRegistry } from "./site-registry.js";

const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/site/", import.meta.url));
const SKILLS_CLI = fileURLToPath(new URL("../../node_modules/skills/bin/cli.mjs", import.meta.url));

const root = tempDir();
const site = join(root, "site");
let server: StaticServer;

beforeAll(async () => {
  const { dir } = await makeSiteRegistry(root);
  mkdirSync(site);
  // Listen first so the site is built for the URL it is served at, as `skillreg serve` does.
  server = await serveStatic(site, { port: 0 });
  await buildSite(dir, { outDir: site, audience: "public", baseUrl: server.url });
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(() => server?.close());

describe("the catalog in headless Chromium", () => {
  let chromium: Chromium;
  let page: Page;
  const problems: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${page.url()}: console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterAll(() => chromium?.close());

  async function open(path: string): Promise<void> {
    const response = await page.goto(server.url + path);
    expect(response?.status(), path).toBe(200);
  }

  it("searches offline and finds a skill by its description", async () => {
    await open("");
    await page.getByLabel("Search skills").fill("staging cluster");
    const result = page.locator(".search-results a").first();
    await expect.poll(() => result.textContent(), { timeout: 15_000 }).toBe("@acme/deploy-helper");
    await expect.poll(() => page.locator("#search-status").textContent()).toBe("1 skill matches “staging cluster”.");
    // A result names the latest version and its scan badge, in the words the skill's card uses.
    const card = page.locator(".skill-list .skill-card", { has: page.locator('a[href$="skills/acme/deploy-helper.html"]') });
    const head = page.locator(".search-results .skill-card-head").first();
    expect(await head.locator(".version").textContent()).toBe("1.1.0");
    expect(await head.locator(".badge").textContent()).toBe(await card.locator(".badge").first().textContent());
    expect(await head.locator(".badge").getAttribute("class")).toBe(await card.locator(".badge").first().getAttribute("class"));
    await page.screenshot({ path: join(ARTIFACTS, "home-search.png"), fullPage: true });
    await result.click();
    await page.waitForURL(`${server.url}skills/acme/deploy-helper.html`);

    await open("");
    await page.getByLabel("Search skills").fill(PRIVATE.skill);
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe(`No skill matches “${PRIVATE.skill}”.`);
  });

  it("keeps the query in the address, so a search can be shared and Back from a result shows it again", async () => {
    await open("");
    await page.getByLabel("Search skills").fill("staging cluster");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe("1 skill matches “staging cluster”.");
    expect(new URL(page.url()).searchParams.get("q")).toBe("staging cluster");
    await page.locator(".search-results a").first().click();
    await page.waitForURL(`${server.url}skills/acme/deploy-helper.html`);
    await page.goBack();
    await expect.poll(() => page.locator(".search-results a").allTextContents(), { timeout: 15_000 }).toEqual(["@acme/deploy-helper"]);
    expect(await page.getByLabel("Search skills").inputValue()).toBe("staging cluster");
    // The shared address shows the same results in a new tab; clearing the box clears the address.
    const shared = await chromium.context.newPage();
    await shared.goto(page.url());
    await expect.poll(() => shared.locator(".search-results a").allTextContents(), { timeout: 15_000 }).toEqual(["@acme/deploy-helper"]);
    await shared.getByLabel("Search skills").fill("");
    await expect.poll(() => new URL(shared.url()).search).toBe("");
    await shared.close();
  });

  it("shows the search box's whole placeholder at a phone's width", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await open("");
      const { text, needed, room } = await page.getByLabel("Search skills").evaluate((el) => {
        const input = el as HTMLInputElement;
        const style = getComputedStyle(input);
        const context = document.createElement("canvas").getContext("2d")!;
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        return { text: input.placeholder, needed: context.measureText(input.placeholder).width, room: input.clientWidth - padding };
      });
      expect(text).not.toBe("");
      expect(needed, `"${text}" at 390 px`).toBeLessThanOrEqual(room);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it("finds a skill by the start of a word, and shows a hostile description as text", async () => {
    await open("");
    await page.getByLabel("Search skills").fill("widg");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe("1 skill matches “widg”.");
    expect(await page.locator(".search-results a").allTextContents()).toEqual(["@acme/shiny-widget"]);
    expect(await page.locator(".search-results a").getAttribute("href")).toBe(`${server.url}skills/acme/shiny-widget.html`);
    expect(await page.locator(".search-results p").textContent()).toBe("Renders widgets <script>alert('desc')</script>");
    expect(await page.locator(".search-results").evaluate((ul) => [...ul.querySelectorAll("*")].map((el) => el.tagName))).toEqual(["LI", "DIV", "A", "SPAN", "SPAN", "SPAN", "P"]);
    expect(await page.locator(".search-results .skill-card-head").innerText()).toBe("@acme/shiny-widget\n1.0.0\npassed");
    // Words of the description's markup are words like any other; several words narrow.
    await page.getByLabel("Search skills").fill("script alert");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe("1 skill matches “script alert”.");
    await page.getByLabel("Search skills").fill("script staging");
    await expect.poll(() => page.locator("#search-status").textContent(), { timeout: 15_000 }).toBe("No skill matches “script staging”.");
    expect(dialogs).toEqual([]);
  });

  it("shows a skill's findings by severity with file:line, its flag and the pinned install command", async () => {
    await open("skills/acme/deploy-helper.html");
    const medium = page.locator(".finding-medium");
    await expect.poll(() => medium.locator(".location").textContent()).toBe("scripts/deploy.sh:4");
    expect(await medium.locator(".rule").textContent()).toBe("SR-DESTROY-005");
    expect(await page.locator(".notice-warn").first().textContent()).toContain("Scan: flagged. It reported 1 medium finding in this version.");
    expect(await page.locator(".install-cmd").first().textContent()).toBe(`skillreg pull @acme/deploy-helper@1.1.0 --registry ${server.url}`);
    // The finding's location opens the file at its line.
    await medium.locator(".location").click();
    await page.waitForURL(`${server.url}skills/acme/deploy-helper/1.1.0/files/scripts/deploy.sh.html#L4`);
    expect(await page.locator("tr#L4 .text").textContent()).toBe("git push --force origin main");
    await open("skills/acme/deploy-helper.html");
    expect(await page.locator("table.versions tbody tr").count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, "skill.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(ARTIFACTS, "skill-mobile.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("shows what a version changed, with a SKILL.md diff", async () => {
    await open("skills/acme/deploy-helper/1.1.0.html");
    expect(await page.locator("h2#changes-h").textContent()).toBe("Changes since 1.0.0");
    expect(await page.locator(".change-added").allTextContents()).toEqual(["added"]);
    const added = await page.locator(".diff .line-add .text").allTextContents();
    expect(added).toContain("Run scripts/deploy.sh to roll out the branch.");
    expect(await page.locator(".diff .line-del .text").allTextContents()).toContain("Explain what the skill does.");
    await page.screenshot({ path: join(ARTIFACTS, "version-diff.png"), fullPage: true });
  });

  it("renders a malicious SKILL.md inert: no dialog, no script run, nothing injected", async () => {
    await open("skills/acme/shiny-widget.html");
    await page.waitForLoadState("load");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    const injected = await page.evaluate(() =>
      [...document.querySelectorAll(".markdown *")]
        .filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name) || a.name === "style" || a.name === "src") || /^(SCRIPT|IFRAME|FORM|IMG|SVG|STYLE|DIV)$/i.test(el.tagName))
        .map((el) => el.outerHTML),
    );
    expect(injected).toEqual([]);
    // The author's HTML is shown as text, for the reviewer.
    expect(await page.locator(".markdown pre.raw-html").first().textContent()).toContain("<img src=x onerror=");
    await page.locator(".markdown a", { hasText: "Click me" }).click();
    expect(page.url()).toBe(`${server.url}skills/acme/shiny-widget.html`);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, "malicious-skill.png"), fullPage: true });
  });

  it("has landmarks, one h1 and labelled controls on every page, and no console errors", async () => {
    for (const path of ["", "browse.html", "scopes.html", "scopes/acme.html", "skills/acme/lint-fixer.html", "skills/acme/lint-fixer/0.9.0.html", "audit.html", "security.html"]) {
      await open(path);
      const a11y = await page.evaluate(() => ({
        main: document.querySelectorAll("main").length,
        nav: document.querySelectorAll("nav[aria-label]").length > 0,
        h1: document.querySelectorAll("h1").length,
        lang: document.documentElement.lang,
        unlabelled: [...document.querySelectorAll("input, button")].filter(
          (el) => !(el as HTMLElement).getAttribute("aria-label") && !(el.id && document.querySelector(`label[for="${el.id}"]`)) && !el.textContent?.trim(),
        ).length,
      }));
      expect(a11y, path).toEqual({ main: 1, nav: true, h1: 1, lang: "en", unlabelled: 0 });
    }
    await open("audit.html");
    await page.screenshot({ path: join(ARTIFACTS, "audit.png"), fullPage: true });
    await open("security.html");
    await page.screenshot({ path: join(ARTIFACTS, "security.png"), fullPage: true });
    expect(problems).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

describe("the skills CLI (npm package skills@1.5.0) against the served site", () => {
  function skillsCli(args: string[], cwd: string): Promise<{ code: number; out: string }> {
    const home = join(root, "home");
    mkdirSync(home, { recursive: true });
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [SKILLS_CLI, ...args],
        {
          cwd,
          env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, ".config"), XDG_STATE_HOME: join(home, ".state"), DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", NO_COLOR: "1", CI: "1" },
          timeout: 60_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
      );
    });
  }

  it("installs a public skill that passed the scan from /.well-known/skills/ with exactly the published files", async () => {
    const project = join(root, "project");
    mkdirSync(project);
    const r = await skillsCli(["add", server.url, "--skill", "lint-fixer", "--agent", "claude-code", "--yes", "--copy"], project);
    expect(r.out).toContain("lint-fixer");
    expect(r.code).toBe(0);
    const installed = join(project, ".claude/skills/lint-fixer");
    expect(readFileSync(join(installed, "SKILL.md"))).toEqual(readFileSync(join(site, ".well-known/skills/lint-fixer/SKILL.md")));
  });

  it("is not offered a flagged skill: it would install without showing the flag", async () => {
    const project = join(root, "project-flagged");
    mkdirSync(project);
    const r = await skillsCli(["add", server.url, "--skill", "deploy-helper", "--agent", "claude-code", "--yes", "--copy"], project);
    expect(existsSync(join(project, ".claude/skills/deploy-helper"))).toBe(false);
    expect(r.out).not.toContain("Installed 1 skill");
  });

  it("cannot install a private skill: the public site does not have it", async () => {
    const project = join(root, "project-private");
    mkdirSync(project);
    const r = await skillsCli(["add", server.url, "--skill", PRIVATE.skill, "--agent", "claude-code", "--yes", "--copy"], project);
    expect(r.code).not.toBe(0);
    expect(existsSync(join(project, ".claude/skills", PRIVATE.skill))).toBe(false);
  });
});
