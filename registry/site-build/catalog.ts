import type { Decision, Finding, Severity } from "@skillreg/scanner";
import type { Role } from "../core/index.js";
import { MODE_EXECUTABLE } from "../git/index.js";
import { SEVERITY_RANK, lastPublishedAt, type Audience, type CatalogSkill, type CatalogVersion, type IndexModel } from "../index/index.js";
import { auditDetails, auditTarget, type AuditEvent, type AuditEventType } from "../history/index.js";
import { parseSkillMd } from "../core/index.js";
import { changedFiles, textDiff, type FileChange, type TextDiff } from "./diff.js";
import { renderMarkdown } from "./markdown.js";

/**
 * The catalog's view model: every value a page of the site shows, decided here from the
 * index model (the same values the index files are made of, so catalog and index never
 * disagree) and the registry's audit events. Pure and JSON-serialisable: the Astro build
 * reads it from a file and only lays it out.
 *
 * Privacy is decided here once: for the public audience the index model already holds only
 * public skills, and the audit trail keeps only events about visible skills and scopes
 * (events are structured, so no free text about a hidden skill can slip through).
 */

export interface SiteOptions {
  audience: Audience;
  /** The registry commit the site is built from. */
  commit: string;
  /** The site's public URL, ending in '/' (its path prefixes every link), if known. */
  siteUrl?: string;
}

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
}

export interface SkillSummary {
  scope: string;
  name: string;
  description: string;
  latest: string;
  decision: Decision;
  updatedAt: string;
  visibility: "public" | "private";
  yanked: boolean;
  deprecated: boolean;
}

export interface VersionSummary {
  version: string;
  publishedAt: string;
  signer: { principal: string; fingerprint: string };
  decision: Decision;
  counts: SeverityCounts;
  yanked: string | null;
  deprecated: string | null;
  tag: string;
  tagObject: string;
  tree: string;
  sha256: string;
}

export interface FindingView {
  severity: Severity;
  ruleId: string;
  category: string;
  message: string;
  file: string;
  line: number;
  evidence: string;
  fix: string;
  suppressed: string | null;
}

export interface FileView {
  path: string;
  size: number;
  executable: boolean;
}

export interface AuditEntry {
  time: string;
  type: AuditEventType;
  /** `@scope/name@version`, `@scope` or "(registry)". */
  target: string;
  actor: string;
  /** Whether the actor is proven by an SSH signature (else it is the commit's claimed author). */
  actorVerified: boolean;
  approver: string | null;
  details: string;
  commit: string;
}

export interface SkillPage {
  scope: string;
  name: string;
  description: string;
  visibility: "public" | "private";
  latest: VersionSummary;
  /** Newest first. */
  versions: VersionSummary[];
  /** SKILL.md of the latest version: its body as sanitized HTML, its frontmatter as text rows. */
  readmeHtml: string;
  frontmatter: [string, string][];
  files: FileView[];
  findings: FindingView[];
  install: string;
  /** The folder name under /.well-known/skills/ when the skill is served there. */
  wellKnownName: string | null;
  history: AuditEntry[];
}

export interface VersionPage {
  scope: string;
  name: string;
  summary: VersionSummary;
  previous: string | null;
  files: FileView[];
  changes: FileChange[];
  /** SKILL.md against the previous version; null for the first version. */
  skillMdDiff: TextDiff | null;
  findings: FindingView[];
  install: string;
}

export interface ScopePage {
  scope: string;
  visibility: "public" | "private";
  members: { principal: string; role: Role }[];
  skills: SkillSummary[];
  history: AuditEntry[];
}

export interface SiteData {
  registry: {
    name: string;
    siteUrl: string | null;
    /** The path every page link starts with ("/" or "/catalog/"), from the site URL. */
    basePath: string;
    gitUrl: string | null;
    audience: Audience;
    commit: string;
    securityReviewers: string[];
    ruleOverrides: [string, string][];
  };
  counts: { skills: number; versions: number; scopes: number; publishers: number };
  /** The most recently published versions, newest first. */
  recent: (SkillSummary & { version: string; publishedAt: string })[];
  skills: SkillPage[];
  versions: VersionPage[];
  scopes: ScopePage[];
  /** The registry's audit trail, newest first, at most AUDIT_PAGE_LIMIT entries. */
  audit: AuditEntry[];
  auditTotal: number;
}

export const AUDIT_PAGE_LIMIT = 1000;
const RECENT_LIMIT = 12;

