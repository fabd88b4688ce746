import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The interop tests of sealed versions run Debian's `age` (the reference implementation).
 * On a fresh Debian machine where `npm test` runs as root, install it as `.ci/run` does;
 * elsewhere say exactly what to install.
 */
function ensureAgeCli(): void {
  const has = (cmd: string) => {
    try {
      execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (has("age")) return;
  if (process.getuid?.() === 0 && has("apt-get")) {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    execFileSync("apt-get", ["install", "-y", "-qq", "age"], { stdio: "inherit", env });
    return;
  }
  throw new Error("the sealed-version tests need the age CLI (the reference age implementation): install it, e.g. apt-get install age");
}

// Tests that spawn the real `skillreg` binary need dist/ current with the sources.
// Every test (and every binary it spawns) gets one fresh cache folder, never the user's own.
export default function setup(): () => void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  ensureAgeCli();
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", "scanner/tsconfig.json"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [`${root}/scripts/bundle.mjs`], { cwd: root, stdio: "inherit" });
  const cache = mkdtempSync(join(tmpdir(), "skillreg-test-cache-"));
  process.env.SKILLREG_CACHE_DIR = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
