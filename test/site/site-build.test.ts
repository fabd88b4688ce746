import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  indexAllSchema,
  indexConfigSchema,
  indexSkillSchema,
  parseIndexFile,
  wellKnownIndexSchema,
  type IndexAll,
  type IndexConfig,
  type IndexSkill,
  type WellKnownIndex,
} from "../../registry/index/schema.js";
import { BIN, runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { EVIL_SKILL_MD, PRIVATE, makeSiteRegistry } from "./site-registry.js";

/** Every file under `dir` as text, gzip members decompressed. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    let bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    files.set(relative(dir, path), bytes.toString("latin1"));
  }
  return files;
}

/** Words that name or describe a private skill or scope, and a line of a private file. */
const SECRETS = [
  PRIVATE.skill,
  PRIVATE.scope,
  PRIVATE.scopeSkill,
  PRIVATE.description,
  PRIVATE.scopeSkillDescription,
  PRIVATE.fileText,
  PRIVATE.signer,
  // Single words too: the search index stores words, lower-cased, one by one.
  "quokka",
  "zanzibar",
  "umbra",
  "nightjar",
  "obsidian",
  "7f3a9c",
];

function leaks(files: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    const lower = text.toLowerCase();
    for (const s of SECRETS) if (lower.includes(s.toLowerCase())) found.push(`${path}: ${s}`);
  }
  return found;
}

