import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { startGitHttp } from "../helpers/git-http.js";
import { runCli } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/** Several skills from one registry come in one round: one ref listing and one pack. */
describe("pulling several skills in one command", () => {
  let s: ServedRegistry;
  beforeAll(async () => {
    s = await serveRegistry();
  });

  const SPECS = ["@acme/deploy@1.2.3", "@acme/lint@0.1.0", "@acme/pusher@1.0.0"];
  // This test site signs nothing, which every pull from it says once.
  const unsigned = () => `warning: ${s.url} serves no signed index metadata (index/v1/tuf/): its index is not authenticated`;

  function installed(cwd: string): string[] {
    return [
      readFileSync(join(cwd, ".agents/skills/deploy/run.sh"), "utf8"),
      readFileSync(join(cwd, ".agents/skills/lint/lint.sh"), "utf8"),
      readFileSync(join(cwd, ".agents/skills/pusher/push.sh"), "utf8"),
    ];
  }

  it("says the site signs nothing once, also when the URL is typed with a trailing slash (as the demo prints it)", async () => {
    const p = s.project();
    const r = await runCli(["pull", "@acme/deploy@1.2.3", "--registry", `${s.url}/`], p);
    expect(r.stderr.split("\n").filter((l) => !l.startsWith("›"))).toEqual([unsigned(), ""]);
    expect(r.code).toBe(0);
  });

  it("asks the Git server twice in all for three tags, and installs and locks each verified", async () => {
    const p = s.project();
    const before = s.server.requests.length;
    const r = await runCli(["pull", ...SPECS, "--registry", s.url], p);
    expect(r.stderr.split("\n").filter((l) => !l.startsWith("›"))).toEqual([unsigned(), ""]);
    expect(r.code).toBe(0);
    const git = s.server.requests.slice(before).filter((q) => q.url.startsWith("/git/"));
    expect(git.map((q) => `${q.method} ${q.url}`)).toEqual(["POST /git/reg/.git/git-upload-pack", "POST /git/reg/.git/git-upload-pack"]);
    expect(installed(p.cwd)).toEqual(["echo deploy 1.2.3\n", "echo lint\n", "#!/bin/sh\ngit push --force origin main\n"]);
    const lock = JSON.parse(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")) as { skills: Record<string, { version: string; tagObject: string }> };
    expect(Object.entries(lock.skills).map(([k, v]) => `${k}@${v.version}`)).toEqual(SPECS);
    expect(lock.skills["@acme/lint"]!.tagObject).toBe(await s.reg.git(["rev-parse", "refs/tags/@acme/lint@0.1.0"]));
  });

  it("works the same with a server without protocol v2 (every ref advertised, filtered)", async () => {
    const old = await startGitHttp({ gitRoot: s.dir, staticRoot: join(s.dir, "v0-batch-site"), protocolV2: false });
    try {
      await s.reg.writeIndex(join(s.dir, "v0-batch-site"), { gitUrl: old.gitUrl("reg/.git") });
      const p = s.project();
      const r = await runCli(["pull", ...SPECS, "--registry", old.url], p);
      expect(r.stderr).not.toContain("error");
      expect(installed(p.cwd)).toEqual(["echo deploy 1.2.3\n", "echo lint\n", "#!/bin/sh\ngit push --force origin main\n"]);
    } finally {
      await old.close();
    }
  });

  it("installs nothing when one of the tags is gone from the repository", async () => {
    const id = await s.reg.git(["rev-parse", "refs/tags/@acme/lint@0.1.0"]);
    await s.reg.git(["tag", "-d", "@acme/lint@0.1.0"]);
    try {
      const p = s.project();
      const r = await runCli(["pull", ...SPECS, "--registry", s.url], p);
      expect(r.code).toBe(2);
      expect(r.stderr.split("\n").filter((l) => !l.startsWith("›"))).toEqual([unsigned(), `skillreg: error: ${s.url}/git/reg/.git has no tag @acme/lint@0.1.0`, ""]);
      expect(() => readFileSync(join(p.cwd, "skillreg.lock"))).toThrow();
    } finally {
      await s.reg.git(["update-ref", "refs/tags/@acme/lint@0.1.0", id]);
    }
  });
});
