import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, runBin } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * `npm run demo` as a new user runs it: the demo builds its registry, then serves the catalog
 * with its index signed by the release workflow's key, as a real release does. The user's
 * first pull from it is authenticated from the root the site serves (trusted on first contact,
 * said in one line), never read unsigned.
 */
describe("the demo's served catalog", () => {
  it("signs its index: a first pull trusts the served root in one line and installs", { timeout: 900_000 }, async () => {
    const root = tempDir("skillreg-demo-signed-");
    const home = join(root, "home");
    const project = join(root, "project");
    for (const d of [home, project]) mkdirSync(d);
    const env = { ...process.env, HOME: home, XDG_CACHE_HOME: "", XDG_CONFIG_HOME: "", NO_COLOR: "1", SKILLREG_TOKEN: "", GITHUB_TOKEN: "" };
    const demo = spawn(process.execPath, [BIN, "demo", "--dir", join(root, "demo"), "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        let err = "";
        demo.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const m = /Serving \d+ skills at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        demo.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
        demo.once("exit", (code) => reject(new Error(`skillreg demo exited with ${code} before serving:\n${out}${err}`)));
      });
      const site = url.replace(/\/$/, "");
      const pull = await runBin(["pull", "@alice/commit-message", "--registry", url], { cwd: project, env });
      const warnings = pull.stderr.split("\n").filter((l) => l.startsWith("warning:") || l.startsWith("skillreg: error:"));
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(`^warning: first contact with ${site.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: no trust root pinned; trusting root SHA256:\\S+ \\(version 1; 1 of 1 admin keys SHA256:\\S+\\) as served; pin it with 'skillreg registry add ${site.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} --trust SHA256:\\S+'$`),
        ),
      ]);
      expect(pull.stderr).not.toContain("not authenticated");
      expect(pull.stdout).toContain("+ @alice/commit-message@1.1.0  signed by alice");
      expect(pull.code).toBe(0);
    } finally {
      if (demo.exitCode === null) {
        const exited = new Promise((done) => demo.once("exit", done));
        demo.kill("SIGTERM");
        await exited;
      }
    }
  });

  it("refuses a --port that is not a port before making anything", async () => {
    const root = tempDir("skillreg-demo-port-");
    const r = await runBin(["demo", "--dir", join(root, "demo"), "--port", "http"]);
    expect(r.stderr.trim()).toBe("skillreg: error: --port must be a number from 0 to 65535, not 'http'");
    expect(r.code).toBe(2);
  });
});
