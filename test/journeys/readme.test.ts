import { mkdirSync, readFileSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { consoleBlocks, matchesWithGaps, normalize, outputLines, runSession, sessionSteps } from "./readme-session.js";

/**
 * The README's examples run as written: every command of its console sessions, verbatim, in
 * a fresh folder with `skillreg` on PATH (the built binary, as `npm link` gives it), and each
 * prints what the README shows.
 */

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
/** The folder the README's session says it ran in, and the home folder it shows. */
const README_FOLDER = "/tmp/sr";
const README_HOME = "/home/you";

describe("the README's console sessions", () => {
  const blocks = consoleBlocks(README);

  it("are there: the real session", () => {
    expect(blocks.map((b) => b.heading)).toEqual(["A real session"]);
  });

  for (const block of blocks) {
    it(`"${block.heading}" runs as written and prints what the README shows`, { timeout: 900_000 }, async () => {
      const steps = sessionSteps(block.lines);
      const root = tempDir("skillreg-readme-");
      const folder = join(root, "sr");
      const home = join(root, "home");
      const bin = join(root, "bin");
      for (const d of [folder, home, bin]) mkdirSync(d);
      writeFileSync(join(bin, "skillreg"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
      chmodSync(join(bin, "skillreg"), 0o755);
      // A new user's environment: no cache or config folders of the test run, no tokens.
      const env = { PATH: `${bin}:${process.env.PATH ?? ""}`, HOME: home, LANG: "C.UTF-8", NO_COLOR: "1" };
      const outputs = await runSession(
        steps.map((s) => s.command),
        { cwd: folder, env, timeoutMs: 850_000 },
      );
      for (const [i, step] of steps.entries()) {
        const shown = outputs[i]!.replaceAll(folder, README_FOLDER).replaceAll(home, README_HOME);
        const actual = outputLines(normalize(shown));
        const expected = step.expected.map(normalize);
        expect(matchesWithGaps(expected, actual), `$ ${step.command}\n--- README\n${expected.join("\n")}\n--- printed\n${actual.join("\n")}`).toBe(true);
      }
    });
  }
});
