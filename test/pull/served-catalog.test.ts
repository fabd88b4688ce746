import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "../../registry/git/index.js";
import { runCli, startServe } from "../helpers/cli.js";
import { makeSshKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
import { skillMd } from "../helpers/skill-md.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `skillreg serve` as a user runs it: the real binary serves a real registry, and `skillreg
 * pull --registry <the printed URL>` installs from it, with no other server and no config.
 * The registry has a public scope and a private scope holding one public skill (signed by
 * dave) and one private skill (signed by erin, who must not appear in the public index).
 */

const root = tempDir("skillreg-served-");
let server: ChildProcess;
let url = "";
let registryDir = "";
let aliceKey = "";
let bobKey = "";

beforeAll(async () => {
  const alice = makeSshKey(root, "alice@acme.example");
  const dave = makeSshKey(root, "dave@umbra.example");
  const erin = makeSshKey(root, "erin@umbra.example");
  const bob = makeSshKey(root, "bob@acme.example");
  bobKey = bob.privatePath;
  const reg = await RegistryFixture.create(join(root, "registry"), {
    admins: ["alice@acme.example"],
    signers: [{ key: alice }, { key: bob }, { key: dave }, { key: erin }],
    scopes: [
      { scope: "acme", visibility: "public", members: { "alice@acme.example": "owner", "bob@acme.example": "maintainer" } },
      {
        scope: "umbra",
        visibility: "private",
        members: { "alice@acme.example": "owner", "dave@umbra.example": "maintainer", "erin@umbra.example": "maintainer", "frank@umbra.example": "reader" },
        skills: { "open-tool": { visibility: "public" } },
      },
    ],
  });
  for (const v of ["1.2.0", "1.2.3", "1.3.0"]) {
    await reg.publish({ scope: "acme", name: "deploy", version: v, signer: alice, files: { "run.sh": `echo deploy ${v}\n` } });
  }
  await reg.publish({ scope: "umbra", name: "open-tool", version: "1.0.0", signer: dave, files: { "tool.md": "open\n" } });
  await reg.publish({ scope: "umbra", name: "secret-tool", version: "1.0.0", signer: erin, files: { "tool.md": "secret\n" } });
  // The publish gate wants the generated CODEOWNERS on main (for the push, pending and merge tests).
  expect((await runCli(["registry", "codeowners", "--registry", reg.dir])).code).toBe(0);
  await reg.commit("registry: CODEOWNERS");
  mkdirSync(join(root, "home"));
  registryDir = reg.dir;
  aliceKey = alice.privatePath;
  ({ child: server, url } = await startServe(reg.dir, join(root, "home")));
}, 600_000);
afterAll(() => {
  server?.kill("SIGTERM");
});

async function git(args: string[], cwd: string): Promise<string> {
  return (await runGit(args, { cwd })).stdout;
}

function project(name: string): { cwd: string; env: NodeJS.ProcessEnv } {
  const cwd = join(root, name);
  const home = join(root, `${name}-home`);
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, env: { HOME: home, XDG_CONFIG_HOME: "", XDG_CACHE_HOME: "", SKILLREG_TOKEN: "", GITHUB_TOKEN: "" } };
}

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(new URL(path, url));
  expect(res.status, path).toBe(200);
  return res.json();
}

describe("skillreg serve: one origin for the catalog, the index and the Git", () => {
  it("names its own Git URL in the index", async () => {
    const config = (await getJson("index/v1/config.json")) as { gitUrl: string; siteUrl: string };
    expect(config.gitUrl).toBe(`${url}git/registry.git`);
    expect(config.siteUrl).toBe(url);
  });

  it("pulls an exact version and a range from the printed URL", async () => {
    const p = project("exact");
    const exact = await runCli(["pull", "@acme/deploy@1.2.3", "--registry", url], p);
    expect(exact.stderr).not.toContain("error");
    expect(exact.code).toBe(0);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    const range = await runCli(["pull", "@acme/deploy@~1.2.0", "--registry", url], project("range"));
    expect(range.code).toBe(0);
    expect(readFileSync(join(root, "range/.agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    const lock = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    expect(lock).toContain(url.replace(/\/$/, ""));
  });

  it("audit and verify --registry given the site URL a user pulled from name the Git URL to pass instead, which works", async () => {
    const p = project("audit-site-url");
    const gitUrl = `${url}git/registry.git`;
    const hint = `skillreg: error: ${url} is a registry's catalog site, not its Git repository; pass the Git URL the site names: --registry ${gitUrl}\n`;
    expect(await runCli(["audit", "--registry", url], p)).toMatchObject({ code: 2, stdout: "", stderr: hint });
    expect(await runCli(["verify", "--registry", url], p)).toMatchObject({ code: 2, stdout: "", stderr: hint });
    const audit = await runCli(["audit", "@acme/deploy", "--registry", gitUrl, "--json"], p);
    expect(audit.code, audit.stderr).toBe(0);
    expect((JSON.parse(audit.stdout) as { type: string }[]).filter((e) => e.type === "publish")).toHaveLength(3);
    expect((await runCli(["verify", "--registry", gitUrl], p)).code).toBe(0);
    // In a project folder with no --registry, audit says to pass one instead of reading the folder.
    expect(await runCli(["audit"], p)).toMatchObject({
      code: 2,
      stderr: `skillreg: error: no registry given, and ${p.cwd} is not a registry's Git repository; pass --registry <checkout, bare repository or Git URL>\n`,
    });
  });

  it("serves pages at clean URLs", async () => {
    for (const path of ["skills/acme/deploy", "skills/acme/deploy.html", "skills/acme/deploy/1.2.3", "browse"]) {
      const res = await fetch(new URL(path, url));
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    }
  });
});

