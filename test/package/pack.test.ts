import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { serveRegistry, type ServedRegistry } from "../pull/served-registry.js";
import { tempDir } from "../helpers/tmp.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * What a user gets from npm: pack every package as `npm publish` would, install the packed
 * skillreg in a fresh folder, and use it. dist/ and scanner/dist/ are built by the global setup.
 */
describe("the packed packages", () => {
  let dir: string;
  let tarballs: Record<string, string>;
  let served: ServedRegistry;

  beforeAll(async () => {
    dir = tempDir("skillreg-pack-");
    tarballs = {};
    for (const [name, args] of [
      ["skillreg", []],
      ["@skillreg/scanner", ["-w", "scanner"]],
      ["@skillreg/site", ["-w", "site"]],
    ] as const) {
      const { stdout } = await run("npm", ["pack", ...args, "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT });
      tarballs[name] = join(dir, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarballs["skillreg"]!, tarballs["@skillreg/scanner"]!], { cwd: dir });
    served = await serveRegistry();
  }, 300_000);

  const bin = () => join(dir, "node_modules", ".bin", "skillreg");
  const packages = () => {
    const found: string[] = [];
    const walk = (nm: string) => {
      if (!existsSync(nm)) return;
      for (const entry of readdirSync(nm)) {
        if (entry.startsWith(".")) continue;
        if (entry.startsWith("@")) {
          for (const sub of readdirSync(join(nm, entry))) {
            found.push(`${entry}/${sub}`);
            walk(join(nm, entry, sub, "node_modules"));
          }
        } else {
          found.push(entry);
          walk(join(nm, entry, "node_modules"));
        }
      }
    };
    walk(join(dir, "node_modules"));
    return found;
  };

  it("ship their built code and nothing of the tests", async () => {
    for (const [name, file] of Object.entries(tarballs)) {
      const { stdout } = await run("tar", ["tzf", file]);
      const files = stdout.split("\n");
      expect(files.some((f) => f.startsWith("package/test/")), name).toBe(false);
      if (name === "skillreg") expect(files).toContain("package/dist/cli/main.js");
      if (name === "@skillreg/scanner") expect(files).toContain("package/dist/index.js");
      if (name === "@skillreg/site") expect(files).toEqual(expect.arrayContaining(["package/src/content.config.ts", "package/search-index.mjs"]));
    }
  });

  it("install skillreg with at most 60 packages and no Astro", () => {
    const installed = packages();
    expect(installed).toContain("skillreg");
    expect(installed).toContain("@skillreg/scanner");
    expect(installed.length).toBeLessThanOrEqual(60);
    expect(installed.filter((p) => /astro|pagefind|vite/.test(p))).toEqual([]);
  });

  it("start, and pull a skill from a served registry", async () => {
    const { stdout: version } = await run(bin(), ["--version"]);
    expect(version.trim()).toBe("0.1.0");
    const project = served.project();
    const { stdout } = await run(bin(), ["pull", "@acme/deploy@~1.2.0", "--registry", served.url], { cwd: project.cwd, env: { ...project.env, NO_COLOR: "1" } });
    expect(stdout).toContain("+ @acme/deploy@1.2.3");
    expect(existsSync(join(project.cwd, ".agents", "skills", "deploy", "run.sh"))).toBe(true);
    expect(existsSync(join(project.cwd, "skillreg.lock"))).toBe(true);
  });

  it("include the scanner's own CLI, usable alone (npx @skillreg/scanner <dir>)", async () => {
    const scanner = join(dir, "node_modules", ".bin", "skillreg-scanner");
    const skills = fileURLToPath(new URL("../../examples/skills/alice", import.meta.url));
    const { stdout } = await run(scanner, [skills, "--format", "json"]);
    const report = JSON.parse(stdout) as { skills: { name: string; decision: string }[] };
    expect(report.skills.map((s) => s.name).sort()).toEqual(["commit-message", "dev-setup", "pdf-text-extract"]);
    expect(report.skills.every((s) => ["blocked", "review", "flagged", "pass"].includes(s.decision))).toBe(true);
  });

  it("say exactly what to install to build a catalog without @skillreg/site", async () => {
    const err = await run(bin(), ["build", "--registry", served.reg.dir, "--out", join(dir, "site-out")]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    const errors = err!.stderr.trim().split("\n").filter((l) => !l.startsWith("›"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^skillreg: error: .*npm install @skillreg\/site/);
  });
});
