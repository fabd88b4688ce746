import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { serveRegistry, type ServedRegistry } from "../pull/served-registry.js";

/**
 * `pull --as` and the lock's `as` field, attacked. A lock is a file anyone can edit in a pull
 * request: an entry whose `as` and `paths` were rewritten to another entry's folder was
 * refused by `install`, but `update` and `outdated` carried on, and `remove` of the edited
 * entry deleted the folder of the other skill (@acme/deploy here); pointed at a folder the user
 * wrote, `remove` deleted that folder. Hostile SKILL.md forms (CRLF, a byte-order mark, which
 * the alias swap used to drop so that verify failed at once and install never repaired it,
 * quoted or commented name, a `name:` line in the body, flow maps, anchors, duplicate keys)
 * either install with only the name token changed or are refused.
 */

let s: ServedRegistry;
const md = (name: string, extra = "") => `---\nname: ${name}\ndescription: d\n${extra}metadata:\n  version: "1.0.0"\n---\n# x\n\nBody.\n\n## Guardrails\n\nNone.\n`;
const HOSTILE: Record<string, string> = {
  crlf: md("crlf").replace(/\n/g, "\r\n"),
  bom: "\uFEFF" + md("bom"),
  quoted: md('"quoted"'),
  comment: md("comment # c"),
  body: md("body") + "\nname: body\n",
  flow: `---\n{name: flow, description: d, metadata: {version: "1.0.0"}}\n---\n# x\n\n## Guardrails\n\nNone.\n`,
  anchor: `---\nname: &n anchor\ndescription: *n\nmetadata:\n  version: "1.0.0"\n---\n# x\n\n## Guardrails\n\nNone.\n`,
  dup: md("dup", "name: dup\n"),
};
beforeAll(async () => {
  s = await serveRegistry();
  await s.reg.updateScope({ scope: "alice", visibility: "public", members: { "alice@acme.example": "owner" } });
  await s.reg.publish({ scope: "alice", name: "deploy", version: "1.0.0", signer: s.alice, files: { "ship.sh": "echo alice\n" } });
  for (const [name, text] of Object.entries(HOSTILE)) {
    await s.reg.publish({ scope: "alice", name, version: "1.0.0", signer: s.alice, files: { "SKILL.md": text } });
  }
  await s.reindex();
});

const errors = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("skillreg: error:"));

describe("a lock entry whose alias names another skill's folder", () => {
  it("is refused by every flow; remove never deletes the other skill", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@acme/deploy@1.2.3", "--registry", s.url], p)).code).toBe(0);
    expect((await runCli(["pull", "@alice/deploy", "--as", "alice-deploy", "--registry", s.url], p)).code).toBe(0);
    const lockFile = join(p.cwd, "skillreg.lock");
    const edited = readFileSync(lockFile, "utf8").replace(`"as": "alice-deploy"`, `"as": "deploy"`).replace(`".agents/skills/alice-deploy"`, `".agents/skills/deploy"`);
    writeFileSync(lockFile, edited);

    for (const argv of [["remove", "@alice/deploy"], ["update"], ["outdated"], ["install"], ["install", "--frozen"]]) {
      const r = await runCli(argv, p);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(errors(r.stderr), argv.join(" ")).toEqual([
        `skillreg: error: ${lockFile}: @acme/deploy and @alice/deploy both record ".agents/skills/deploy"; a folder holds one skill: pull one of them again with --as`,
      ]);
      expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 1.2.3\n");
      expect(readFileSync(lockFile, "utf8")).toBe(edited);
    }
    expect(readdirSync(join(p.cwd, ".agents/skills")).sort()).toEqual(["alice-deploy", "deploy"]);
  });
});

describe("a lock entry whose alias names a folder the user wrote", () => {
  it("remove refuses to delete it; the skill's own folder and the user's stay", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@acme/lint", "--registry", s.url], p)).code).toBe(0);
    const mine = join(p.cwd, ".agents/skills/handmade/SKILL.md");
    mkdirSync(dirname(mine));
    writeFileSync(mine, "my own notes\n");
    const lockFile = join(p.cwd, "skillreg.lock");
    const edited = readFileSync(lockFile, "utf8").replace(`"files"`, `"as": "handmade",\n      "files"`).replace(`".agents/skills/lint"`, `".agents/skills/handmade"`);
    writeFileSync(lockFile, edited);

    const r = await runCli(["remove", "@acme/lint"], p);
    expect(r.code).toBe(2);
    expect(errors(r.stderr)).toEqual([
      `skillreg: error: .agents/skills/handmade holds none of the files ${lockFile} records for @acme/lint, so skillreg did not install it there; nothing was removed: delete the folder by hand if it is yours to delete`,
    ]);
    expect(readFileSync(mine, "utf8")).toBe("my own notes\n");
    expect(readFileSync(lockFile, "utf8")).toBe(edited);
    expect(readdirSync(join(p.cwd, ".agents/skills")).sort()).toEqual(["handmade", "lint"]);
  });

  it("remove still takes away an installed folder the user edited", async () => {
    const p = s.project();
    expect((await runCli(["pull", "@acme/deploy@1.2.3", "--registry", s.url], p)).code).toBe(0);
    writeFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "echo edited\n");
    const r = await runCli(["remove", "@acme/deploy"], p);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(p.cwd, ".agents/skills/deploy"))).toBe(false);
  });
});

describe("hostile SKILL.md under --as", () => {
  it("installs with only the name token changed, and verify catches the name moved into the body", async () => {
    for (const [name, installedAs] of [["crlf", "name: al-crlf\r\n"], ["bom", "name: al-bom\n"], ["quoted", 'name: "al-quoted"\n'], ["comment", "name: al-comment # c\n"], ["body", "name: al-body\n"]] as const) {
      const p = s.project();
      const r = await runCli(["pull", `@alice/${name}`, "--as", `al-${name}`, "--registry", s.url], p);
      expect(r.code, r.stderr).toBe(0);
      const file = join(p.cwd, `.agents/skills/al-${name}/SKILL.md`);
      const signed = HOSTILE[name]!;
      const firstLine = signed.indexOf("\n") + 1;
      const nameLineEnd = signed.indexOf("\n", firstLine) + 1;
      expect(readFileSync(file, "utf8")).toBe(signed.slice(0, firstLine) + installedAs + signed.slice(nameLineEnd));
      expect((await runCli(["verify"], p)).code).toBe(0);
    }
    // The body's own `name: body` line stays; swapping the alias into it is a change.
    const p = s.project();
    expect((await runCli(["pull", "@alice/body", "--as", "al-body", "--registry", s.url], p)).code).toBe(0);
    const file = join(p.cwd, ".agents/skills/al-body/SKILL.md");
    writeFileSync(file, readFileSync(file, "utf8").replace("name: al-body", "name: body").replace(/\nname: body\n$/, "\nname: al-body\n"));
    const verify = await runCli(["verify"], p);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain("changed  SKILL.md");
  });

  it("refuses a name in a flow map, behind an anchor, or written twice; nothing is installed", async () => {
    for (const name of ["flow", "anchor", "dup"]) {
      const p = s.project();
      const r = await runCli(["pull", `@alice/${name}`, "--as", `al-${name}`, "--registry", s.url], p);
      expect(r.code, name).toBe(2);
      expect(errors(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^skillreg: error: @alice/${name}@1\\.0\\.0 cannot be installed as al-${name}: .*; nothing was installed$`))]);
      expect(existsSync(join(p.cwd, ".agents"))).toBe(false);
      expect(existsSync(join(p.cwd, "skillreg.lock"))).toBe(false);
    }
  });
});
