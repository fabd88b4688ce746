import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { scanSkill, type ScanInput, type ScanPolicy, type SkillScan } from "@skillreg/scanner";
import { sortKeys } from "./json.js";
import { validatorFor } from "./schema.js";

/**
 * Scan results cached by git tree id. A tree id names the exact bytes and modes of every file,
 * so the scan of a version is decided once per scanner build and policy: the site build (which
 * scans every published version for the index) then scans only what is new since its last run.
 * Entries live in `<cache>/scan/<scanner fingerprint>/<tree[0:2]>/<tree>.<policy>.json`; a
 * changed scanner gets a fresh folder. An entry that does not parse or match its schema is
 * treated as absent (and rewritten): the cache can only cost a rescan, never change a result.
 */

const findingSchema = {
  type: "object",
  required: ["ruleId", "severity", "category", "message", "file", "line", "evidence", "fix"],
  properties: {
    ruleId: { type: "string" },
    severity: { enum: ["critical", "high", "medium", "low"] },
    category: { type: "string" },
    message: { type: "string" },
    file: { type: "string" },
    line: { type: "integer", minimum: 0 },
    evidence: { type: "string" },
    fix: { type: "string" },
  },
} as const;

/** One cached scan: the tree it is of, and the scanner's result as it returned it. */
export const scanCacheEntrySchema = {
  type: "object",
  additionalProperties: false,
  required: ["tree", "scan"],
  properties: {
    tree: { type: "string", pattern: "^[0-9a-f]{40,64}$" },
    scan: {
      type: "object",
      required: ["path", "name", "decision", "findings", "skipped"],
      properties: {
        path: { type: "string" },
        name: { type: "string" },
        decision: { enum: ["pass", "flagged", "review", "blocked"] },
        findings: { type: "array", items: findingSchema },
        skipped: { type: "array", items: { type: "object", required: ["file", "reason"], properties: { file: { type: "string" }, reason: { type: "string" } } } },
      },
    },
  },
} as const;

export interface ScanCache {
  /** The scan of the files of git tree `tree`: from the cache, or scanned now and stored. */
  scan(tree: string, input: ScanInput, policy: ScanPolicy): SkillScan;
  readonly stats: { hits: number; misses: number };
}

let scannerPrint: string | undefined;

/**
 * A fingerprint of the installed scanner: its version and the bytes of its compiled files, so
 * a rule changed in development (same version number) never reuses an old result.
 */
function scannerFingerprint(): string {
  if (scannerPrint) return scannerPrint;
  const entry = createRequire(import.meta.url).resolve("@skillreg/scanner");
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".js")) hash.update(e.name).update(readFileSync(path));
    }
  };
  walk(dirname(entry));
  scannerPrint = hash.digest("hex").slice(0, 16);
  return scannerPrint;
}

export function openScanCache(cacheDir: string): ScanCache {
  const root = join(cacheDir, "scan", scannerFingerprint());
  const validate = validatorFor(scanCacheEntrySchema);
  const stats = { hits: 0, misses: 0 };
  const policyKeys = new Map<string, string>();
  const policyKey = (policy: ScanPolicy) => {
    const text = JSON.stringify(sortKeys(policy.rules ?? {}));
    let key = policyKeys.get(text);
    if (!key) {
      key = createHash("sha256").update(text).digest("hex").slice(0, 16);
      policyKeys.set(text, key);
    }
    return key;
  };
  return {
    stats,
    scan(tree, input, policy) {
      const file = join(root, tree.slice(0, 2), `${tree}.${policyKey(policy)}.json`);
      let cached: unknown;
      try {
        cached = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        cached = undefined; // absent or unreadable: scan
      }
      if (cached !== undefined && validate(cached) && (cached as { tree: string }).tree === tree) {
        stats.hits++;
        return { ...(cached as { scan: SkillScan }).scan, path: input.path };
      }
      stats.misses++;
      const scan = scanSkill(input, policy);
      try {
        mkdirSync(dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify({ tree, scan }));
        renameSync(tmp, file);
      } catch {
        // A cache that cannot be written (read-only, full disk) only costs the next run a rescan.
      }
      return scan;
    },
  };
}
