import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../helpers/cli.js";
import { makeSshKey } from "../helpers/keys.js";
import { RegistryFixture } from "../helpers/registry-fixture.js";
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

function startServe(registry: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", "--registry", registry, "--port", "0"], {
      env: { ...process.env, NO_COLOR: "1", HOME: join(root, "home") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
    child.on("exit", (code) => reject(new Error(`skillreg serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

beforeAll(async () => {
  const alice = makeSshKey(root, "alice@acme.example");
  const dave = makeSshKey(root, "dave@umbra.example");
  const erin = makeSshKey(root, "erin@umbra.example");
  const reg = await RegistryFixture.create(join(root, "registry"), {
    admins: ["alice@acme.example"],
    signers: [{ key: alice }, { key: dave }, { key: erin }],
    scopes: [
      { scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } },
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
  mkdirSync(join(root, "home"));
  ({ child: server, url } = await startServe(reg.dir));
}, 600_000);
afterAll(() => {
  server?.kill("SIGTERM");
});

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
    expect(parsed.signers.map((s) => s.principal).sort()).toEqual(["alice@acme.example", "dave@umbra.example"]);
    for (const hidden of ["erin@", "frank@", "secret-tool"]) expect(config).not.toContain(hidden);
    const all = JSON.stringify(await getJson("index/v1/all.json"));
    expect(all).toContain("open-tool");
    expect(all).not.toContain("secret-tool");
    const r = await runCli(["pull", "@umbra/secret-tool@1.0.0", "--registry", url], project("secret"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not in the registry/);
  });
});
