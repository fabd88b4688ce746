import { describe, expect, it } from "vitest";
import { commandTable } from "../cli/command-table.js";
import { runBin, runCli } from "./helpers/cli.js";
import { makeOutput, safeStream, terminalSafe } from "../cli/output.js";

describe("skillreg main", () => {
  it("prints help and the version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: skillreg <command>/);
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("groups every command under consume, publish, review and administer, each with its summary and an example", async () => {
    const help = (await runCli(["--help"])).stdout;
    const groups = ["Use skills in a project (consume):", "Publish skills (publish):", "Review changes (review):", "Administer a registry (administer):"];
    const at = groups.map((g) => help.indexOf(`\n${g}\n`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const [name, entry] of Object.entries(commandTable)) {
      const { command } = await entry.load();
      expect(help, name).toContain(`  ${name.padEnd(22)}${command.summary}\n${" ".repeat(24)}e.g. ${entry.example}\n`);
      expect(entry.example.startsWith(`skillreg ${name}`), name).toBe(true);
    }
    const consume = help.slice(at[0], at[1]);
    for (const name of ["registry add", "search", "info", "pull", "update", "remove"]) expect(consume).toContain(`  ${name} `);
  });

  it("shows a command's help for 'skillreg help <command>', as npm, cargo and git do", async () => {
    for (const argv of [["help", "pull"], ["help", "registry", "check"]]) {
      const viaHelp = await runCli(argv);
      expect(viaHelp.code, argv.join(" ")).toBe(0);
      expect(viaHelp.stdout).toBe((await runCli([...argv.slice(1), "--help"])).stdout);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: skillreg ${argv.slice(1).join(" ")} `));
    }
    expect(await runCli(["help", "pul"])).toMatchObject({ code: 2, stderr: "skillreg: error: unknown command 'pul' (did you mean 'pull'?); run 'skillreg --help' for the list\n" });
  });

  it("rejects an unknown command with one line and exit 2", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("skillreg: error: unknown command 'frobnicate'; run 'skillreg --help' for the list\n");
  });

  it("names the command a typo was meant to be, without the arguments after it", async () => {
    const pul = await runCli(["pul", "@acme-corp/changelog-writer"]);
    expect(pul.code).toBe(2);
    expect(pul.stderr).toBe("skillreg: error: unknown command 'pul' (did you mean 'pull'?); run 'skillreg --help' for the list\n");
    const sub = await runCli(["registry", "chek", "--base", "main"]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toBe("skillreg: error: unknown command 'registry chek' (did you mean 'registry check'?); run 'skillreg --help' for the list\n");
  });

  it("names skillreg's command for what npm, cargo and Homebrew call it, never its opposite", async () => {
    const uninstall = await runCli(["uninstall", "@acme-corp/changelog-writer"]);
    expect(uninstall).toMatchObject({ code: 2, stderr: "skillreg: error: unknown command 'uninstall'; skillreg calls it 'remove': run 'skillreg remove --help'\n" });
    expect((await runCli(["rm", "@a/b"])).stderr).toBe("skillreg: error: unknown command 'rm'; skillreg calls it 'remove': run 'skillreg remove --help'\n");
    expect((await runCli(["add", "@a/b"])).stderr).toBe("skillreg: error: unknown command 'add'; skillreg calls it 'pull': run 'skillreg pull --help'\n");
    expect((await runCli(["ls"])).stderr).toBe("skillreg: error: unknown command 'ls'; skillreg calls it 'list': run 'skillreg list --help'\n");
  });

  it("rejects an option before any command as an option, not a command", async () => {
    expect(await runCli(["--verison"])).toMatchObject({ code: 2, stderr: "skillreg: error: unknown option '--verison' (did you mean --version?); run 'skillreg --help' for the commands\n" });
    expect(await runCli(["--json", "list"])).toMatchObject({ code: 2, stderr: "skillreg: error: unknown option '--json'; run 'skillreg --help' for the commands\n" });
  });

  it("rejects a mistyped option in one line that names the option it was meant to be", async () => {
    const typo = await runCli(["pull", "@acme-corp/changelog-writer", "--regsitry", "http://127.0.0.1:4321/"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("skillreg: error: unknown option '--regsitry' (did you mean --registry?); see 'skillreg pull --help'\n");
    const unrelated = await runCli(["list", "--colourful-output"]);
    expect(unrelated.stderr).toBe("skillreg: error: unknown option '--colourful-output'; see 'skillreg list --help'\n");
    const missing = await runCli(["pull", "@acme-corp/changelog-writer", "--registry"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("skillreg: error: option '--registry <value>' argument missing; see 'skillreg pull --help'\n");
  });

  it("runs as a real process through bin/skillreg.js", async () => {
    const r = await runBin(["nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("terminalSafe", () => {
  it("shows every control character escaped, colour codes in the text too, whether colour is on or off", () => {
    const hostile = "a\u001b]0;title\u0007b\u001b[2Jc\rd\u202ee\u009bf";
    expect(terminalSafe(hostile, true)).toBe("a\\x1b]0;title\\x07b\\x1b[2Jc\\x0dd\\u202ee\\x9bf");
    expect(terminalSafe("\u001b[31mred\u001b[0m\n\ttab", true)).toBe("\\x1b[31mred\\x1b[0m\n\ttab");
    expect(terminalSafe("\u001b[31mred\u001b[0m", false)).toBe("\\x1b[31mred\\x1b[0m");
    expect(terminalSafe("a,b\r\nc\rd", false)).toBe("a,b\r\nc\\x0dd");
  });

  it("turns only skillreg's own colours into colour codes, on a stream with colour on", () => {
    let tty = "";
    let piped = "";
    const env = { TERM: "xterm" };
    const onTty = safeStream({ write: (s: string) => (tty += s), isTTY: true }, env);
    const onPipe = safeStream({ write: (s: string) => (piped += s), isTTY: false }, env);
    const { color } = makeOutput(onTty, onTty, env);
    // A name that imitates our colour codes, and one that imitates the marker without its token.
    const line = `${color.red("blocked")}: \u001b[32mfine\u001b[0m \ue000x:32\ue001${color.bold("@acme/x")}\n`;
    onTty.write(line);
    onPipe.write(line);
    expect(tty).toBe("\u001b[31mblocked\u001b[0m: \\x1b[32mfine\\x1b[0m \ue000x:32\ue001\u001b[1m@acme/x\u001b[0m\n");
    expect(piped).toBe("blocked: \\x1b[32mfine\\x1b[0m \ue000x:32\ue001@acme/x\n");
  });
});
