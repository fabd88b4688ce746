/**
 * A Go module run or installed by version while the checksum database is switched off for every
 * module (`GONOSUMDB='*'`, `GOSUMDB=off`, `GOFLAGS=-insecure`, `GOINSECURE=…`): `go run host/x@latest`
 * then executes whatever that host serves today, with nothing checked against what others saw.
 * Per-organisation settings (`GONOSUMDB=github.com/acme/*`, `GOPRIVATE=…`) are how private modules
 * are fetched and stay out of this rule. (The same act as a pip index without TLS or an npm
 * registry over http; those are the supply-chain rules'.)
 */
import type { Hit, Rule, Segment } from "../types.js";
import { SCRIPTS_PROSE_CONFIG } from "./common.js";

/** Checksum verification off for all modules (bounded: one line each). */
const CHECKS_OFF = /\bGONOSUMDB\s*=\s*["']?\*|\bGOSUMDB\s*=\s*["']?off\b|\bGOFLAGS\s*=\s*["']?[^\n"']{0,80}-insecure\b|\bGOINSECURE\s*=\s*["']?[^\s"'$]|\bGONOSUMCHECK\s*=\s*["']?1\b/;
/** A module run or installed by version: `go run host/path@v`, `go install host/path@latest`. */
const RUN_BY_VERSION = /\bgo\s+(?:run|install)\s+(?:-\S+\s+){0,6}([\w-]+(?:\.[\w-]+)+\/[^\s@"'`]{1,200})@[\w.+-]{1,80}/g;

function unverifiedRuns(segment: Segment): Hit[] {
  if (!CHECKS_OFF.test(segment.text)) return [];
  for (const m of segment.text.matchAll(RUN_BY_VERSION)) return [{ index: m.index, length: m[0].length, message: `Runs the Go module ${m[1]} by version with checksum verification switched off for every module: the code is whatever its host serves, unchecked.` }];
  return [];
}

export const unverifiedModuleRunRules: Rule[] = [
  {
    id: "SR-DLEXEC-031",
    title: "Module run with checksums off",
    category: "download-execute",
    severity: "critical",
    message: "Runs or installs a Go module by version with the checksum database switched off for every module: the downloaded code is run unverified.",
    fix: "Keep GOSUMDB on (or limit GONOSUMDB/GOPRIVATE to your own organisation) and pin the module version.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "command",
    triggers: ["gonosumdb", "gosumdb", "-insecure", "goinsecure", "gonosumcheck"],
    match: unverifiedRuns,
    examples: {
      positive: ["export GOPROXY=direct GONOSUMDB='*'\ngo run lint-helpers.dev/fix/cmd/fix@latest ./...", "GOFLAGS=-insecure go install tools.gofast.io/gen@v1.2.0"],
      negative: ["export GONOSUMDB=github.com/acme/*\ngo install github.com/acme/tool@latest", "go run golang.org/x/tools/cmd/stringer@latest -type=Kind"],
    },
  },
];
