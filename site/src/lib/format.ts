/** Small formatting helpers shared by the pages. */
// The words alone: the scanner's main entry loads its parsers, which a page never needs.
import { DECISION_MEANING, DECISION_WORDS } from "@skillreg/scanner/words";
import { lineAnchor, pagePaths } from "../../paths.mjs";
import { site } from "../data";

const BASE = site.registry.basePath;

/** A site path ("skills/acme/x/") under the configured base. */
export function href(path = ""): string {
  return BASE + path.replace(/^\//, "");
}

export const skillHref = (scope: string, name: string) => href(pagePaths.skill(scope, name));
export const versionHref = (scope: string, name: string, version: string) => href(pagePaths.version(scope, name, version));
export const fileHref = (scope: string, name: string, version: string, path: string, line?: number) =>
  href(pagePaths.file(scope, name, version, path)) + (line ? `#${lineAnchor(line)}` : "");
export const scopeHref = (scope: string) => href(pagePaths.scope(scope));
export const browseHref = (page = 1) => href(page === 1 ? "browse.html" : `browse/${page}.html`);

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** "2026-01-31" (UTC), for tables. */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

/** "2026-01-31 14:05 UTC", for detail lines. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The scan decision in the one wording the CLI uses too, and what it means. */
export { DECISION_WORDS, DECISION_MEANING };

export { lineAnchor };