describe("a public skill in a private scope, from the public catalog", () => {
  it("installs, verified with the key of the one who signed it", async () => {
    const p = project("open");
    const r = await runCli(["pull", "@umbra/open-tool@1.0.0", "--registry", url], p);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(statSync(join(p.cwd, ".agents/skills/open-tool/tool.md")).isFile()).toBe(true);
    expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toContain("dave@umbra.example");
  });

  it("discloses neither the private scope's members nor its private skills", async () => {
    const config = JSON.stringify(await getJson("index/v1/config.json"));
    const parsed = JSON.parse(config) as { scopes: Record<string, { publishers: string[] }>; signers: { principal: string }[] };
    expect(parsed.scopes.umbra).toEqual({ publishers: ["dave@umbra.example"] });
    expect(parsed.signers.map((s) => s.principal).sort()).toEqual(["alice@acme.example", "bob@acme.example", "dave@umbra.example"]);
    for (const hidden of ["erin@", "frank@", "secret-tool"]) expect(config).not.toContain(hidden);
    const all = JSON.stringify(await getJson("index/v1/all.json"));
    expect(all).toContain("open-tool");
    expect(all).not.toContain("secret-tool");
    const r = await runCli(["pull", "@umbra/secret-tool@1.0.0", "--registry", url], project("secret"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not in the registry/);
  });
});

describe("registries configured the npm way", () => {
  it("registry add writes .skillreg.yaml; pull then works from any subfolder with no --registry", async () => {
    const p = project("configured");
    const added = await runCli(["registry", "add", url], p);
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("for every scope");
    const scoped = await runCli(["registry", "add", url, "--scope", "@umbra"], p);
    expect(scoped.code).toBe(0);
    // Site URLs are written in one form (no trailing slash): the form trust pins are keyed by.
    const site = url.replace(/\/+$/, "");
    expect(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")).toBe(`registry: ${site}\nscopes:\n  "@umbra": ${site}\n`);
    const sub = join(p.cwd, "src/deep");
    mkdirSync(sub, { recursive: true });
    const exact = await runCli(["pull", "@acme/deploy@1.2.3"], { ...p, cwd: sub });
    expect(exact.stderr).not.toContain("error");
    expect(exact.code).toBe(0);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    const range = await runCli(["pull", "@acme/deploy@~1.2.0", "@umbra/open-tool@1.0.0"], { ...p, cwd: sub });
    expect(range.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")) as { skills: Record<string, { range: string }> };
    expect(Object.keys(lock.skills).sort()).toEqual(["@acme/deploy", "@umbra/open-tool"]);
    expect(lock.skills["@acme/deploy"]!.range).toBe("~1.2.0");
    expect(existsSync(join(sub, "skillreg.lock"))).toBe(false);
  });

  it.each([
    [["registry", "add"], /missing <url>/],
    [["registry", "add", "http://127.0.0.1:1/"], /cannot reach http:\/\/127\.0\.0\.1:1\/index\/v1\/[^ ]+: .*; check the registry's URL and that its site is up$/m],
    [["pull", "@acme/deploy", "--registry", "http://127.0.0.1:1/"], /cannot reach http:\/\/127\.0\.0\.1:1\/index\/v1\/[^ ]+: .*; check the registry's URL and that its site is up$/m],
    [["registry", "add", "./no-such-folder"], /neither a URL nor an existing folder/],
    [["registry", "add", "ftp://x.example/"], /unsupported URL scheme/],
  ])("refuses %j in one line, writing nothing", async (argv, message) => {
    const p = project(`bad-${Math.random().toString(36).slice(2)}`);
    const r = await runCli(argv as string[], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("skillreg: error: "))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(p.cwd)).toEqual([]);
  });

  it("refuses a bad scope, leaving the existing file as it was", async () => {
    const p = project("bad-scope");
    writeFileSync(join(p.cwd, ".skillreg.yaml"), "# mine\nagent: claude\n");
    const r = await runCli(["registry", "add", url, "--scope", "@Not_A_Scope"], p);
    expect(r.code).toBe(2);
    expect(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")).toBe("# mine\nagent: claude\n");
    expect((await runCli(["registry", "add", url], p)).code).toBe(0);
    expect(readFileSync(join(p.cwd, ".skillreg.yaml"), "utf8")).toBe(`# mine\nagent: claude\nregistry: ${url.replace(/\/+$/, "")}\n`);
  });
});

describe("skillreg push @scope/name", () => {
  function skillFolder(name: string, version: string): string {
    const dir = join(root, `work-${name}-${version}`, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "SKILL.md"), skillMd(name, version));
    writeFileSync(join(dir, "run.sh"), `echo ${name} ${version}\n`);
    return dir;
  }

  it("in the skill's folder, with the registry site from .skillreg.yaml: --dry-run checks everything and pushes nothing", async () => {
    const p = project("push-site");
    expect((await runCli(["registry", "add", url], p)).code).toBe(0);
    const dir = skillFolder("deploy", "1.4.0");
    writeFileSync(join(dirname(dir), ".skillreg.yaml"), `registry: ${url}\n`);
    const r = await runCli(["push", "@acme/deploy", "--key", aliceKey, "--dry-run"], { ...p, cwd: dir });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Dry run: would push @acme/deploy@1.4.0 on branch publish/acme/deploy/1.4.0 to ${url}git/registry.git`);
    expect(await git(["branch", "--list", "publish/*"], registryDir)).toBe("");
  });

  it("pushes with --dir to the scope's registry folder from .skillreg.yaml", async () => {
    const p = project("push-dir");
    expect((await runCli(["registry", "add", registryDir, "--scope", "@acme"], p)).code).toBe(0);
    const dir = skillFolder("deploy", "1.5.0");
    const r = await runCli(["push", "@acme/deploy", "--dir", dir, "--key", aliceKey], p);
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(await git(["branch", "--list", "publish/*"], registryDir)).toContain("publish/acme/deploy/1.5.0");
  });

  it("registry pending lists it with the gate's verdict; registry merge shows the diff and scan before merging", async () => {
    const pending = await runCli(["registry", "pending", "--registry", registryDir, "--json"]);
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.stdout)).toEqual({
      pending: [expect.objectContaining({ branch: "publish/acme/deploy/1.5.0", tags: ["@acme/deploy@1.5.0"], publishers: ["alice@acme.example"], decision: "flagged", ok: true, blocks: [] })],
    });
    const table = await runCli(["registry", "pending", "--registry", registryDir]);
    expect(table.stdout).toMatch(/publish\/acme\/deploy\/1\.5\.0\s+@acme\/deploy@1\.5\.0\s+alice@acme\.example\s+flagged\s+ready for review/);
    const merged = await runCli(["registry", "merge", "publish/acme/deploy/1.5.0", "--key", bobKey, "--registry", registryDir]);
    expect(merged.stderr).not.toContain("error");
    expect(merged.code).toBe(0);
    const lines = merged.stdout.split("\n");
    const changes = lines.indexOf("Changes in publish/acme/deploy/1.5.0:");
    expect(changes).toBeGreaterThanOrEqual(0);
    expect(lines.slice(changes + 1).join("\n")).toMatch(/skills\/acme\/deploy\/run\.sh\s+\|\s+2 \+-/);
    expect(merged.stdout).toMatch(/Scan of @acme\/deploy@1\.5\.0: flagged \(\d+ medium/);
    expect(merged.stdout.indexOf("Scan of")).toBeLessThan(merged.stdout.indexOf("Merged publish/acme/deploy/1.5.0"));
    expect(JSON.parse((await runCli(["registry", "pending", "--registry", registryDir, "--json"])).stdout)).toEqual({ pending: [] });
  });

  it.each([
    [["push", "@acme/lint"], /holds the skill 'deploy', not 'lint'/],
    [["push", "@acme"], /names a scope, not a skill/],
    [["push", "."], /missing --scope @<scope> \(or name the skill/],
    [["push", "@acme/deploy", "--scope", "@acme"], /--scope goes with <skill-dir>/],
  ])("refuses %j in one line", async (argv, message) => {
    const dir = skillFolder("deploy", "1.6.0");
    const r = await runCli([...(argv as string[]), "--key", aliceKey, "--registry", registryDir], { ...project(`push-bad-${Math.random().toString(36).slice(2)}`), cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("skillreg: error: "))).toHaveLength(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("search and info against the served catalog", () => {
  it("search finds by name and description, with no --registry once configured", async () => {
    const p = project("search");
    expect((await runCli(["registry", "add", url], p)).code).toBe(0);
    const r = await runCli(["search", "open-tool", "--json"], p);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { skills: { scope: string; name: string }[] }).skills.map((s) => `@${s.scope}/${s.name}`)).toEqual(["@umbra/open-tool"]);
    const text = await runCli(["search", "DEPLOY", "skill"], p);
    expect(text.stdout).toMatch(/@acme\/deploy\s+1\.3\.0\s+passed\s+The deploy skill for tests\./);
    expect((await runCli(["search", "zebra"], p)).stdout).toBe('no skill matches "zebra"\n');
    expect(await runCli(["search"], p)).toMatchObject({ code: 2, stderr: "skillreg: error: missing <text> to search for; see 'skillreg search --help'\n" });
    expect(await runCli(["search", "deploy"], project("search-unconfigured"))).toMatchObject({
      code: 2,
      stderr: "skillreg: error: no registry to search: pass --registry <url|path>, or run 'skillreg registry add <url>' once in this project\n",
    });
  });

  it("info shows the version a range picks, every version, and the install command", async () => {
    const r = await runCli(["info", "@acme/deploy@~1.2.0", "--registry", url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("@acme/deploy@1.2.3 (public) from");
    expect(r.stdout).toContain("signed by: alice@acme.example");
    expect(r.stdout).toContain("versions: 1.2.0, 1.2.3, 1.3.0");
    expect(r.stdout).toContain(`install: skillreg pull @acme/deploy@1.2.3 --registry ${url}\n`);
    // The offered command works verbatim in a fresh folder with no configuration.
    const offered = /^install: skillreg (.+)$/m.exec(r.stdout)![1]!.split(" ");
    const fresh = project("info-offered");
    const pulled = await runCli(offered, fresh);
    expect(pulled.code).toBe(0);
    expect(readFileSync(join(fresh.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    const json = JSON.parse((await runCli(["info", "@acme/deploy", "--registry", url, "--json"])).stdout) as { version: { version: string } };
    expect(json.version.version).toBe("1.3.0");
    // Like search, it says the one command that sets the project up.
    expect(await runCli(["info", "@acme/deploy"], project("info-unconfigured"))).toMatchObject({
      code: 2,
      stderr: "skillreg: error: no registry for @acme: pass --registry <url|path>, or run 'skillreg registry add <url> --scope @acme' once in this project\n",
    });
    const bad = await runCli(["info", "acme/deploy", "--registry", url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^skillreg: error: 'acme\/deploy' is not a skill/);
  });
});
