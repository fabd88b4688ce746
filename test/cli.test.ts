import { describe, expect, it } from "vitest";
import { runBin, runCli } from "./helpers/cli.js";

describe("skillreg main", () => {
  it("prints help and the version", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: skillreg <command>/);
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("rejects an unknown command with one line and exit 2", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("skillreg: error: unknown command 'frobnicate'; run 'skillreg --help' for the list\n");
  });

  it("runs as a real process through bin/skillreg.js", async () => {
    const r = await runBin(["nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
