import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/**
 * Debian's Chromium when the machine has it (.ci/run installs it), else the Chromium that the
 * npm package @sparticuz/chromium ships (a devDependency), so `npm ci && npm test` passes on a
 * fresh machine without apt. SKILLREG_TEST_CHROMIUM=sparticuz forces the packaged one (its test).
 */
const SYSTEM_CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Which Chromium the browser tests run, and with which arguments. */
export async function chromiumToLaunch(): Promise<{ executablePath: string; args: string[]; packaged: boolean }> {
  if (process.env.SKILLREG_TEST_CHROMIUM !== "sparticuz" && existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: ARGS, packaged: false };
  const { default: packaged } = await import("@sparticuz/chromium");
  // Its own arguments (made for containers without a GPU) plus ours; no sandbox, as above.
  return { executablePath: await packaged.executablePath(), args: [...new Set([...packaged.args, ...ARGS])], packaged: true };
}

/** A headless Chromium with a fresh profile folder, removed on close. */
export async function launchChromium(): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), "skillreg-chromium-"));
  const { executablePath, args } = await chromiumToLaunch();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
