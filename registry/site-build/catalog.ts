import type { Decision, Finding, Severity } from "@skillreg/scanner";
import { DECISION_WORDS, acceptRiskNeeded } from "@skillreg/scanner/words";
import type { Role } from "../core/index.js";
import { MODE_EXECUTABLE } from "../git/index.js";
import { SEVERITY_RANK, lastPublishedAt, type Audience, type CatalogSkill, type CatalogVersion, type IndexModel } from "../index/index.js";
import { auditDetails, auditTarget, type AuditEvent, type AuditEventType } from "../history/index.js";
import { skillMdShown } from "../core/index.js";
import { createHash } from "node:crypto";
import { posix } from "node:path";
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
  /** Where the catalog's pages live: @skillreg/site's `pagePaths`, so links name pages it writes. */
  pagePaths: PagePaths;
  /**
   * Skills (`scope/name`) whose pages the build keeps because their input key
   * (skillInputKeys) is the one their pages were made from: they get no view model (SiteData's
   * `skills` and `versions` leave them out); everything else lists them as usual.
   */
  kept?: ReadonlySet<string>;
}

export interface PagePaths {
  file(scope: string, name: string, version: string, path: string): string;
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
  /** Who approved the publication (the signed merge), from the audit trail. */
  reviewer: string | null;
  /** The registry commit that released this version (its signed merge), and a web link to it when the Git host has one. */
  releaseCommit: string | null;
  releaseCommitUrl: string | null;
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

/** A file of a version as its file page shows it: its text, or null when it is not UTF-8 text. */
export interface FileContent extends FileView {
  text: string | null;
}

/** A command a page offers; each works verbatim for the version it is shown with. */
export interface InstallCommand {
  label: string;
  command: string;
  /** A line shown under the command: what it will not do that the user may expect. */
  note?: string;
}

/**
 * What a page offers to install a version as it stands: the commands, or why there are none
 * (yanked, blocked) and which version to take instead.
 */
export interface InstallOffer {
  commands: InstallCommand[];
  refusal: { reason: string; instead: string | null } | null;
  /** Why other skills clients are not offered this version, when that is its scan decision. */
  otherClients: string | null;
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
  install: InstallOffer;
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
  install: InstallOffer;
  /** Every file with its text, for the version's file pages. */
  contents: FileContent[];
}

export interface ScopePage {
  scope: string;
  visibility: "public" | "private";
  /** Empty in a public catalog of a private scope (its membership is not public). */
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
  /** The most recently updated skills, one card each (its newest good version), newest first. */
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

/** How a version was released: the publish event of the audit trail, by `@scope/name@version`. */
type Releases = Map<string, AuditEvent>;

function versionSummary(v: CatalogVersion, releases: Releases, gitUrl: string | undefined): VersionSummary {
  const e = v.entry;
  const release = releases.get(e.tag);
  return {
    version: e.version,
    publishedAt: e.publishedAt,
    signer: e.signer,
    reviewer: release?.reviewer ?? release?.approver ?? null,
    releaseCommit: release?.commit ?? null,
    releaseCommitUrl: release ? commitUrl(gitUrl, release.commit) : null,
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
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The file as text when it is UTF-8 without NUL bytes (what a person can read on a page), else null. */
function readableText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

function fileContents(v: CatalogVersion): FileContent[] {
  return v.facts.files.map((f) => ({ path: f.path, size: f.bytes.length, executable: f.mode === MODE_EXECUTABLE, text: readableText(f.bytes) }));
}

/** A web page for a commit, for Git hosts whose URL layout is known (GitHub, GitLab); else null. */
function commitUrl(gitUrl: string | undefined, commit: string): string | null {
  const m = gitUrl === undefined ? null : /^https:\/\/(github\.com|gitlab\.com)\/([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(gitUrl);
  if (!m) return null;
  return m[1] === "github.com" ? `https://github.com/${m[2]}/commit/${commit}` : `https://gitlab.com/${m[2]}/-/commit/${commit}`;
}

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

/**
 * What a page offers for one version. The pull command names the registry by the site's URL,
 * so it works verbatim in a fresh project, and carries --accept-risk when the version's scan
 * decision needs it (the CLI refuses it otherwise). Nothing is offered for a yanked or blocked
 * version: the CLI refuses those. The skills CLI gets a command only for the version the
 * well-known index serves.
 */
function installOffer(scope: string, name: string, v: CatalogVersion, instead: CatalogVersion | undefined, siteUrl: string | undefined, wellKnownName: string | undefined): InstallOffer {
  const e = v.entry;
  const insteadVersion = instead && instead !== v && !instead.entry.yanked ? instead.entry.version : null;
  if (e.yanked) return { commands: [], refusal: { reason: `${e.version} is yanked`, instead: insteadVersion }, otherClients: null };
  if (e.scan.decision === "blocked") return { commands: [], refusal: { reason: `${e.version} is blocked by the security scan`, instead: insteadVersion }, otherClients: null };
  const registry = siteUrl ? ` --registry ${siteUrl}` : "";
  const risk = acceptRiskNeeded(e.scan.decision) ? " --accept-risk" : "";
  const commands: InstallCommand[] = [
    { label: risk ? "Install this version (read the findings first)" : "Install this exact version", command: `skillreg pull @${scope}/${name}@${e.version}${registry}${risk}` },
  ];
  if (wellKnownName !== undefined && siteUrl) {
    const note = executableNote(v.facts.files.filter((f) => f.mode === MODE_EXECUTABLE).map((f) => f.path));
    commands.push({ label: "With the skills CLI", command: `npx skills add ${siteUrl} --skill ${wellKnownName} -y`, ...(note ? { note } : {}) });
  }
  const otherClients =
    e.scan.decision === "pass"
      ? null
      : `Other skills clients (npx skills) are not offered this version (scan: ${DECISION_WORDS[e.scan.decision]}): only skillreg shows its findings before installing.`;
  return { commands, refusal: null, otherClients };
}

/**
 * The skills CLI writes every file it installs from a well-known index with mode 0644: the
 * format has no file modes. So does skills@1.7.4, the newest (read, not run: it needs Node
 * 22), whose discovery v0.2 archives are read without the modes tar and zip carry; the
 * journey test runs skills@1.5.0. Say so beside its command when the version has executable files.
 */
function executableNote(executables: readonly string[]): string | undefined {
  if (executables.length === 0) return undefined;
  const shown = executables.slice(0, 3).join(", ") + (executables.length > 3 ? ` and ${executables.length - 3} more` : "");
  return `npx skills drops executable bits: after installing, chmod +x ${shown} in the skill folder, or use skillreg pull, which keeps them.`;
}

const skillKey = (scope: string, name: string) => `${scope}/${name}`;

/** Which skills (`scope/name`), scopes and signing keys the audience may see. */
interface Visible {
  skills: Set<string>;
  /** Scopes with a page: public ones, and private ones that hold a public skill. */
  scopes: Set<string>;
  /** Scopes whose membership and scope-wide history may be shown (all, for the internal audience). */
  openScopes: Set<string>;
  /** Key holders the index's config.json lists; undefined: all (internal audience). */
  signers: Set<string> | undefined;
}

function visibleFor(head: CatalogHead, audience: Audience): Visible {
  const skills = new Set(head.lines.map((l) => skillKey(l.summary.scope, l.summary.name)));
  const scopes = new Set(head.lines.map((l) => l.summary.scope));
  const openScopes = new Set<string>();
  for (const s of head.scopes.values()) {
    if (audience === "internal" || s.visibility === "public") {
      scopes.add(s.scope);
      openScopes.add(s.scope);
    }
  }
  const signers = audience === "internal" ? undefined : new Set(head.config.signers.map((s) => s.principal));
  return { skills, scopes, openScopes, signers };
}

/**
 * An event is shown when what it is about is visible. Registry-wide events: key changes only
 * for the keys the index publishes (the index leaves out keys of private scopes' publishers),
 * and a broken registry file (whose message may quote it) only to the organisation.
 */
function isVisible(e: AuditEvent, vis: Visible): boolean {
  if (e.scope !== undefined && e.skill !== undefined) return vis.skills.has(skillKey(e.scope, e.skill));
  // Scope-wide events (members, roles, the scope's own visibility) belong to its membership.
  if (e.scope !== undefined) return vis.openScopes.has(e.scope);
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

/** What the registry-wide pages need of one skill: its card, and what the counts count. */
export interface SkillLine {
  summary: SkillSummary;
  /** The index's latest version and when it was published (the home page's card). */
  version: string;
  publishedAt: string;
  versions: number;
  /** Who signed each version. */
  signers: string[];
}

export function skillLine(s: CatalogSkill): SkillLine {
  return { summary: summaryOf(s), version: s.latest.entry.version, publishedAt: s.latest.entry.publishedAt, versions: s.versions.length, signers: [...new Set(s.versions.map((v) => v.entry.signer.principal))] };
}

/**
 * The index model without its decided skills (a large build holds those a part at a time),
 * and a line for each of them, in the model's order of skills.
 */
export type CatalogHead = Omit<IndexModel, "skills"> & { lines: SkillLine[] };

/** What a skill's pages need besides the skill: the site's URL and base path, releases, the well-known folder. */
interface PageContext {
  siteUrl: string | undefined;
  basePath: string;
  gitUrl: string | undefined;
  releases: Releases;
  /** Folder under /.well-known/skills/ by `scope/name`: it serves the skill's latest version. */
  wellKnown: Map<string, string>;
  pagePaths: PagePaths;
}

/**
 * SKILL.md's relative links (`references/sections.md`, `scripts/x.sh#L3`) lead to the file
 * pages of the same version; a link to a file the version does not have leads nowhere.
 */
function skillMdLinks(scope: string, name: string, v: CatalogVersion, { basePath, pagePaths }: PageContext): (href: string) => string | undefined {
  const paths = new Set(v.facts.files.map((f) => f.path));
  return (href) => {
    const [path = "", fragment] = href.split("#", 2);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    const normal = posix.normalize(decoded).replace(/^\.\//, "");
    if (!paths.has(normal)) return undefined;
    return basePath + pagePaths.file(scope, name, v.entry.version, normal) + (fragment ? `#${fragment}` : "");
  };
}

function skillPage(s: CatalogSkill, history: AuditEntry[], ctx: PageContext): SkillPage {
  const { scope, name } = s.entry;
  const md = skillMdShown(skillMdBytes(s.latest));
  const summary = (v: CatalogVersion) => versionSummary(v, ctx.releases, ctx.gitUrl);
  const versions = s.versions.map(summary).reverse();
  return {
    scope,
    name,
    description: s.entry.description,
    visibility: s.entry.visibility,
    latest: summary(s.latest),
    versions,
    readmeHtml: renderMarkdown(md.body, { resolveLink: skillMdLinks(scope, name, s.latest, ctx) }),
    frontmatter: frontmatterRows(md.frontmatter),
    files: fileViews(s.latest),
    findings: findingViews(s.latest.findings),
    install: installOffer(scope, name, s.latest, undefined, ctx.siteUrl, ctx.wellKnown.get(skillKey(scope, name))),
    history,
  };
}

function versionPages(s: CatalogSkill, ctx: PageContext): VersionPage[] {
  const { scope, name } = s.entry;
  const wellKnown = ctx.wellKnown.get(skillKey(scope, name));
  return s.versions.map((v, i) => {
    const prev = i > 0 ? s.versions[i - 1]! : undefined;
    const files = (c: CatalogVersion) => c.facts.files.map((f) => ({ path: f.path, oid: f.oid, size: f.bytes.length }));
    return {
      scope,
      name,
      summary: versionSummary(v, ctx.releases, ctx.gitUrl),
      previous: prev?.entry.version ?? null,
      files: fileViews(v),
      changes: prev ? changedFiles(files(prev), files(v)) : [],
      skillMdDiff: prev ? textDiff(skillMdText(prev), skillMdText(v)) : null,
      findings: findingViews(v.findings),
      install: installOffer(scope, name, v, s.latest, ctx.siteUrl, v === s.latest ? wellKnown : undefined),
      contents: fileContents(v),
    };
  });
}

/** What every skill's view model is made with: who may see what, the audit trail filed by skill and scope, the page context. */
function catalogContext(head: CatalogHead, events: readonly AuditEvent[], opts: SiteOptions) {
  const vis = visibleFor(head, opts.audience);
  const basePath = opts.siteUrl ? new URL(opts.siteUrl).pathname : "/";
  const releases: Releases = new Map();
  for (const e of events) {
    if (e.type === "publish" && e.scope !== undefined && e.skill !== undefined && e.version !== undefined) releases.set(`@${e.scope}/${e.skill}@${e.version}`, e);
  }
  const ctx: PageContext = { siteUrl: opts.siteUrl, basePath, gitUrl: head.config.gitUrl, releases, wellKnown: head.wellKnownNames, pagePaths: opts.pagePaths };
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
  return { vis, basePath, ctx, audit, bySkill, byScope };
}

/**
 * `scope/name` -> a hash of everything the skill's view model (its SkillPage and VersionPages)
 * is made from: its index entry, each version's entry, files (by git object id) and findings,
 * its audit history and releases, the page context, and `code` (what made the view model: a
 * change to this code must not keep pages it would now make otherwise). Equal keys, equal
 * view models: the build skips making them for skills whose pages it keeps.
 */
function skillInputKeys(skills: readonly CatalogSkill[], { ctx, bySkill }: CatalogContext, code: string): Map<string, string> {
  const shared = JSON.stringify([code, ctx.siteUrl ?? null, ctx.basePath, ctx.gitUrl ?? null]);
  const keys = new Map<string, string>();
  for (const s of skills) {
    const key = skillKey(s.entry.scope, s.entry.name);
    const versions = s.versions.map((v) => [v.entry, v.findings, v.facts.files.map((f) => [f.path, f.oid, f.mode]), ctx.releases.get(v.entry.tag) ?? null]);
    const input = JSON.stringify([shared, s.entry, s.latest.entry.version, versions, bySkill.get(key) ?? [], ctx.wellKnown.get(key) ?? null]);
    keys.set(key, createHash("sha256").update(input).digest("hex"));
  }
  return keys;
}

/** The index model's head: everything but its skills, which become lines. */
const headOf = ({ skills, ...rest }: IndexModel): CatalogHead => ({ ...rest, lines: skills.map(skillLine) });

/** The whole site's data for one audience; `events` are the registry's audit events, oldest first. */
export function buildSiteData(model: IndexModel, events: readonly AuditEvent[], opts: SiteOptions): SiteData {
  const head = headOf(model);
  const context = catalogContext(head, events, opts);
  const made = opts.kept ? model.skills.filter((s) => !opts.kept!.has(skillKey(s.entry.scope, s.entry.name))) : model.skills;
  return { ...siteWide(head, opts, context), ...skillPagesOf(made, context) };
}

/** What the pages are made with (catalogContext): made once per build, whatever the parts. */
type CatalogContext = ReturnType<typeof catalogContext>;

/**
 * The site's data as buildSiteData makes it, but without any skill's pages (`skills` and
 * `versions` empty), and a maker of the pages of any of the head's skills: a large catalog's
 * pages are made, and rendered, a part at a time, so that only one part's view model is ever
 * held (the pages are the same, however the skills are cut). `inputKeysOf` hashes what a
 * skill's pages are made from (with `code`, what makes them), for the build's cache.
 */
export function siteDataInParts(
  model: IndexModel | CatalogHead,
  events: readonly AuditEvent[],
  opts: SiteOptions,
): { site: SiteData; pagesOf(skills: readonly CatalogSkill[]): Pick<SiteData, "skills" | "versions">; inputKeysOf(skills: readonly CatalogSkill[], code: string): Map<string, string> } {
  const head = "lines" in model ? model : headOf(model);
  const context = catalogContext(head, events, opts);
  return {
    site: { ...siteWide(head, opts, context), skills: [], versions: [] },
    pagesOf: (skills) => skillPagesOf(skills, context),
    inputKeysOf: (skills, code) => skillInputKeys(skills, context, code),
  };
}

function skillPagesOf(skills: readonly CatalogSkill[], { ctx, bySkill }: CatalogContext): Pick<SiteData, "skills" | "versions"> {
  return {
    skills: skills.map((s) => skillPage(s, bySkill.get(skillKey(s.entry.scope, s.entry.name)) ?? [], ctx)),
    versions: skills.flatMap((s) => versionPages(s, ctx)),
  };
}

/** Everything of SiteData but the skills' own pages: what the registry-wide pages show, from every skill's summary. */
function siteWide(head: CatalogHead, opts: SiteOptions, { vis, basePath, audit, byScope }: CatalogContext): Omit<SiteData, "skills" | "versions"> {
  const summariesByScope = new Map<string, SkillSummary[]>();
  for (const { summary } of head.lines) {
    const list = summariesByScope.get(summary.scope) ?? [];
    list.push(summary);
    summariesByScope.set(summary.scope, list);
  }
  const scopes: ScopePage[] = [...vis.scopes].sort().flatMap((scope) => {
    const scopeFile = head.scopes.get(scope);
    if (!scopeFile) return [];
    return [
      {
        scope,
        visibility: scopeFile.visibility,
        members: vis.openScopes.has(scope)
          ? Object.entries(scopeFile.members)
              .map(([principal, role]) => ({ principal, role }))
              .sort((a, b) => (a.principal < b.principal ? -1 : 1))
          : [],
        skills: summariesByScope.get(scope) ?? [],
        history: byScope.get(scope) ?? [],
      },
    ];
  });

  // One card per skill, about the version a new user would get (the index's latest: newest not yanked).
  const recent = head.lines
    .map((l) => ({ ...l.summary, version: l.version, publishedAt: l.publishedAt }))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0))
    .slice(0, RECENT_LIMIT);

  return {
    registry: {
      name: head.registry.name,
      siteUrl: opts.siteUrl ?? null,
      basePath,
      gitUrl: head.config.gitUrl ?? null,
      audience: opts.audience,
      commit: opts.commit,
      securityReviewers: head.registry.policy.securityReviewers,
      ruleOverrides: Object.entries(head.registry.policy.rules).sort(([a], [b]) => (a < b ? -1 : 1)),
    },
    counts: {
      skills: head.lines.length,
      versions: head.lines.reduce((n, l) => n + l.versions, 0),
      scopes: scopes.length,
      publishers: new Set(head.lines.flatMap((l) => l.signers)).size,
    },
    recent,
    scopes,
    audit: audit.slice(0, AUDIT_PAGE_LIMIT),
    auditTotal: audit.length,
  };
}
