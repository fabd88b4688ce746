import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpIndexSource } from "../../registry/client/sources/http-index.js";
import { tempDir } from "../helpers/tmp.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/** Conditional requests for the index: the site sends ETags, the client revalidates. */
describe("the index over HTTP, revalidated", () => {
  let s: ServedRegistry;
  beforeAll(async () => {
    s = await serveRegistry();
  });

  it("answers If-None-Match with 304 and no body while the file is unchanged, 200 with a new tag once it changes", async () => {
    const url = `${s.url}/index/v1/skills/acme/lint.json`;
    const first = await fetch(url);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect((await first.text()).length).toBeGreaterThan(200);
    const again = await fetch(url, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");

    const file = join(s.siteDir, "index/v1/skills/acme/lint.json");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("}", ' }'));
    const changed = await fetch(url, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    writeFileSync(file, text);
  });

  it("resolves a skill again for a few hundred bytes, with the same answer, and ignores a damaged cache", async () => {
    const cache = tempDir("skillreg-index-cache-");
    const env = { SKILLREG_CACHE_DIR: cache, HOME: cache };
    const resolve = async () => {
      const before = s.server.bytesSent();
      const asked = s.server.requests.length;
      const skill = await new HttpIndexSource(s.url, { env, cwd: cache }).skill("acme", "deploy");
      return { skill, bytes: s.server.bytesSent() - before, urls: s.server.requests.slice(asked).map((q) => q.url) };
    };
    const cold = await resolve();
    expect(cold.bytes).toBeGreaterThan(1500);
    const warm = await resolve();
    expect(warm.skill).toEqual(cold.skill);
    // Two small answers: 404 for the signed root (this site signs nothing) and 304 for the skill.
    expect(warm.urls).toEqual(["/index/v1/tuf/root.json", "/index/v1/skills/acme/deploy.json"]);
    expect(warm.bytes).toBeLessThan(600);

    const entries = readdirSync(join(cache, "index"), { recursive: true }).map(String).filter((p) => p.endsWith(".json"));
    expect(entries).toHaveLength(1);
    writeFileSync(join(cache, "index", entries[0]!), '{"url": 1}');
    const repaired = await resolve();
    expect(repaired.skill).toEqual(cold.skill);
    expect(repaired.bytes).toBeGreaterThan(1500);
  });
});
