import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/**
 * Never destroy what SkillReg did not make: a skill folder skillreg.lock does not record
 * survives every pull, update and remove byte for byte (mode included), unless --force moves
 * it, whole, into a backup folder; installs for several agents add up.
 */

let s: ServedRegistry;
beforeAll(async () => {
  s = await serveRegistry();
});

/** Every file under `dir`: relative path -> mode and bytes. */
function snapshot(dir: string): Record<string, { mode: number; bytes: string }> {
  const out: Record<string, { mode: number; bytes: string }> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    out[relative(dir, file)] = { mode: statSync(file).mode, bytes: readFileSync(file).toString("base64") };
  }
  return out;
}

function handWritten(cwd: string): { dir: string; before: ReturnType<typeof snapshot> } {
  const dir = join(cwd, ".claude/skills/deploy");
  mkdirSync(join(dir, "scripts"), { recursive: true });
  writeFileSync(join(dir, "SKILL.md"), "---\nname: deploy\ndescription: my own deploy notes\n---\nMine.\n");
  writeFileSync(join(dir, "scripts/go.sh"), "#!/bin/sh\necho mine\n");
  chmodSync(join(dir, "scripts/go.sh"), 0o755);
  return { dir, before: snapshot(dir) };
}

function lockPaths(cwd: string): Record<string, string[]> {
  const lock = JSON.parse(readFileSync(join(cwd, "skillreg.lock"), "utf8")) as { skills: Record<string, { paths: string[] }> };
  return Object.fromEntries(Object.entries(lock.skills).map(([k, e]) => [k, e.paths]));
}

describe("a skill folder SkillReg did not make", () => {
  it("survives every pull, update and remove byte for byte", async () => {
    const p = s.project();
    const mine = handWritten(p.cwd);
    const reg = ["--registry", s.url];

    // A dry run refuses exactly as the real run does, and writes nothing either.
    const dry = await runCli(["pull", "@acme/deploy@^1.2.0", "--agent", "claude", "--dry-run", ...reg], p);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain(".claude/skills/deploy exists and was not installed by skillreg (not in skillreg.lock); nothing was changed");

    const refused = await runCli(["pull", "@acme/deploy@^1.2.0", "--agent", "claude", ...reg], p);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(".claude/skills/deploy exists and was not installed by skillreg (not in skillreg.lock); nothing was changed");
    expect(existsSync(join(p.cwd, "skillreg.lock"))).toBe(false);
    expect(snapshot(mine.dir)).toEqual(mine.before);

    const both = await runCli(["pull", "@acme/deploy@^1.2.0", "--agent", "claude,cursor", ...reg], p);
    expect(both.code).toBe(2);
    expect(existsSync(join(p.cwd, ".cursor/skills/deploy"))).toBe(false);

    expect((await runCli(["pull", "@acme/deploy@^1.2.0", "--agent", "codex", ...reg], p)).code).toBe(0);
    expect((await runCli(["pull", "@acme/deploy@^1.2.0", "--agent", "cursor", ...reg], p)).code).toBe(0);
    expect(lockPaths(p.cwd)).toEqual({ "@acme/deploy": [".agents/skills/deploy", ".cursor/skills/deploy"] });

    await s.reg.publish({ scope: "acme", name: "deploy", version: "2.0.1", signer: s.alice, files: { "run.sh": "echo deploy 2.0.1\n" } });
    await s.reg.publish({ scope: "acme", name: "deploy", version: "1.3.1", signer: s.alice, files: { "run.sh": "echo deploy 1.3.1\n" } });
    await s.reindex();
    const update = await runCli(["update"], p);
    expect(update.code).toBe(0);
    expect(readFileSync(join(p.cwd, ".cursor/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.3.1\n");
    expect(lockPaths(p.cwd)).toEqual({ "@acme/deploy": [".agents/skills/deploy", ".cursor/skills/deploy"] });

    const one = await runCli(["remove", "@acme/deploy", "--agent", "cursor"], p);
    expect(one.code).toBe(0);
    expect(existsSync(join(p.cwd, ".cursor/skills/deploy"))).toBe(false);
    expect(lockPaths(p.cwd)).toEqual({ "@acme/deploy": [".agents/skills/deploy"] });
    const notThere = await runCli(["remove", "@acme/deploy", "--agent", "claude"], p);
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).toContain("@acme/deploy is not installed for claude");

    expect((await runCli(["remove", "@acme/deploy"], p)).code).toBe(0);
    expect(lockPaths(p.cwd)).toEqual({});
    expect(snapshot(mine.dir)).toEqual(mine.before);
  });

  it("with --force is moved whole into a backup folder, and pull says where", async () => {
    const p = s.project();
    const mine = handWritten(p.cwd);
    const r = await runCli(["pull", "@acme/deploy@1.2.3", "--agent", "claude", "--force", "--registry", s.url], p);
    expect(r.code).toBe(0);
    const moved = /\.claude\/skills\/deploy was not installed by skillreg; moved it to (\S+)/.exec(r.stderr);
    expect(moved, r.stderr).not.toBeNull();
    expect(moved![1]!.startsWith(join(p.cwd, ".skillreg-backup"))).toBe(true);
    expect(snapshot(moved![1]!)).toEqual(mine.before);
    expect(readFileSync(join(p.cwd, ".claude/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
  });

  it("--dry-run says what pull and update would do and writes nothing", async () => {
    const p = s.project();
    const dry = await runCli(["pull", "@acme/deploy@1.2.3", "--agent", "claude", "--dry-run", "--registry", s.url], p);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("would install @acme/deploy@1.2.3 from");
    expect(dry.stdout).toContain("into .claude/skills/deploy");
    expect(readdirSync(p.cwd)).toEqual([]);
    expect((await runCli(["pull", "@acme/deploy@~1.2.0", "--registry", s.url], p)).code).toBe(0);
    const lockBefore = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    await s.reg.publish({ scope: "acme", name: "deploy", version: "1.2.9", signer: s.alice, files: { "run.sh": "echo deploy 1.2.9\n" } });
    await s.reindex();
    const update = await runCli(["update", "--dry-run"], p);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain("would install @acme/deploy@1.2.9 (now 1.2.3)");
    expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toBe(lockBefore);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
  });
});