function versionSummary(v: CatalogVersion): VersionSummary {
  const e = v.entry;
  return {
    version: e.version,
    publishedAt: e.publishedAt,
    signer: e.signer,
    decision: e.scan.decision,
    counts: e.scan.counts,
    yanked: e.yanked?.reason ?? null,
    deprecated: e.deprecated?.reason ?? null,
    tag: e.tag,
    tagObject: e.tagObject,
    tree: e.tree,
    sha256: e.sha256,
  };
}

function findingViews(findings: readonly Finding[]): FindingView[] {
  return [...findings]
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .map((f) => ({
      severity: f.severity,
      ruleId: f.ruleId,
      category: f.category,
      message: f.message,
      file: f.file,
      line: f.line,
      evidence: f.evidence,
      fix: f.fix,
      suppressed: f.suppressed?.reason ?? null,
    }));
}

function fileViews(v: CatalogVersion): FileView[] {
  return v.facts.files.map((f) => ({ path: f.path, size: f.bytes.length, executable: f.mode === MODE_EXECUTABLE }));
}

const utf8 = new TextDecoder("utf-8");

function skillMdBytes(v: CatalogVersion): Uint8Array {
  return v.facts.files.find((f) => f.path === "SKILL.md")?.bytes ?? new Uint8Array();
}

const skillMdText = (v: CatalogVersion) => utf8.decode(skillMdBytes(v));

/** Frontmatter shown as rows; values are text (YAML scalars, lists joined, maps as key: value). */
function frontmatterRows(frontmatter: unknown): [string, string][] {
  if (frontmatter === null || typeof frontmatter !== "object" || Array.isArray(frontmatter)) return [];
  const show = (v: unknown): string =>
    Array.isArray(v)
      ? v.map(show).join(", ")
      : v !== null && typeof v === "object"
        ? Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join("; ")
        : String(v);
  return Object.entries(frontmatter).map(([k, v]) => [k, show(v)]);
}

function installCommand(scope: string, name: string, version: string): string {
  return `skillreg pull @${scope}/${name}@${version}`;
}

const skillKey = (scope: string, name: string) => `${scope}/${name}`;

/** Which skills (`scope/name`), scopes and signing keys the audience may see. */
interface Visible {
  skills: Set<string>;
  scopes: Set<string>;
  /** Key holders the index's config.json lists; undefined: all (internal audience). */
  signers: Set<string> | undefined;
}

function visibleFor(model: IndexModel, audience: Audience): Visible {
  const skills = new Set(model.skills.map((s) => skillKey(s.entry.scope, s.entry.name)));
  const scopes = new Set(model.skills.map((s) => s.entry.scope));
  for (const s of model.scopes.values()) if (audience === "internal" || s.visibility === "public") scopes.add(s.scope);
  const signers = audience === "internal" ? undefined : new Set(model.config.signers.map((s) => s.principal));
  return { skills, scopes, signers };
}

/**
 * An event is shown when what it is about is visible. Registry-wide events: key changes only
 * for the keys the index publishes (the index leaves out keys of private scopes' publishers),
 * and a broken registry file (whose message may quote it) only to the organisation.
 */
function isVisible(e: AuditEvent, vis: Visible): boolean {
  if (e.scope !== undefined && e.skill !== undefined) return vis.skills.has(skillKey(e.scope, e.skill));
  if (e.scope !== undefined) return vis.scopes.has(e.scope);
  if (vis.signers === undefined) return true;
  if (e.type === "invalid-file") return false;
  if (e.type.startsWith("key-")) return (e.principal ?? "").split(",").some((p) => vis.signers!.has(p));
  return true;
}

function auditEntry(e: AuditEvent): AuditEntry {
  return {
    time: e.time,
    type: e.type,
    target: auditTarget(e),
    actor: e.actor,
    actorVerified: e.actorVerified,
    approver: e.approver ?? null,
    details: auditDetails(e),
    commit: e.commit,
  };
}

function summaryOf(s: CatalogSkill): SkillSummary {
  const latest = s.latest.entry;
  return {
    scope: s.entry.scope,
    name: s.entry.name,
    description: s.entry.description,
    latest: latest.version,
    decision: latest.scan.decision,
    updatedAt: lastPublishedAt(s),
    visibility: s.entry.visibility,
    yanked: latest.yanked !== null,
    deprecated: latest.deprecated !== null,
  };
}

function skillPage(s: CatalogSkill, history: AuditEntry[], wellKnownName: string | null): SkillPage {
  const { scope, name } = s.entry;
  const md = parseSkillMd(skillMdBytes(s.latest), "SKILL.md");
  const versions = s.versions.map(versionSummary).reverse();
  return {
    scope,
    name,
    description: s.entry.description,
    visibility: s.entry.visibility,
    latest: versionSummary(s.latest),
    versions,
    readmeHtml: renderMarkdown(md.body),
    frontmatter: frontmatterRows(md.frontmatter),
    files: fileViews(s.latest),
    findings: findingViews(s.latest.findings),
    install: installCommand(scope, name, s.latest.entry.version),
    wellKnownName,
    history,
  };
}

