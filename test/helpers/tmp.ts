import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const made: string[] = [];

// One hook per test file, registered when the file imports this module. A hook registered by
// tempDir() itself would be dropped when tempDir() runs inside a test, leaving the folder behind.
// Registered first, it runs after the file's own afterAll hooks (servers stopped, agents killed).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file finishes. */
export function tempDir(prefix = "skillreg-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
