import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBin, type CliResult } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { launchChromium, type Chromium } from "../site/browser.js";
import { makeDemoRegistry, serveCatalog, type DemoRegistry, type ServedCatalog } from "./demo-catalog.js";

/**
 * A new user's journey from the catalog: open the served demo catalog in a real browser, copy
 * every command a skill's pages offer (with the page's own Copy button), run it verbatim in a
 * fresh project, and find the skill installed. `skillreg` is the built CLI; `npx skills` is the
 * locally installed `skills` CLI (skills@1.5.0, a devDependency): the program names are mapped
 * to them, the arguments are the page's, word for word.
 */

const SKILLS_CLI = fileURLToPath(new URL("../../node_modules/skills/bin/cli.mjs", import.meta.url));

/** The demo's skills, by who may see them: a public scope, a public skill in a private scope, private skills. */
const PUBLIC_SCOPE = ["alice/commit-message", "alice/dev-setup", "alice/pdf-text-extract"];
const PUBLIC_IN_PRIVATE_SCOPE = ["acme-corp/changelog-writer", "acme-corp/deploy-checklist"];
const PRIVATE = ["acme-corp/incident-postmortem", "acme-corp/nightly-db-backup"];

const root = tempDir("skillreg-journey-");
let demo: DemoRegistry;
let chromium: Chromium;
let projects = 0;

beforeAll(async () => {
  demo = await makeDemoRegistry(root);
  chromium = await launchChromium();
});
afterAll(() => chromium?.close());

/** A fresh, empty project folder with its own HOME. */
function freshProject(): { cwd: string; env: NodeJS.ProcessEnv } {
  const n = ++projects;
  const cwd = join(root, `project-${n}`);
  const home = join(root, `home-${n}`);
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", XDG_STATE_HOME: "", SKILLREG_TOKEN: "", GITHUB_TOKEN: "", DISABLE_TELEMETRY: "1" } };
}

function runSkillsCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SKILLS_CLI, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env, CI: "1" }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

/** Run a command as copied from a page, in a fresh project. */
async function runCopied(command: string): Promise<{ result: CliResult; cwd: string }> {
  expect(command, "commands are plain words, nothing to quote").toMatch(/^[\w@./:~^ -]+$/);
  const words = command.split(" ");
  const project = freshProject();
  if (words[0] === "skillreg") return { result: await runBin(words.slice(1), project), cwd: project.cwd };
  if (words[0] === "npx" && words[1] === "skills") return { result: await runSkillsCli(words.slice(2), project), cwd: project.cwd };
  throw new Error(`a page offers a command of an unknown program: ${command}`);
}

interface Offered {
  page: string;
  commands: string[];
  /** The page says it offers no command (yanked or blocked), and why. */
  refusal: string | null;
}

/** Click every Copy button on the page and read what it put on the clipboard. */
async function copyCommands(page: Page, url: string): Promise<Offered> {
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(200);
  const commands: string[] = [];
  const buttons = page.locator("button.copy");
  for (let i = 0; i < (await buttons.count()); i++) {
    await buttons.nth(i).click();
    commands.push(await page.evaluate(() => navigator.clipboard.readText()));
  }
  const refusal = page.locator(".install-none");
  return { page: url, commands, refusal: (await refusal.count()) > 0 ? await refusal.innerText() : null };
}

