import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/**
 * Two skills of one name in different scopes (@acme/deploy and @alice/deploy). Agents'
 * skills folders are flat and SKILL.md's name must equal its folder's, so the second one
 * installs under an alias (`pull --as`, like npm's aliases): only its frontmatter `name`
 * changes, and the lock, verify, install --frozen, update and remove all keep to it.
 */

let s: ServedRegistry;
beforeAll(async () => {
  s = await serveRegistry();
  await s.reg.updateScope({ scope: "alice", visibility: "public", members: { "alice@acme.example": "owner" } });
  await s.reg.publish({ scope: "alice", name: "deploy", version: "1.0.0", signer: s.alice, files: { "ship.sh": "echo alice ships 1.0.0\n" } });
  await s.reindex();
});

function lock(cwd: string): { skills: Record<string, { as?: string; paths: string[]; version: string }> } {
  return JSON.parse(readFileSync(join(cwd, "skillreg.lock"), "utf8")) as never;
}

/** SKILL.md as @alice/deploy@<version> was signed, from the registry's tag. */
async function signedSkillMd(version: string): Promise<string> {
  return s.reg.git(["show", `refs/tags/@alice/deploy@${version}:SKILL.md`]).then((t) => t + "\n");
}

describe("pull --as: one name, two scopes", () => {
  it("refuses the second skill naming both and the exact --as command, which then works verbatim", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@acme/deploy@1.2.3", "--agent", "claude", "--registry", s.url], p)).code).toBe(0);
    const lockBefore = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");

    const refused = await runCli(["pull", "@alice/deploy", "--agent", "claude", "--registry", s.url], p);
    expect(refused.code).toBe(2);
    const error = refused.stderr.split("\n").filter((l) => l.startsWith("skillreg: error:"));
    expect(error).toEqual([
      `skillreg: error: .claude/skills/deploy already holds @acme/deploy, so @alice/deploy cannot be installed there; install it under another folder name: skillreg pull @alice/deploy --as alice-deploy --registry ${s.url} --agent claude`,
    ]);
    expect(readFileSync(join(p.cwd, "skillreg.lock"), "utf8")).toBe(lockBefore);
    expect(readdirSync(join(p.cwd, ".claude/skills"))).toEqual(["deploy"]);

    // The offered command, run as printed.
    const offered = error[0]!.slice(error[0]!.indexOf("skillreg pull ") + "skillreg ".length).split(" ");
    const aliased = await runCli(offered, p);
    expect(aliased.code, aliased.stderr).toBe(0);
    expect(aliased.stdout).toContain("→ .claude/skills/alice-deploy");
    expect(readdirSync(join(p.cwd, ".claude/skills")).sort()).toEqual(["alice-deploy", "deploy"]);
    expect(readFileSync(join(p.cwd, ".claude/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
    expect(readFileSync(join(p.cwd, ".claude/skills/alice-deploy/ship.sh"), "utf8")).toBe("echo alice ships 1.0.0\n");
    // Exactly one change: the frontmatter's name.
    const signed = await signedSkillMd("1.0.0");
    expect(readFileSync(join(p.cwd, ".claude/skills/alice-deploy/SKILL.md"), "utf8")).toBe(signed.replace(/^name: deploy$/m, "name: alice-deploy"));
    expect(lock(p.cwd).skills["@alice/deploy"]).toMatchObject({ as: "alice-deploy", paths: [".claude/skills/alice-deploy"] });
    expect(lock(p.cwd).skills["@acme/deploy"]!.as).toBeUndefined();

    // Both folders pass the Agent Skills name rule (name equals folder name), and verify is clean.
    const validate = await runCli(["validate", ".claude/skills/alice-deploy", ".claude/skills/deploy"], p);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const verify = await runCli(["verify"], p);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect((await runCli(["list"], p)).stdout).toContain("@alice/deploy@1.0.0  (^1.0.0)  as alice-deploy  signed by alice@acme.example");
  });

  it("verify allows only the alias swap; install restores; install --frozen, update and remove keep the alias", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@acme/deploy@~1.2.0", "--registry", s.url], p)).code).toBe(0);
    expect((await runCli(["pull", "@alice/deploy@^1.0.0", "--as", "alice-deploy", "--registry", s.url], p)).code).toBe(0);
    const skillMd = join(p.cwd, ".agents/skills/alice-deploy/SKILL.md");
    const installed = readFileSync(skillMd, "utf8");

    for (const edit of [installed.replace("name: alice-deploy", "name: deploy"), installed.replace("name: alice-deploy", "name: alice-deploy2"), installed + "# local edit\n"]) {
      writeFileSync(skillMd, edit);
      const verify = await runCli(["verify"], p);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain("✗ @alice/deploy at .agents/skills/alice-deploy\n    changed  SKILL.md\n");
    }
    expect((await runCli(["install"], p)).code).toBe(0);
    expect(readFileSync(skillMd, "utf8")).toBe(installed);
    expect((await runCli(["verify"], p)).code).toBe(0);

    // A fresh checkout of the project: the lock alone reproduces both folders, byte for byte.
    const lockText = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    const fresh = s.project();
    cpSync(join(p.cwd, "skillreg.lock"), join(fresh.cwd, "skillreg.lock"));
    const frozen = await runCli(["install", "--frozen"], fresh);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(readFileSync(join(fresh.cwd, ".agents/skills/alice-deploy/SKILL.md"), "utf8")).toBe(installed);
    expect(readFileSync(join(fresh.cwd, "skillreg.lock"), "utf8")).toBe(lockText);

    // Pulling it again without --as keeps the alias (it would otherwise collide).
    expect((await runCli(["pull", "@alice/deploy@^1.0.0", "--registry", s.url], p)).code).toBe(0);
    expect(lock(p.cwd).skills["@alice/deploy"]!.paths).toEqual([".agents/skills/alice-deploy"]);
    // Another --as renames it: the new folder is written, the old one (the lock's) removed.
    expect((await runCli(["pull", "@alice/deploy@^1.0.0", "--as", "deploy-by-alice", "--registry", s.url], p)).code).toBe(0);
    expect(readdirSync(join(p.cwd, ".agents/skills")).sort()).toEqual(["deploy", "deploy-by-alice"]);
    expect((await runCli(["verify"], p)).code).toBe(0);
    expect((await runCli(["pull", "@alice/deploy@^1.0.0", "--as", "alice-deploy", "--registry", s.url], p)).code).toBe(0);

    await s.reg.publish({ scope: "alice", name: "deploy", version: "1.1.0", signer: s.alice, files: { "ship.sh": "echo alice ships 1.1.0\n" } });
    await s.reindex();
    const update = await runCli(["update"], p);
    expect(update.code, update.stderr).toBe(0);
    expect(readFileSync(join(p.cwd, ".agents/skills/alice-deploy/ship.sh"), "utf8")).toBe("echo alice ships 1.1.0\n");
    expect(readFileSync(skillMd, "utf8")).toBe((await signedSkillMd("1.1.0")).replace(/^name: deploy$/m, "name: alice-deploy"));
    expect(lock(p.cwd).skills["@alice/deploy"]).toMatchObject({ as: "alice-deploy", version: "1.1.0" });
    expect((await runCli(["verify"], p)).code).toBe(0);

    expect((await runCli(["remove", "@alice/deploy"], p)).code).toBe(0);
    expect(existsSync(join(p.cwd, ".agents/skills/alice-deploy"))).toBe(false);
    expect(readdirSync(join(p.cwd, ".agents/skills"))).toEqual(["deploy"]);
    expect(Object.keys(lock(p.cwd).skills)).toEqual(["@acme/deploy"]);
  });

  it("refuses a hostile or invalid alias in one line, exit 2, writing nothing", async () => {
    const cases: [string[], string][] = [
      [["--as", "../../evil"], `--as "../../evil" is not a skill folder name`],
      [["--as", "/tmp/evil"], `--as "/tmp/evil" is not a skill folder name`],
      [["--as", "Deploy"], `--as "Deploy" is not a skill folder name`],
      [["--as", "acme--deploy"], `--as "acme--deploy" is not a skill folder name`],
      [["--as", ""], `--as "" is not a skill folder name`],
      [["--as", "a".repeat(65)], "the limit is 64"],
      [["--as", "x", "@acme/lint"], "--as names the folder of one skill"],
      [["--as", "123"], "cannot be installed as 123: 'name: 123' does not read as a skill name in YAML"],
    ];
    for (const [extra, message] of cases) {
      const p = s.project();
      const r = await runCli(["pull", "@alice/deploy", ...extra, "--registry", s.url], p);
      expect(r.code, extra.join(" ")).toBe(2);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("skillreg: error:"));
      expect(errors.length, r.stderr).toBe(1);
      expect(errors[0]).toContain(message);
      expect(readdirSync(p.cwd), extra.join(" ")).toEqual([]);
    }
  });

  it("refuses a lock whose alias leaves the skills folder", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@alice/deploy", "--as", "alice-deploy", "--registry", s.url], p)).code).toBe(0);
    const text = readFileSync(join(p.cwd, "skillreg.lock"), "utf8");
    for (const [from, to] of [
      [`"as": "alice-deploy"`, `"as": "../../evil"`],
      [`"as": "alice-deploy"`, `"as": "other"`],
    ] as const) {
      writeFileSync(join(p.cwd, "skillreg.lock"), text.replace(from, to));
      const r = await runCli(["install"], p);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^skillreg: error: .*skillreg\.lock: .*\n$/);
    }
    expect(existsSync(join(p.cwd, "evil"))).toBe(false);
  });
});
