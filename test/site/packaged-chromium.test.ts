import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../../registry/site-build/serve.js";
import { tempDir } from "../helpers/tmp.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromiumToLaunch, launchChromium } from "./browser.js";

/**
 * The fallback a fresh machine uses when /usr/bin/chromium is absent: the Chromium that
 * @sparticuz/chromium ships, forced here with SKILLREG_TEST_CHROMIUM=sparticuz, renders a page.
 */
describe("the packaged Chromium fallback", () => {
  const site = tempDir();
  let server: StaticServer;
  const saved = process.env.SKILLREG_TEST_CHROMIUM;
  beforeAll(async () => {
    process.env.SKILLREG_TEST_CHROMIUM = "sparticuz";
    writeFileSync(join(site, "index.html"), "<!doctype html><title>fallback</title><h1 id=h>rendered by the packaged Chromium</h1>");
    server = await serveStatic(site, { port: 0 });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.SKILLREG_TEST_CHROMIUM;
    else process.env.SKILLREG_TEST_CHROMIUM = saved;
    await server.close();
  });

  it("launches under playwright-core and renders a served page", async () => {
    const chosen = await chromiumToLaunch();
    expect(chosen.packaged).toBe(true);
    expect(chosen.executablePath).not.toBe("/usr/bin/chromium");
    expect(chosen.args).toContain("--no-sandbox");
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      expect(await page.locator("#h").textContent()).toBe("rendered by the packaged Chromium");
    } finally {
      await browser.close();
    }
  });
});
