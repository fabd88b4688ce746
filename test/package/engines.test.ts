import { readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import { describe, expect, it } from "vitest";

// `npm ci` on the oldest Node the README names prints an EBADENGINE warning for every locked
// package whose engines field leaves that Node out. The lockfile records each package's engines,
// so the check reads it instead of running a two-minute install.
const repo = join(import.meta.dirname, "..", "..");

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

describe("the dependencies install without engine warnings on Node 20", () => {
  const rootEngines = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
  const oldestNode = semver.minVersion(rootEngines)?.version ?? "";

  it("names the oldest Node the README promises", () => {
    expect(oldestNode).toBe("20.19.0");
  });

  it("locks no package whose engines field refuses Node 20.19", () => {
    const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8")) as { packages: Record<string, LockedPackage> };
    const refusing = Object.entries(lock.packages)
      .filter(([, pkg]) => pkg.engines !== undefined && !Array.isArray(pkg.engines) && typeof pkg.engines.node === "string")
      .filter(([, pkg]) => !semver.satisfies(oldestNode, (pkg.engines as { node: string }).node, { includePrerelease: true }))
      .map(([path, pkg]) => `${path}@${pkg.version ?? "?"} (node ${(pkg.engines as { node: string }).node})`);
    expect(refusing).toEqual([]);
  });
});
