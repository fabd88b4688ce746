/** Small formatting helpers shared by the pages. */
import { site } from "../data";

const BASE = site.registry.basePath;

/** A site path ("skills/acme/x/") under the configured base. */
export function href(path = ""): string {
  return BASE + path.replace(/^\//, "");
}

// Every page is a file (astro.config.mjs: build.format "file"), so links name the .html.
export const skillHref = (scope: string, name: string) => href(`skills/${scope}/${name}.html`);
export const versionHref = (scope: string, name: string, version: string) => href(`skills/${scope}/${name}/${version}.html`);
export const scopeHref = (scope: string) => href(`scopes/${scope}.html`);
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

export const DECISION_LABEL = {
  pass: "Passed",
  flagged: "Flagged",
  review: "Reviewed",
  blocked: "Blocked",
} as const;

export const DECISION_TEXT = {
  pass: "The security scan found nothing above low severity.",
  flagged: "Published with a flag: the scan found potentially risky patterns (medium). Read them before you install.",
  review: "The scan found dangerous operations (high); the registry's security reviewers approved this version.",
  blocked: "The scan found a known malicious pattern (critical).",
} as const;