function versionPages(s: CatalogSkill): VersionPage[] {
  const { scope, name } = s.entry;
  return s.versions.map((v, i) => {
    const prev = i > 0 ? s.versions[i - 1]! : undefined;
    const files = (c: CatalogVersion) => c.facts.files.map((f) => ({ path: f.path, oid: f.oid, size: f.bytes.length }));
    return {
      scope,
      name,
      summary: versionSummary(v),
      previous: prev?.entry.version ?? null,
      files: fileViews(v),
      changes: prev ? changedFiles(files(prev), files(v)) : [],
      skillMdDiff: prev ? textDiff(skillMdText(prev), skillMdText(v)) : null,
      findings: findingViews(v.findings),
      install: installCommand(scope, name, v.entry.version),
    };
  });
}

/** The whole site's data for one audience; `events` are the registry's audit events, oldest first. */
export function buildSiteData(model: IndexModel, events: readonly AuditEvent[], opts: SiteOptions): SiteData {
  const vis = visibleFor(model, opts.audience);
  const audit: AuditEntry[] = [];
  const bySkill = new Map<string, AuditEntry[]>();
  const byScope = new Map<string, AuditEntry[]>();
  const file = (map: Map<string, AuditEntry[]>, key: string, entry: AuditEntry) => {
    const list = map.get(key);
    if (list) list.push(entry);
    else map.set(key, [entry]);
  };
  // Newest first, as every page shows them.
  for (const e of [...events].reverse()) {
    if (!isVisible(e, vis)) continue;
    const entry = auditEntry(e);
    audit.push(entry);
    if (e.scope !== undefined) file(byScope, e.scope, entry);
    if (e.scope !== undefined && e.skill !== undefined) file(bySkill, skillKey(e.scope, e.skill), entry);
  }

  const skills = model.skills.map((s) => {
    const key = skillKey(s.entry.scope, s.entry.name);
    return skillPage(s, bySkill.get(key) ?? [], model.wellKnownNames.get(key) ?? null);
  });

  const summariesByScope = new Map<string, SkillSummary[]>();
  for (const s of model.skills) {
    const list = summariesByScope.get(s.entry.scope) ?? [];
    list.push(summaryOf(s));
    summariesByScope.set(s.entry.scope, list);
  }
  const scopes: ScopePage[] = [...vis.scopes].sort().flatMap((scope) => {
    const scopeFile = model.scopes.get(scope);
    if (!scopeFile) return [];
    return [
      {
        scope,
        visibility: scopeFile.visibility,
        members: Object.entries(scopeFile.members)
          .map(([principal, role]) => ({ principal, role }))
          .sort((a, b) => (a.principal < b.principal ? -1 : 1)),
        skills: summariesByScope.get(scope) ?? [],
        history: byScope.get(scope) ?? [],
      },
    ];
  });

  const recent = model.skills
    .flatMap((s) =>
      s.versions.map((v) => ({
        ...summaryOf(s),
        // The card is about this version: its own scan decision and flags.
        version: v.entry.version,
        publishedAt: v.entry.publishedAt,
        decision: v.entry.scan.decision,
        yanked: v.entry.yanked !== null,
        deprecated: v.entry.deprecated !== null,
      })),
    )
    .sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0))
    .slice(0, RECENT_LIMIT);

  return {
    registry: {
      name: model.registry.name,
      siteUrl: opts.siteUrl ?? null,
      basePath: opts.siteUrl ? new URL(opts.siteUrl).pathname : "/",
      gitUrl: model.config.gitUrl ?? null,
      audience: opts.audience,
      commit: opts.commit,
      securityReviewers: model.registry.policy.securityReviewers,
      ruleOverrides: Object.entries(model.registry.policy.rules).sort(([a], [b]) => (a < b ? -1 : 1)),
    },
    counts: {
      skills: model.skills.length,
      versions: model.skills.reduce((n, s) => n + s.versions.length, 0),
      scopes: scopes.length,
      publishers: new Set(model.skills.flatMap((s) => s.versions.map((v) => v.entry.signer.principal))).size,
    },
    recent,
    skills,
    versions: model.skills.flatMap(versionPages),
    scopes,
    audit: audit.slice(0, AUDIT_PAGE_LIMIT),
    auditTotal: audit.length,
  };
}
