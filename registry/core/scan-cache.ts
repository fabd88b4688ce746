import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { ScanInput, ScanPolicy, SkillScan } from "@skillreg/scanner";
import { scanner } from "./scanner.js";
import { userCacheDir } from "./cache-dir.js";
import { contentTreeId, type ScanFile } from "./git-object.js";
import { sortKeys } from "./json.js";
import { validatorFor } from "./schema.js";
import { readCacheJson, writeCacheJson } from "./cache-file.js";

/**
 * The one way skillreg scans a skill: push, the gate (registry check, merge, diff, the review
 * gate), the index and site build and `skillreg scan` all call `scanCacheFor(env).scan(...)`,
 * so a version is scanned once per scanner build and policy wherever it goes next.
 *
 * The key is the git tree id of the files the scanner reads (computed here from those very
 * bytes, never taken from a caller), the scanner build's fingerprint and the policy. Entries
 * live in `<cache>/scan/<scanner build>/<tree[0:2]>/<tree>.<policy>.json` under the cache
 * folder of core/cache-dir ($SKILLREG_CACHE_DIR). The folder is local data anyone on the
 * machine or a CI cache may have touched: an entry that does not parse, does not match its
 * schema, or names another tree, scanner build or policy is ignored and rewritten, so a bad
 * entry can only cost a rescan. What it cannot catch is a well-formed lie about the same
 * key: the folder is trusted as far as whoever can write it (on GitHub, only the registry's
 * own workflows on its default branch: registry/publish/workflows).
 *
 * Sealed versions: their findings quote plaintext only the scope's members may read, and the
 * cache folder is exactly what CI hands from job to job (actions/cache, which every workflow
 * run of the repository can restore). So a sealed version's scan is kept in this process's
 * memory only (one command scans it once) and never written to the folder.
 */

const findingSchema = {
  type: "object",
  additionalProperties: false,
  required: ["ruleId", "severity", "category", "message", "file", "line", "column", "evidence", "fix"],
  properties: {
    ruleId: { type: "string" },
    severity: { enum: ["critical", "high", "medium", "low"] },
    category: { type: "string" },
    message: { type: "string" },
    file: { type: "string" },
    line: { type: "integer", minimum: 0 },
    column: { type: "integer", minimum: 0 },
    evidence: { type: "string" },
    fix: { type: "string" },
    related: {
      type: "array",
      items: { type: "object", additionalProperties: false, required: ["file", "line"], properties: { file: { type: "string" }, line: { type: "integer", minimum: 0 } } },
    },
    demoted: { type: "string" },
    suppressed: { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: { type: "string" } } },
  },
} as const;

/** One cached scan: the key it was stored under, and the scanner's result as it returned it. */
export const scanCacheEntrySchema = {
  type: "object",
  additionalProperties: false,
  required: ["tree", "scanner", "policy", "scan"],
  properties: {
    tree: { type: "string", pattern: "^[0-9a-f]{40}$" },
    scanner: { type: "string", pattern: "^[0-9a-f]{16}$" },
    policy: { type: "string", pattern: "^[0-9a-f]{16}$" },
    scan: {
      type: "object",
      additionalProperties: false,
      required: ["path", "name", "decision", "findings", "skipped"],
      properties: {
        path: { type: "string" },
        name: { type: "string" },
        decision: { enum: ["pass", "flagged", "review", "blocked"] },
        findings: { type: "array", items: findingSchema },
        skipped: {
          type: "array",
          items: { type: "object", additionalProperties: false, required: ["file", "reason"], properties: { file: { type: "string" }, reason: { type: "string" } } },
        },
      },
    },
  },
} as const;

export interface ScanCache {
  /**
   * The scan of these files: from the cache, or scanned now and stored. `sealed`: the files
   * are a sealed version's plaintext, kept in memory only (see above).
   */
  scan(input: { path: string; files: readonly ScanFile[] }, policy: ScanPolicy, opts?: { sealed?: boolean }): SkillScan;
  /**
   * The same, with the scanning on a miss done by `run` (a scan pool's worker) rather than in
   * this thread when given: same key, same entries, same result.
   */
  scanWith(input: { path: string; files: readonly ScanFile[] }, policy: ScanPolicy, run?: (input: ScanInput, policy: ScanPolicy) => Promise<SkillScan>, opts?: { sealed?: boolean }): Promise<SkillScan>;
  /** hits: answered without scanning; misses: scanned (by this cache). */
  readonly stats: { hits: number; misses: number };
}

let scannerRuns = 0;

/** How many times this process has run the scanner over a skill: every scan skillreg makes goes through here. */
export function scannerRunCount(): number {
  return scannerRuns;
}