/** Every skill on the home page (one card each), then each skill page and its version pages. */
async function offersOf(catalog: ServedCatalog): Promise<{ skills: string[]; offers: Map<string, Offered[]> }> {
  const page = await chromium.context.newPage();
  try {
    await page.goto(catalog.url);
    const cards = await page.locator(".skill-card a.skill-name").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    const skills = cards.map((href) => /\/skills\/([^/]+\/[^/]+)\.html$/.exec(href)![1]!);
    const offers = new Map<string, Offered[]>();
    for (const [i, skill] of skills.entries()) {
      const skillPage = await copyCommands(page, cards[i]!);
      const versions = await page.locator("table.versions a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      const versionPages: Offered[] = [];
      for (const v of versions) versionPages.push(await copyCommands(page, v));
      offers.set(skill, [skillPage, ...versionPages]);
    }
    return { skills, offers };
  } finally {
    await page.close();
  }
}

async function indexEntry(catalog: ServedCatalog, skill: string): Promise<{ versions: { version: string; scan: { decision: string }; yanked: unknown }[] }> {
  return (await (await fetch(`${catalog.url}index/v1/skills/${skill}.json`)).json()) as never;
}

/** Run each offered command in a fresh project and check what it installed. */
async function installEveryOffer(catalog: ServedCatalog, offers: Map<string, Offered[]>): Promise<number> {
  let ran = 0;
  for (const [skill, pages] of offers) {
    const name = skill.split("/")[1]!;
    const entry = await indexEntry(catalog, skill);
    for (const offered of pages) {
      const version = /\/([^/]+)\.html$/.exec(offered.page)![1]!;
      const indexed = entry.versions.find((v) => v.version === version);
      if (indexed?.yanked) {
        expect(offered.commands, `${offered.page} offers a command for a yanked version`).toEqual([]);
        expect(offered.refusal).toContain(`${version} is yanked`);
        continue;
      }
      expect(offered.commands.length, `${offered.page} offers no command`).toBeGreaterThan(0);
      for (const command of offered.commands) {
        const { result, cwd } = await runCopied(command);
        expect(result.code, `${command}\n${result.stdout}${result.stderr}`).toBe(0);
        ran++;
        if (command.startsWith("skillreg ")) {
          const pinned = /@(\d+\.\d+\.\d+)/.exec(command.split(" ")[2]!)![1]!;
          const lock = readFileSync(join(cwd, "skillreg.lock"), "utf8");
          expect(lock).toContain(`@${skill}`);
          expect(lock).toContain(pinned);
          const folders = [...result.stdout.matchAll(/→ (\S+)/g)].map((m) => m[1]!);
          expect(folders.length, result.stdout).toBeGreaterThan(0);
          for (const folder of folders) {
            const installed = join(cwd, folder.startsWith("/") ? folder.slice(cwd.length + 1) : folder);
            expect(readFileSync(join(installed, "SKILL.md"), "utf8")).toContain(`version: "${pinned}"`);
          }
        } else {
          // The skills CLI installs what /.well-known/skills/ serves: the page's (latest) version.
          const installed = readFileSync(join(cwd, ".agents/skills", name, "SKILL.md"), "utf8");
          const latest = entry.versions.filter((v) => !v.yanked).at(-1)!;
          expect(installed).toContain(`version: "${latest.version}"`);
          expect(latest.scan.decision).toBe("pass");
        }
      }
    }
  }
  return ran;
}

describe("from the public catalog, served by skillreg serve", () => {
  let catalog: ServedCatalog;
  afterAll(() => catalog?.close());
  let skills: string[];
  let offers: Map<string, Offered[]>;

  beforeAll(async () => {
    catalog = await serveCatalog(demo.registry, "public");
    await chromium.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(catalog.url).origin });
    ({ skills, offers } = await offersOf(catalog));
  });

  it("lists each public skill once on the home page, public scope or not, and no private one", () => {
    expect([...skills].sort()).toEqual([...PUBLIC_IN_PRIVATE_SCOPE, ...PUBLIC_SCOPE].sort());
  });

  it("every command a skill's pages offer installs it verbatim in a fresh project; yanked versions offer none", async () => {
    const ran = await installEveryOffer(catalog, offers);
    // 5 skill pages + 6 installable version pages with pull, 4 skills that passed with `npx skills add` twice (skill and version page).
    expect(ran).toBeGreaterThanOrEqual(11);
    expect(offers.get("acme-corp/changelog-writer")!.find((o) => o.page.endsWith("/2.0.0.html"))!.refusal).toMatch(/Install 2\.1\.0, the newest good version, instead/);
  });

  it("offers `npx skills add` for every skill that passed, and the skills CLI installs it; nothing flagged is offered", async () => {
    const wellKnown = (await (await fetch(`${catalog.url}.well-known/skills/index.json`)).json()) as { skills: { name: string }[] };
    for (const skill of skills) {
      const entry = await indexEntry(catalog, skill);
      const latest = entry.versions.filter((v) => !v.yanked).at(-1)!;
      const name = skill.split("/")[1]!;
      const npx = offers.get(skill)![0]!.commands.filter((c) => c.startsWith("npx skills add"));
      if (latest.scan.decision === "pass") {
        expect(npx, skill).toEqual([`npx skills add ${catalog.url} --skill ${name} -y`]);
        expect(wellKnown.skills.map((s) => s.name)).toContain(name);
      } else {
        expect(npx, skill).toEqual([]);
        expect(wellKnown.skills.map((s) => s.name)).not.toContain(name);
      }
    }
    // What the skills CLI itself lists from this catalog: only what passed.
    const listed = await runSkillsCli(["add", catalog.url, "--list"], freshProject());
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("changelog-writer");
    expect(listed.stdout).not.toContain("dev-setup");
  });

  it("leads SKILL.md's relative links and the file list to the files, with numbered lines", async () => {
    const page = await chromium.context.newPage();
    try {
      await page.goto(`${catalog.url}skills/acme-corp/changelog-writer.html`);
      await page.locator(".markdown a", { hasText: "references/sections.md" }).click();
      await page.waitForURL(`${catalog.url}skills/acme-corp/changelog-writer/2.1.0/files/references/sections.md.html`);
      expect(await page.locator("h1").innerText()).toBe("references/sections.md");
      expect(await page.locator("table.code tr#L1 .ln").innerText()).toBe("1");
      await page.goto(`${catalog.url}skills/acme-corp/changelog-writer.html`);
      await page.locator("table.files a", { hasText: "scripts/commits-since-tag.sh" }).click();
      await page.waitForURL(`${catalog.url}skills/acme-corp/changelog-writer/2.1.0/files/scripts/commits-since-tag.sh.html`);
      expect(await page.locator("table.code tr#L1 .text").innerText()).toMatch(/^#!/);
    } finally {
      await page.close();
    }
  });

  it("keeps a script's executable bit through `skillreg pull`", async () => {
    const pull = offers.get("acme-corp/changelog-writer")![0]!.commands[0]!;
    const { result, cwd } = await runCopied(pull);
    expect(result.code, result.stderr).toBe(0);
    const folder = /→ (\S+)/.exec(result.stdout)![1]!;
    const script = join(folder.startsWith("/") ? folder : join(cwd, folder), "scripts/commits-since-tag.sh");
    expect(statSync(script).mode & 0o111).not.toBe(0);
  });

  it("says beside `npx skills add` that it drops executable bits, which is what the skills CLI does", async () => {
    const page = await chromium.context.newPage();
    let note: string;
    try {
      await page.goto(`${catalog.url}skills/acme-corp/changelog-writer.html`);
      const box = page.locator(".install", { has: page.locator("button.copy[data-copy^='npx skills add']") });
      note = await box.locator(".install-note").innerText();
    } finally {
      await page.close();
    }
    expect(note).toBe("npx skills drops executable bits: after installing, chmod +x scripts/commits-since-tag.sh in the skill folder, or use skillreg pull, which keeps them.");
    const npx = offers.get("acme-corp/changelog-writer")![0]!.commands.find((c) => c.startsWith("npx skills add"))!;
    const { result, cwd } = await runCopied(npx);
    expect(result.code, result.stderr).toBe(0);
    const script = join(cwd, ".agents/skills/changelog-writer/scripts/commits-since-tag.sh");
    expect(statSync(script).mode & 0o111, "the note would be wrong if the skills CLI kept the bit").toBe(0);
  });

  it("shows neither members nor membership history of the private scope that holds public skills", async () => {
    const page = await chromium.context.newPage();
    try {
      await page.goto(`${catalog.url}scopes/acme-corp.html`);
      expect(await page.locator("table.members").count()).toBe(0);
      expect(await page.locator("main").innerText()).toContain("This scope is private: its members and their changes are not part of the public catalog.");
      for (const path of ["scopes/acme-corp.html", "audit.html"]) {
        await page.goto(catalog.url + path);
        const events = await page.locator("table.audit tbody tr").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText));
        expect(events.length, path).toBeGreaterThan(0);
        expect(events.filter((e) => /member (added|removed)|role changed|scope created/.test(e) && e.includes("@acme-corp")), path).toEqual([]);
      }
    } finally {
      await page.close();
    }
  });
});