describe("skillreg build", () => {
  const root = tempDir();
  const pub = join(root, "public");
  const internal = join(root, "internal");
  let publicFiles: Map<string, string>;
  let internalFiles: Map<string, string>;
  let buildOutput: { stdout: string; stderr: string };
  let registryDir: string;

  beforeAll(async () => {
    const { dir } = await makeSiteRegistry(root);
    registryDir = dir;
    const a = await runCli(["build", "--registry", dir, "--out", pub, "--base-url", "https://skills.acme.example/catalog"]);
    expect(a.stderr).not.toContain("error");
    expect(a.code).toBe(0);
    buildOutput = a;
    const b = await runCli(["build", "--registry", dir, "--out", internal, "--audience", "internal", "--json"]);
    expect(b.code).toBe(0);
    publicFiles = readTree(pub);
    internalFiles = readTree(internal);
  });

  it("reports progress on stderr and a summary on stdout", () => {
    expect(buildOutput.stderr).toContain("› rendering 4 skill pages and 6 version pages with Astro");
    expect(buildOutput.stderr).toContain("› indexing 4 skills for search");
    expect(buildOutput.stdout).toMatch(/^built .*public: 4 skills, 6 versions, \d+ pages \(4 searchable, 0 skills' pages reused, \d of 6 scans from the cache\)\n$/);
  });

  it("builds again from its cache, in place: no skill page rendered, the same site byte for byte", async () => {
    const r = await runCli(["build", "--registry", registryDir, "--out", pub, "--base-url", "https://skills.acme.example/catalog"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("› rendering 0 skill pages and 0 version pages with the kept Astro bundle");
    expect(r.stdout).toContain("(4 searchable, 4 skills' pages reused, 6 of 6 scans from the cache)");
    const rebuilt = readTree(pub);
    // The marker names the build that wrote the folder; everything else is as it was.
    rebuilt.delete(".skillreg-site");
    const before = new Map([...publicFiles].filter(([path]) => path !== ".skillreg-site"));
    expect([...rebuilt.keys()].sort()).toEqual([...before.keys()].sort());
    const differing = [...before].filter(([path, text]) => rebuilt.get(path) !== text).map(([path]) => path);
    expect(differing).toEqual([]);
  });

  it("writes the catalog pages under the base URL's path", () => {
    for (const page of [
      "index.html",
      "browse.html",
      "scopes.html",
      "scopes/acme.html",
      "skills/acme/deploy-helper.html",
      "skills/acme/deploy-helper/1.0.0.html",
      "skills/acme/deploy-helper/1.1.0.html",
      "skills/acme/deploy-helper/1.1.0/files/scripts/deploy.sh.html",
      "skills/acme/deploy-helper/1.0.0/files/SKILL.md.html",
      "audit.html",
      "security.html",
      "404.html",
    ]) {
      expect(publicFiles.has(page), page).toBe(true);
    }
    expect(publicFiles.get("index.html")).toContain('href="/catalog/skills/acme/deploy-helper.html"');
  });

  it("writes the machine index beside the pages, valid against its schemas", () => {
    const config = parseIndexFile<IndexConfig>(publicFiles.get("index/v1/config.json")!, indexConfigSchema, "config.json");
    expect(config.name).toBe("acme-skills");
    expect(config.siteUrl).toBe("https://skills.acme.example/catalog/");
    const all = parseIndexFile<IndexAll>(publicFiles.get("index/v1/all.json")!, indexAllSchema, "all.json");
    expect(all.skills.map((s) => s.name)).toEqual(["deploy-helper", "lint-fixer", "report-page", "shiny-widget"]);
    const skill = parseIndexFile<IndexSkill>(publicFiles.get("index/v1/skills/acme/deploy-helper.json")!, indexSkillSchema, "deploy-helper.json");
    expect(skill.versions.map((v) => [v.version, v.scan.decision])).toEqual([
      ["1.0.0", "pass"],
      ["1.1.0", "flagged"],
    ]);
  });

  it("serves other clients under /.well-known/skills/ only a latest version that passed the scan", () => {
    const wk = parseIndexFile<WellKnownIndex>(publicFiles.get(".well-known/skills/index.json")!, wellKnownIndexSchema, "index.json");
    const lint = wk.skills.find((s) => s.name === "lint-fixer")!;
    expect(lint.files).toEqual(["SKILL.md"]);
    expect(publicFiles.get(".well-known/skills/lint-fixer/SKILL.md")).toContain('version: "1.0.0"');
    expect(publicFiles.get(".well-known/skills/shiny-widget/SKILL.md")).toBe(EVIL_SKILL_MD);
    // deploy-helper@1.1.0 is flagged: other clients would install it without showing the flag.
    expect(wk.skills.map((s) => s.name)).not.toContain("deploy-helper");
    expect([...publicFiles.keys()].filter((p) => p.startsWith(".well-known/skills/deploy-helper"))).toEqual([]);
    expect(publicFiles.get("skills/acme/deploy-helper.html")).not.toContain("npx skills add");
    expect(publicFiles.get("skills/acme/lint-fixer.html")).toContain("npx skills add https://skills.acme.example/catalog/ --skill lint-fixer -y");
    // lint-fixer has no executable file, so nothing to warn about beside that command.
    expect(publicFiles.get("skills/acme/lint-fixer.html")).not.toContain("drops executable bits");
  });

  it("does not serve a skill carrying an HTML file from the catalog's origin, and says so", () => {
    const wk = JSON.parse(publicFiles.get(".well-known/skills/index.json")!) as WellKnownIndex;
    expect(wk.skills.map((s) => s.name)).toEqual(["lint-fixer", "shiny-widget"]);
    expect([...publicFiles.keys()].filter((p) => p.includes("report-page") && p.startsWith(".well-known"))).toEqual([]);
    expect(publicFiles.has("skills/acme/report-page.html")).toBe(true);
    expect(buildOutput.stderr).toContain(
      "warning: @acme/report-page: not served under /.well-known/skills/: its templates/report.html would run as a web page on the catalog's origin\n",
    );
  });

  it("leaves every private skill out of every page, index file, search fragment and well-known file", () => {
    // The search below is able to find them: the internal build has them everywhere.
    expect(leaks(internalFiles).length).toBeGreaterThan(SECRETS.length);
    expect([...internalFiles.keys()].some((p) => p.startsWith("search/") && internalFiles.get(p)!.includes("zanzibar"))).toBe(true);
    expect(internalFiles.has(`skills/${PRIVATE.scope}/${PRIVATE.scopeSkill}.html`)).toBe(true);

    expect(JSON.parse(publicFiles.get("search/index.json")!)).toMatchObject({ count: 4 });
    expect(leaks(publicFiles)).toEqual([]);
  });

  it("shows private skills with a badge in the internal build", () => {
    const page = internalFiles.get(`skills/acme/${PRIVATE.skill}.html`)!;
    expect(page).toContain('class="badge badge-private"');
    expect(page).toContain("leaked a quokka credential");
    expect(internalFiles.get("index.html")).toContain("Internal catalog: includes private skills.");
  });

  it("renders a malicious SKILL.md inert: no script, handler, frame, form or javascript: link", () => {
    const html = publicFiles.get("skills/acme/shiny-widget.html")!;
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    const scripts = tags.filter((t) => /^<script\b/i.test(t));
    expect(scripts).toEqual(['<script src="/catalog/site.js" defer>']);
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /^<(iframe|form|object|embed|base|style)\b/i.test(t))).toEqual([]);
    expect(tags.filter((t) => /\s(?:href|src|action)="(?!https?:|\/|#)/i.test(t))).toEqual([]);
    const readme = /<div class="markdown">(.*?)<\/div>/s.exec(html)![1]!;
    expect(readme.match(/<[a-z][^>]*>/gi)!.filter((t) => /^<(img|svg|div|span|input)\b/i.test(t))).toEqual([]);
    // What the author wrote is visible as text for the reviewer.
    expect(html).toContain("&lt;iframe src=");
    // And the page forbids inline script even if something got through.
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'`);
  });

  it("shows findings by severity, each linked to its line, and the pinned install command naming the registry", () => {
    const html = publicFiles.get("skills/acme/deploy-helper.html")!;
    expect(html).toContain('data-copy="skillreg pull @acme/deploy-helper@1.1.0 --registry https://skills.acme.example/catalog/"');
    expect(html).toMatch(
      /<span class="sev sev-medium">medium<\/span>\s*<a class="location" href="\/catalog\/skills\/acme\/deploy-helper\/1\.1\.0\/files\/scripts\/deploy\.sh\.html#L4">scripts\/deploy\.sh:4<\/a>/,
    );
    expect(html).toContain("Scan: flagged.</strong> It reported 1 medium finding in this version.");
    expect(publicFiles.get("skills/acme/deploy-helper/1.1.0/files/scripts/deploy.sh.html")).toMatch(
      /<tr id="L4" class="hit hit-medium">.*<code>git push --force origin main<\/code>/,
    );
    // The home page: one card per skill, about its latest version (not a yanked one).
    const home = publicFiles.get("index.html")!;
    expect(home.match(/class="skill-card"/g)).toHaveLength(4);
    expect(home).toMatch(/lint-fixer <\/a> <span class="version">1\.0\.0<\/span> <span class="badges">\s*<span class="badge badge-pass">passed<\/span>\s*<span class="badge badge-deprecated"/);
    expect(home).toMatch(/deploy-helper <\/a> <span class="version">1\.1\.0<\/span> <span class="badges">\s*<span class="badge badge-flagged">flagged<\/span>\s*<\/span>/);
    const lint = publicFiles.get("skills/acme/lint-fixer.html")!;
    expect(lint).toContain("use lint-doctor instead");
    expect(lint).toContain("yanked: rewrote files outside the project");
    // A yanked version's page offers no command the CLI would refuse, and points at the newest good one.
    const yanked = publicFiles.get("skills/acme/lint-fixer/0.9.0.html")!;
    expect(yanked).not.toContain("skillreg pull @acme/lint-fixer@0.9.0");
    expect(yanked).not.toContain('class="install-cmd"');
    expect(yanked).toMatch(/0\.9\.0 is yanked: <code>skillreg pull<\/code> refuses it/);
    expect(yanked).toContain('Install <a href="/catalog/skills/acme/lint-fixer/1.0.0.html">1.0.0</a>, the newest good version, instead.');
  });

  it("shows what a version changed: files and a SKILL.md diff", () => {
    const html = publicFiles.get("skills/acme/deploy-helper/1.1.0.html")!;
    expect(html).toMatch(/<code>k8s\/app\.yaml<\/code><\/a><\/td>\s*<td><span class="change change-added">added<\/span>/);
    expect(html).toMatch(/<tr class="line line-add">.*Run scripts\/deploy\.sh to roll out the branch\./s);
    expect(html).toMatch(/<tr class="line line-del">.*Explain what the skill does\./s);
    expect(publicFiles.get("skills/acme/deploy-helper/1.0.0.html")).toContain("This is the first published version");
  });

  it("replaces only a folder it built, and refuses bad arguments with one line", async () => {
    const foreign = join(root, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "keep.txt"), "mine");
    const r = await runCli(["build", "--registry", join(root, "registry"), "--out", foreign]);
    expect(r).toMatchObject({ code: 2, stderr: `skillreg: error: ${foreign} is not empty and was not built by skillreg build; choose an empty or new --out folder\n` });
    expect(readdirSync(foreign)).toEqual(["keep.txt"]);
    // A folder it built is replaced whole.
    writeFileSync(join(pub, "stale.html"), "old");
    expect((await runCli(["build", "--registry", join(root, "registry"), "--out", pub, "--base-url", "https://skills.acme.example/catalog"])).code).toBe(0);
    expect(existsSync(join(pub, "stale.html"))).toBe(false);

    const cases: [string[], string][] = [
      [["--audience", "everyone"], "skillreg: error: --audience must be public or internal, not 'everyone'\n"],
      [["--base-url", "ftp://x.example/"], "skillreg: error: --base-url 'ftp://x.example/' must be an http:// or https:// URL\n"],
      [["--registry", join(root, "missing")], `skillreg: error: ${join(root, "missing")}: no such folder or Git URL\n`],
    ];
    for (const [args, message] of cases) {
      const bad = await runCli(["build", "--out", join(root, "never"), ...args], { cwd: join(root, "registry") });
      expect(bad).toMatchObject({ code: 2, stderr: message });
    }
    expect(existsSync(join(root, "never"))).toBe(false);
  });
});

describe("skillreg serve", () => {
  it("builds, serves on 127.0.0.1 with the index, prints the URL and a pull to try, and stops on SIGTERM", async () => {
    const root = tempDir();
    const { dir } = await makeSiteRegistry(root);
    const child = spawn(process.execPath, [BIN, "serve", "--registry", dir, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        const m = /Serving 4 skills at (http:\/\/127\.0\.0\.1:\d+\/), the registry's Git read-only at \1git\/registry\.git \(Ctrl-C to stop\)\nTry: (.*)\n/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    expect(stdout).toContain(`Try: skillreg pull @acme/report-page@1.0.0 --registry ${url}\n`);
    const home = await fetch(url);
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await home.text()).toContain("acme-skills");
    const config = (await (await fetch(`${url}index/v1/config.json`)).json()) as { siteUrl: string; gitUrl: string };
    expect(config.siteUrl).toBe(url);
    expect(config.gitUrl).toBe(`${url}git/registry.git`);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", resolve);
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  it("refuses a bad port with one line", async () => {
    expect(await runCli(["serve", "--port", "http"])).toMatchObject({ code: 2, stderr: "skillreg: error: --port must be a number from 0 to 65535, not 'http'\n" });
  });
});
