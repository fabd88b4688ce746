import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storeToken, tokenFor } from "../../registry/client/credentials.js";
import { runBin, runCli } from "../helpers/cli.js";
import { startGitHttp, type GitHttpServer } from "../helpers/git-http.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

const TOKEN = "s3cret-token-value";
let s: ServedRegistry;
let authed: GitHttpServer;
/** A second host serving the same repositories without auth, to see what it is sent. */
let other: GitHttpServer;
let authedSite: string;
let splitSite: string;

beforeAll(async () => {
  s = await serveRegistry();
  authedSite = join(s.dir, "authed-site");
  splitSite = join(s.dir, "split-site");
  authed = await startGitHttp({ gitRoot: s.dir, staticRoot: authedSite, token: TOKEN });
  other = await startGitHttp({ gitRoot: s.dir, staticRoot: splitSite });
  await s.reg.writeIndex(authedSite, { gitUrl: authed.gitUrl("reg/.git") });
  // Index on the authenticated host, tags on another host.
  await s.reg.writeIndex(join(authedSite, "split"), { gitUrl: other.gitUrl("reg/.git") });
});
afterAll(async () => {
  await authed.close();
  await other.close();
});

const secretIn = (...texts: string[]) => texts.some((t) => t.includes(TOKEN));

describe("credentials", () => {
  it("a registry that needs a token says how to give one", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/lint", "--registry", authed.url], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refused access (HTTP 401); run 'skillreg login ${authed.url}' or set SKILLREG_TOKEN`);
  });

  it("SKILLREG_TOKEN reaches the registry host only, and is never printed or locked", async () => {
    const p = s.project();
    const env = { ...p.env, SKILLREG_TOKEN: TOKEN, GITHUB_TOKEN: "ghp_never_sent" };
    let r = await runCli(["pull", "@acme/lint", "--registry", authed.url], { cwd: p.cwd, env });
    expect(r.code).toBe(0);
    const lock = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    expect(secretIn(r.stdout, r.stderr, lock)).toBe(false);

    const before = other.requests.length;
    r = await runCli(["pull", "@acme/deploy@1.2.0", "--registry", `${authed.url}/split`], { cwd: p.cwd, env });
    expect(r.code).toBe(0);
    const seen = other.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((q) => q.authorization !== undefined)).toEqual([]);
    expect(authed.requests.some((q) => q.authorization?.includes("ghp_never_sent"))).toBe(false);
  });

  it("login stores the token 0600 per host; logout forgets it", async () => {
    const p = s.project();
    let r = await runBin(["login", authed.url], { ...p, input: `${TOKEN}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`logged in to ${new URL(authed.url).host}`);
    expect(secretIn(r.stdout, r.stderr)).toBe(false);
    const file = join(p.env.HOME!, ".config/skillreg/credentials.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).hosts).toEqual({ [new URL(authed.url).host]: { token: TOKEN } });

    expect((await runCli(["pull", "@acme/lint", "--registry", authed.url], p)).code).toBe(0);
    r = await runCli(["logout", authed.url], p);
    expect(r.stdout).toContain(`logged out of ${new URL(authed.url).host}`);
    const again = s.project();
    r = await runCli(["pull", "@acme/lint", "--registry", authed.url], { cwd: again.cwd, env: p.env });
    expect(r.code).toBe(2);
  });

  it("git's credential helper answers after a 401", async () => {
    const p = s.project();
    const gitconfig = join(p.env.HOME!, "gitconfig");
    writeFileSync(gitconfig, `[credential]\n\thelper = "!f() { echo username=x-access-token; echo password=${TOKEN}; }; f"\n`);
    const r = await runCli(["pull", "@acme/lint", "--registry", authed.url], { cwd: p.cwd, env: { ...p.env, GIT_CONFIG_GLOBAL: gitconfig } });
    expect(r.stderr).not.toContain("error");
    expect(r.code).toBe(0);
    expect(secretIn(readFileSync(join(p.cwd, "skillreg.lock"), "utf8"))).toBe(false);
  });
});

describe("which host gets which token", () => {
  it("SKILLREG_TOKEN goes to the chosen registry's host, GITHUB_TOKEN to github.com, the store per host", async () => {
    const p = s.project();
    const env = { ...p.env, SKILLREG_TOKEN: "reg", GITHUB_TOKEN: "gh" };
    expect((await tokenFor("https://skills.acme.example/index/v1/config.json", env, "skills.acme.example"))?.source).toBe("SKILLREG_TOKEN");
    expect(await tokenFor("https://evil.example/x.git", env, "skills.acme.example")).toBeUndefined();
    expect((await tokenFor("https://github.com/acme/skills.git", env, "skills.acme.example"))?.token).toBe("gh");
    expect(await tokenFor("https://github.com.evil.example/x.git", env, "skills.acme.example")).toBeUndefined();
    await storeToken(p.env, "https://git.acme.example:8443/skills.git", "stored");
    expect((await tokenFor("https://git.acme.example:8443/other.git", p.env))?.token).toBe("stored");
    expect(await tokenFor("https://git.acme.example/skills.git", p.env)).toBeUndefined();
  });
});

describe("tokens never travel in clear text or sit in readable files (issue #11)", () => {
  it("GITHUB_TOKEN and stored tokens go over https (or to this machine) only", async () => {
    const p = s.project();
    const env = { ...p.env, SKILLREG_TOKEN: "reg", GITHUB_TOKEN: "gh" };
    expect(await tokenFor("http://github.com/acme/skills.git", env, "skills.acme.example")).toBeUndefined();
    expect(await tokenFor("http://skills.acme.example/index/v1/config.json", env, "skills.acme.example")).toBeUndefined();
    await storeToken(p.env, "http://git.acme.example/skills.git", "stored");
    expect(await tokenFor("http://git.acme.example/skills.git", p.env)).toBeUndefined();
    await storeToken(p.env, "http://127.0.0.1:9/skills.git", "local");
    expect((await tokenFor("http://127.0.0.1:9/skills.git", p.env))?.token).toBe("local");
  });

  it("a token inside a Git URL is never printed, and never stored in the mirror's config", async () => {
    const p = s.project();
    const url = authed.gitUrl("reg/.git").replace("://", `://x-access-token:${TOKEN}@`);
    const r = await runCli(["pull", "@acme/lint", "--registry", `git+${url}`], p);
    expect(r.code, r.stderr).toBe(0);
    expect(secretIn(r.stdout, r.stderr, readFileSync(join(p.cwd, "skillreg.lock"), "utf8"))).toBe(false);
    const cache = join(p.env.HOME!, ".cache/skillreg/git");
    const mirror = join(cache, readdirSync(cache)[0]!);
    expect(secretIn(readFileSync(join(mirror, "config"), "utf8"))).toBe(false);

    // A wrong token in the URL: the error names the URL without it.
    const wrong = authed.gitUrl("reg/.git").replace("://", "://x-access-token:not-the-token@");
    const refused = await runCli(["pull", "@acme/lint", "--registry", `git+${wrong}`], s.project());
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).not.toContain("not-the-token");
  });
});
