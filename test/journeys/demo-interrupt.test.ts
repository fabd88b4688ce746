import { spawn } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `npm run demo` makes a throwaway registry in the temporary folder. A user who presses Ctrl-C
 * part-way (or stops the served catalog) expects it gone, as they never asked for it: nothing
 * named skillreg-demo-* is left behind, and the last line says what was removed.
 */
function runDemoUntil(waitFor: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string; tmp: string }> {
  const root = tempDir("skillreg-demo-interrupt-");
  const tmp = join(root, "tmp");
  const home = join(root, "home");
  for (const d of [tmp, home]) mkdirSync(d);
  const env = { ...process.env, TMPDIR: tmp, HOME: home, XDG_CACHE_HOME: "", XDG_CONFIG_HOME: "", NO_COLOR: "1" };
  const demo = spawn(process.execPath, [BIN, "demo", "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let sent = false;
  demo.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!sent && waitFor.test(stdout)) {
      sent = true;
      demo.kill(signal);
    }
  });
  demo.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => demo.once("exit", (code) => resolve({ code, stdout, stderr, tmp })));
}

const leftovers = (tmp: string) => readdirSync(tmp).filter((name) => name.startsWith("skillreg-"));

describe("stopping the demo", () => {
  it("removes its throwaway registry on Ctrl-C part-way through publishing", { timeout: 300_000 }, async () => {
    const run = await runDemoUntil(/^4\. Publishing/m, "SIGINT");
    const dir = /^Working in (\S+) /m.exec(run.stdout)?.[1];
    expect(dir).toContain(join(run.tmp, "skillreg-demo-"));
    expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(`skillreg: interrupted; removed the throwaway registry ${dir} (pass --dir D to keep one)`);
    expect(run.code).toBe(130);
    expect(leftovers(run.tmp)).toEqual([]);
  });

  it("removes its throwaway registry and built site when the served catalog is stopped", { timeout: 900_000 }, async () => {
    const run = await runDemoUntil(/^Serving \d+ skills at /m, "SIGTERM");
    expect(run.stderr.trimEnd().split("\n").at(-1)).toMatch(/^skillreg: stopped; removed the throwaway registry \S+skillreg-demo-\S+ \(pass --dir D to keep one\)$/);
    expect(run.code).toBe(143);
    expect(leftovers(run.tmp)).toEqual([]);
  });
});