function runScanner(input: ScanInput, policy: ScanPolicy): SkillScan {
  scannerRuns++;
  return scanner().scanSkill(input, policy);
}

/**
 * A fingerprint of a scanner build: its package.json (version) and the bytes of its compiled
 * files, so a rule changed in development (same version number) never reuses an old result.
 * `dir` is the folder of the scanner's entry file (default: the installed @skillreg/scanner).
 */
export function scannerFingerprint(dir?: string): string {
  if (dir === undefined) return (installedScannerPrint ??= scannerFingerprint(dirname(createRequire(import.meta.url).resolve("@skillreg/scanner"))));
  const hash = createHash("sha256");
  const walk = (folder: string) => {
    for (const e of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(folder, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".js")) hash.update(e.name).update(readFileSync(path));
    }
  };
  walk(dir);
  // The package's manifest (its version) sits beside the compiled folder.
  const manifest = join(dirname(dir), "package.json");
  if (existsSync(manifest)) hash.update("package.json").update(readFileSync(manifest));
  return hash.digest("hex").slice(0, 16);
}
let installedScannerPrint: string | undefined;

/** A scan cache over the folder `cacheDir`; without one, it remembers scans in memory only. */
export function openScanCache(cacheDir: string | undefined, opts: { scannerBuild?: string } = {}): ScanCache {
  const scanner = opts.scannerBuild ?? scannerFingerprint();
  const root = cacheDir === undefined ? undefined : join(cacheDir, "scan", scanner);
  const inMemory = new Map<string, SkillScan>();
  const stats = { hits: 0, misses: 0 };
  const policyKeys = new Map<string, string>();
  const policyKey = (policy: ScanPolicy) => {
    const text = JSON.stringify(sortKeys(policy.rules ?? {}));
    let key = policyKeys.get(text);
    if (!key) policyKeys.set(text, (key = createHash("sha256").update(text).digest("hex").slice(0, 16)));
    return key;
  };
  /** A cached scan, or the input to scan and how to keep its result. */
  const lookUp = (input: { path: string; files: readonly ScanFile[] }, policy: ScanPolicy, sealed: boolean): { hit: SkillScan } | { scanInput: ScanInput; keep: (scan: SkillScan) => SkillScan } => {
    const scanInput = { path: input.path, files: [...input.files] };
    const tree = contentTreeId(input.files);
    const hit = (scan: SkillScan) => (stats.hits++, { hit: { ...scan, path: input.path } });
    const miss = (keep: (scan: SkillScan) => SkillScan) => (stats.misses++, { scanInput, keep });
    if (tree === undefined) return miss((scan) => scan);
    const policyId = policyKey(policy);
    if (sealed || root === undefined) {
      const key = `${tree}.${policyId}`;
      const known = inMemory.get(key);
      if (known) return hit(known);
      return miss((scan) => (inMemory.set(key, scan), scan));
    }
    const file = join(root, tree.slice(0, 2), `${tree}.${policyId}.json`);
    const cached = readCacheJson(file, MAX_ENTRY_BYTES);
    // Compiled on the first entry read (validatorFor keeps it): a cold cache never needs it.
    if (cached !== undefined && validatorFor(scanCacheEntrySchema)(cached)) {
      const entry = cached as { tree: string; scanner: string; policy: string; scan: SkillScan };
      if (entry.tree === tree && entry.scanner === scanner && entry.policy === policyId) return hit(entry.scan);
    }
    return miss((scan) => (writeCacheJson(file, { tree, scanner, policy: policyId, scan }), scan));
  };
  return {
    stats,
    scan(input, policy, { sealed = false } = {}) {
      const found = lookUp(input, policy, sealed);
      return "hit" in found ? found.hit : found.keep(runScanner(found.scanInput, policy));
    },
    async scanWith(input, policy, run, { sealed = false } = {}) {
      const found = lookUp(input, policy, sealed);
      if ("hit" in found) return found.hit;
      if (!run) return found.keep(runScanner(found.scanInput, policy));
      scannerRuns++;
      return found.keep(await run(found.scanInput, policy));
    },
  };
}

/** Far above any real entry (findings are capped per rule); a bigger file is not read at all. */
const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

const shared = new Map<string, ScanCache>();

/**
 * The scan cache of the cache folder `env` names (core/cache-dir), one per folder in this
 * process so that its counts and its sealed scans cover the whole command.
 */
export function scanCacheFor(env: NodeJS.ProcessEnv): ScanCache {
  const dir = userCacheDir(env);
  let cache = shared.get(dir);
  if (!cache) shared.set(dir, (cache = openScanCache(dir)));
  return cache;
}