describe("from the internal catalog (skillreg serve --audience internal)", () => {
  let catalog: ServedCatalog;
  afterAll(() => catalog?.close());
  let offers: Map<string, Offered[]>;

  beforeAll(async () => {
    catalog = await serveCatalog(demo.registry, "internal");
    await chromium.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(catalog.url).origin });
    ({ offers } = await offersOf(catalog));
  });

  it("lists the private skills too, and every command offered for them installs them", async () => {
    expect([...offers.keys()].sort()).toEqual([...PUBLIC_IN_PRIVATE_SCOPE, ...PUBLIC_SCOPE, ...PRIVATE].sort());
    const privateOnly = new Map(PRIVATE.map((s) => [s, offers.get(s)!]));
    expect(await installEveryOffer(catalog, privateOnly)).toBeGreaterThanOrEqual(2);
  });

  it("offers a version that needs review only with --accept-risk, and never to the skills CLI", async () => {
    const [skillPage] = offers.get("acme-corp/nightly-db-backup")!;
    expect(skillPage!.commands).toEqual([`skillreg pull @acme-corp/nightly-db-backup@1.0.0 --registry ${catalog.url} --accept-risk`]);
    const page = await chromium.context.newPage();
    try {
      await page.goto(`${catalog.url}skills/acme-corp/nightly-db-backup.html`);
      expect(await page.locator(".release .badge-review").innerText()).toBe("needs review");
      expect(await page.locator(".scan-decision").innerText()).toMatch(/^Scan: needs review\./);
      expect(await page.locator(".page-head .notice-danger").innerText()).toMatch(/^Scan: needs review\. It reported 2 high, 1 medium findings in this version\./);
    } finally {
      await page.close();
    }
    // The CLI says it in the same words, and refuses it without --accept-risk.
    const withoutRisk = await runCopied(skillPage!.commands[0]!.replace(" --accept-risk", ""));
    expect(withoutRisk.result.code).toBe(1);
    expect(withoutRisk.result.stdout).toContain("scan: needs review");
    expect(withoutRisk.result.stderr).toContain("@acme-corp/nightly-db-backup@1.0.0 needs review (high-severity findings)");
  });
});
