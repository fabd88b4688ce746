import { describe, expect, it } from "vitest";
import { defaultRange, parseSkillSpec, resolveVersion } from "../../registry/client/resolve.js";

const v = (version: string, yanked?: string) => ({ version, yanked: yanked ? { reason: yanked } : null });
const versions = [v("1.0.0"), v("1.2.0"), v("1.2.5", "broken"), v("1.3.0-rc.1"), v("2.0.0"), v("3.0.0-beta.2")];
const pick = (range: string, opts = {}) => resolveVersion("@a/b", versions, range, opts).version;

describe("resolveVersion", () => {
  it("follows npm's ranges and skips yanked versions and prereleases", () => {
    expect(pick("1.2.0")).toBe("1.2.0");
    expect(pick("~1.2.0")).toBe("1.2.0");
    expect(pick("^1.0.0")).toBe("1.2.0");
    expect(pick(">=1.0.0 <2")).toBe("1.2.0");
    expect(pick("1.x")).toBe("1.2.0");
    expect(pick("latest")).toBe("2.0.0");
    expect(pick("*")).toBe("2.0.0");
  });

  it("takes prereleases only when named or asked for", () => {
    expect(pick("3.0.0-beta.2")).toBe("3.0.0-beta.2");
    expect(pick("^1.3.0-rc.1")).toBe("1.3.0-rc.1");
    expect(pick("latest", { prerelease: true })).toBe("3.0.0-beta.2");
    expect(pick("^1.0.0", { prerelease: true })).toBe("1.3.0-rc.1");
  });

  it("picks a yanked version only when the lock names it", () => {
    expect(() => pick("1.2.5")).toThrow("@a/b@1.2.5 is yanked: broken");
    expect(pick("1.2.5", { locked: "1.2.5" })).toBe("1.2.5");
    expect(pick("~1.2.0", { locked: "1.2.5" })).toBe("1.2.5");
  });

  it("says what exists when nothing matches", () => {
    expect(() => pick("^4.0.0")).toThrow("no version of @a/b matches ^4.0.0 (available: 1.0.0, 1.2.0, 1.3.0-rc.1, 2.0.0, 3.0.0-beta.2; yanked: 1.2.5)");
    expect(() => resolveVersion("@a/b", [v("1.0.0-alpha")], "latest")).toThrow("only prereleases exist: name one or pass --prerelease");
  });
});

describe("parseSkillSpec and defaultRange", () => {
  it("parses @scope/name[@range] and refuses anything else", () => {
    expect(parseSkillSpec("@acme/deploy")).toEqual({ scope: "acme", name: "deploy", range: "latest" });
    expect(parseSkillSpec("@acme/deploy@>=1.2 <2")).toEqual({ scope: "acme", name: "deploy", range: ">=1.2 <2" });
    expect(() => parseSkillSpec("@acme/deploy@banana")).toThrow("'banana' is not a version range");
    expect(() => parseSkillSpec("@Acme/deploy")).toThrow("'Acme' is not a valid scope name");
  });

  it("records ^version for a pull without a range, the range otherwise", () => {
    expect(defaultRange("latest", "1.4.0")).toBe("^1.4.0");
    expect(defaultRange("latest", "2.0.0-rc.1")).toBe("2.0.0-rc.1");
    expect(defaultRange("~1.2.0", "1.2.3")).toBe("~1.2.0");
  });
});
