import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// Tests that spawn the real `skillreg` binary need dist/ current with the sources.
// Every test (and every binary it spawns) gets one fresh cache folder, never the user's own.
export default function setup(): () => void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", "scanner/tsconfig.json"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [`${root}/scripts/bundle.mjs`], { cwd: root, stdio: "inherit" });
  const cache = mkdtempSync(join(tmpdir(), "skillreg-test-cache-"));
  process.env.SKILLREG_CACHE_DIR = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
