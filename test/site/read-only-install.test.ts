import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { makeSiteRegistry } from "./site-registry.js";

const SITE_PACKAGE = fileURLToPath(new URL("../../site/", import.meta.url));
/** Root writes through any permission bits, so as root the build runs as nobody, for whom the installed packages are read-only. */
const NOBODY = 65534;
const asNobody = process.getuid?.() === 0;

/** Every path under the site package, outside what npm put there. */
function packageTree(): string[] {
  return readdirSync(SITE_PACKAGE, { recursive: true }).map(String).sort();
}

describe("skillreg build on a read-only install", () => {
  it("writes only into its output and temporary folders, never into the site package", async () => {
    const root = tempDir();
    const { dir } = await makeSiteRegistry(root);
    const outParent = join(root, "out-parent");
    const home = join(root, "home");
    mkdirSync(outParent);
    mkdirSync(home);
    for (const d of [root, outParent, home]) chmodSync(d, 0o777);
    const before = packageTree();
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, "build", "--registry", dir, "--out", join(outParent, "site")],
        {
          ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
          env: {
            ...process.env,
            HOME: home,
            NO_COLOR: "1",
            // The registry belongs to root; nobody may still read it.
            GIT_CONFIG_COUNT: "1",
            GIT_CONFIG_KEY_0: "safe.directory",
            GIT_CONFIG_VALUE_0: "*",
          },
        },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr: String(stderr) }),
      );
    });
    expect(result.stderr).not.toContain("error");
    expect(result.code).toBe(0);
    expect(existsSync(join(outParent, "site/index.html"))).toBe(true);
    expect(packageTree()).toEqual(before);
    expect(existsSync(join(SITE_PACKAGE, ".astro"))).toBe(false);
    expect(existsSync(join(SITE_PACKAGE, "node_modules"))).toBe(false);
  });
});
