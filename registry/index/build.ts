import semver from "semver";
import { parseRegistryConfig, parseScopeFile } from "../core/index.js";
import { openScanCache, type RegistryConfig, type ScanCache, type ScopeFile } from "../core/index.js";
import { bindingFindings, registryScanDecision, scopeFilePath, skillKey } from "../core/index.js";
import { deprecationReason, membersWith, skillVisibility, yankReason } from "../core/index.js";
import { matchPatternList, parseRegistrySigners, type AllowedSigner } from "../trust/index.js";
import { sortKeys } from "../core/index.js";
import { skillSha256 } from "../core/index.js";
import { skillMdShown } from "../core/index.js";
import type { Finding } from "@skillreg/scanner";
import type { PublishedVersionFacts, RegistryFacts, RegistryHead } from "./gather.js";
import { tagName } from "../trust/index.js";
import { verifyReleaseTag } from "./release-tag.js";
import type { SignerSet, TagVerdictCache } from "./tag-verdicts.js";
import { MODE_EXECUTABLE, MODE_FILE } from "../git/index.js";
import { isDisclosedEnvelope, isSealedTree, type PlainFile } from "../seal/index.js";
import {
  INDEX_FORMAT_VERSION,
  indexPaths,
  type IndexAll,
  type IndexConfig,
  type IndexSkill,
  type IndexVersion,
  type WellKnownIndex,
} from "./schema.js";

/**
 * The index as a pure function of the registry's facts: same facts, same bytes. Nothing of
 * the build's own time or machine goes in, keys are sorted, versions in semver order.
 */

export type Audience = "public" | "internal";

export interface BuildOptions {
  /** public (default): every private skill and private scope is left out. */
  audience: Audience;
  /** Overrides skillreg.yaml's gitUrl (a site served from a mirror, tests). */
  gitUrl?: string;
  siteUrl?: string;
  /** Told about each version left out of the index and why (bad signature, missing tag...). */
  onProblem?: (message: string) => void;
  /** Scan results by tree id, so a rebuild scans only versions it has not seen (default: this build's memory only). */
  scanCache?: ScanCache;
  /** Release-tag signature verdicts of earlier builds, so a rebuild checks only new tags (default: check every one). */
  tagVerdicts?: TagVerdictCache;
  /**
   * The files of sealed versions, opened with the builder's key (sealedVersionKey -> files):
   * an internal build scans and describes them. When given, a sealed version missing from it
   * is left out; when absent, sealed versions are indexed as their ciphertext trees.
   */
  opened?: ReadonlyMap<string, readonly PlainFile[]>;
  /**
   * Whether the well-known index may offer this skill's latest version, beyond the index's own
   * rule (passed the scan, not yanked, not sealed): the site build refuses files a static host
   * would serve as pages. Asked once per skill the rule lets through; default yes.
   */
  offerWellKnown?: (skill: CatalogSkill) => boolean;
}

/** The key of a version in BuildOptions.opened. */
export function sealedVersionKey(scope: string, name: string, version: string): string {
  return `${scope}/${name}/${version}`;
}

/** A sealed version: its signed tree is the ciphertext and sealed.json, its envelope is beside it. */
export function hasSealedTree(v: PublishedVersionFacts): boolean {
  return v.envelopeText !== undefined && isSealedTree(v.files);
}

/** A sealed version only its recipients read: its file key is not disclosed. */
export function isSealedVersion(v: PublishedVersionFacts): boolean {
  return hasSealedTree(v) && !isDisclosedEnvelope(v.envelopeText!);
}

/** One indexed version with what the catalog shows beyond the index entry. */
export interface CatalogVersion {
  entry: IndexVersion;
  facts: PublishedVersionFacts;
  /** Every finding of the scan (the index keeps only medium and above as flags). */
  findings: Finding[];
}

export interface CatalogSkill {
  /** For a sealed skill, what the catalog may show: no description, no findings of sealed versions. */
  entry: IndexSkill;
  /** A sealed skill's full index entry (description, findings): served only sealed to its scope's readers. */
  sealedEntry?: IndexSkill;
  versions: CatalogVersion[];
  /** The version all.json calls latest. */
  latest: CatalogVersion;
}

/** Everything the index files are made of, for the site to render pages from the same values. */
export interface IndexModel {
  registry: RegistryConfig;
  scopes: Map<string, ScopeFile>;
  config: IndexConfig;
  skills: CatalogSkill[];
  all: IndexAll;
  wellKnown: WellKnownIndex;
  /** Folder name of each skill in the well-known index, by `<scope>/<name>`. */
  wellKnownNames: Map<string, string>;
}

/** JSON with object keys sorted at every level, one line, trailing newline. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) + "\n";
}

/** Local signer times are written as UTC instants in the index (ISO, whole seconds). */
function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function publishersOf(scope: ScopeFile): string[] {
  return membersWith(scope, ["owner", "maintainer"]);
}

/** Most severe first: the order findings are listed in. */
export const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** When the skill last changed: its newest version's publish time (what all.json calls updatedAt). */
export function lastPublishedAt(s: CatalogSkill): string {
  return s.versions.map((v) => v.entry.publishedAt).sort().at(-1)!;
}

/** Newest stable version that is not yanked, else newest not yanked, else newest. */
function latestVersion(versions: readonly CatalogVersion[]): CatalogVersion {
  const desc = [...versions].sort((a, b) => semver.rcompare(a.entry.version, b.entry.version));
  return (
    desc.find((v) => !v.entry.yanked && semver.prerelease(v.entry.version) === null) ??
    desc.find((v) => !v.entry.yanked) ??
    desc[0]!
  );
}

function describeSkill(files: readonly { path: string; bytes: Uint8Array }[]): string {
  const md = files.find((f) => f.path === "SKILL.md");
  if (!md) return "";
  const fm = skillMdShown(md.bytes).frontmatter as { description?: unknown } | undefined;
  return typeof fm?.description === "string" ? fm.description.slice(0, 1024) : "";
}

/** Check one version's facts and make its index entry, or say why it cannot be indexed. */
function indexVersion(
  v: PublishedVersionFacts,
  scope: ScopeFile,
  signers: SignerSet,
  registry: RegistryConfig,
  scanCache: ScanCache,
  opened: readonly PlainFile[] | undefined,
  tagVerdicts: TagVerdictCache | undefined,
): CatalogVersion | string {
  const tag = tagName(v.scope, v.name, v.version);
  if (v.refTagObjectId === null) return `${tag}: no tag in the repository for publish record ${v.publishFile}`;
  if (v.refTagObjectId !== v.tagObjectId) {
    return `${tag}: the tag points at object ${v.refTagObjectId}, but the publish record is object ${v.tagObjectId}`;
  }
  // A tag object that is malformed or tags no tree has no tree (v.tree null): verifyReleaseTag
  // and the type check below say which.
  if (v.treeMissing) return `${tag}: the tag's tree ${v.tree} is not in the repository`;
  const odd = v.files.find((f) => f.mode !== MODE_FILE && f.mode !== MODE_EXECUTABLE);
  if (odd) return `${tag}: ${odd.path} has git mode ${odd.mode}; only regular files can be published`;
  let sha256: string;
  let signer;
  let tree: string;
  try {
    // Judged at its release, by who could publish then: a member who leaves keeps their past releases.
    const use = { at: new Date(v.publishedAt), publishers: v.publishersAtRelease };
    const release = tagVerdicts ? tagVerdicts.verify(Buffer.from(v.tagBytes), tag, signers, use) : verifyReleaseTag(Buffer.from(v.tagBytes), tag, signers.signers, use);
    if (release.parsed.type !== "tree") return `${tag}: the publish record is a tag of a ${release.parsed.type}, not of the skill's tree`;
    tree = release.parsed.object;
    sha256 = skillSha256(v.files);
    signer = release.signer;
  } catch (e) {
    return `${tag}: ${(e as Error).message}`;
  }
  // A sealed version opened by the builder is judged by its files, not its ciphertext; its scan stays in memory.
  const files = opened ?? v.files.map((f) => ({ path: f.path, bytes: f.bytes, executable: f.mode === MODE_EXECUTABLE }));
  const input = { path: tag, files };
  const scan = scanCache.scan(input, { rules: registry.policy.rules }, { sealed: opened !== undefined });
  const findings = bindingFindings(scan.findings);
  const counts = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  const flags = findings
    .filter((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.file.localeCompare(b.file) || a.line - b.line || a.ruleId.localeCompare(b.ruleId))
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, file: f.file, line: f.line }));
  const yanked = yankReason(scope, v.name, v.version);
  const deprecated = deprecationReason(scope, v.name, v.version);
  return {
    facts: v,
    findings: scan.findings,
    entry: {
      version: v.version,
      tag,
      tagObject: v.tagObjectId,
      tree,
      sha256,
      publishedAt: iso(new Date(v.publishedAt)),
      signer,
      scan: { decision: registryScanDecision(scan.findings), counts, flags },
      yanked: yanked === undefined ? null : { reason: yanked },
      deprecated: deprecated === undefined ? null : { reason: deprecated },
      files: v.files.map((f) => ({ path: f.path, size: f.bytes.length })),
    },
  };
}

/** What every skill's decision needs of the registry: its configuration, scopes and signers. */
interface IndexContext {
  opts: BuildOptions;
  problem: (message: string) => void;
  registry: RegistryConfig;
  scopes: Map<string, ScopeFile>;
  signers: AllowedSigner[];
  /** The allowed_signers text the signers were parsed from (tag verdicts are kept by it). */
  signersText: string;
  scanCache: ScanCache;
}

function indexContext(head: RegistryHead, opts: BuildOptions): IndexContext {
  const registry = parseRegistryConfig(head.configText);
  const scopes = new Map<string, ScopeFile>();
  for (const [name, text] of [...head.scopeTexts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    scopes.set(name, parseScopeFile(text, scopeFilePath(name)));
  }
  return {
    opts,
    problem: opts.onProblem ?? (() => undefined),
    registry,
    scopes,
    signers: parseRegistrySigners(head.allowedSignersText),
    signersText: head.allowedSignersText,
    scanCache: opts.scanCache ?? openScanCache(undefined),
  };
}

function reportStrays(ctx: IndexContext, strayPublishFiles: readonly string[]): void {
  for (const p of strayPublishFiles) ctx.problem(`${p}: not a publish record (publish/<scope>/<name>/<version>.tag)`);
}

/** One skill (all its published versions): its catalog entry for this audience, or undefined when nothing of it is indexed. */
function decideSkill(ctx: IndexContext, versions: readonly PublishedVersionFacts[]): CatalogSkill | undefined {
  const { opts, problem } = ctx;
  const { scope: scopeName, name } = versions[0]!;
  const key = skillKey(scopeName, name);
  const scope = ctx.scopes.get(scopeName);
  if (!scope) {
    problem(`${key}: published, but there is no ${scopeFilePath(scopeName)}`);
    return undefined;
  }
  const visibility = skillVisibility(scope, name);
  if (opts.audience === "public" && visibility !== "public") return undefined;
  const indexed: CatalogVersion[] = [];
  const plaintext = new Map<CatalogVersion, readonly PlainFile[]>();
  for (const v of versions) {
    const sealed = hasSealedTree(v);
    const opened = sealed ? opts.opened?.get(sealedVersionKey(v.scope, v.name, v.version)) : undefined;
    if (opts.audience === "public" && isSealedVersion(v)) {
      problem(`${tagName(v.scope, v.name, v.version)}: sealed, and its file key is not disclosed (skillreg visibility discloses it)`);
      continue;
    }
    if (sealed && opts.opened && !opened) {
      problem(`${tagName(v.scope, v.name, v.version)}: sealed, and the build's key does not open it`);
      continue;
    }
    const result = indexVersion(v, scope, { text: ctx.signersText, signers: ctx.signers }, ctx.registry, ctx.scanCache, opened, opts.tagVerdicts);
    if (typeof result === "string") problem(result);
    else {
      indexed.push(result);
      if (opened) plaintext.set(result, opened);
    }
  }
  if (indexed.length === 0) return undefined;
  indexed.sort((a, b) => semver.compare(a.entry.version, b.entry.version));
  const latest = latestVersion(indexed);
  if (!versions.some(isSealedVersion)) {
    return {
      entry: { scope: scopeName, name, description: describeSkill(plaintext.get(latest) ?? latest.facts.files), visibility, versions: indexed.map((c) => c.entry) },
      versions: indexed,
      latest,
    };
  }
  // A sealed skill: the full entry is for its readers only; the catalog keeps the scan's
  // decision and counts (the merge commit shows them too) but no findings, which quote files.
  const shown = indexed.map((c) => (plaintext.has(c) ? { ...c, findings: [], entry: { ...c.entry, scan: { ...c.entry.scan, flags: [] } } } : c));
  const latestFiles = plaintext.get(latest) ?? latest.facts.files;
  return {
    entry: { scope: scopeName, name, description: "", visibility, versions: shown.map((c) => c.entry) },
    sealedEntry: { scope: scopeName, name, description: describeSkill(latestFiles), visibility, versions: indexed.map((c) => c.entry) },
    versions: shown,
    latest: shown[indexed.indexOf(latest)]!,
  };
}

/**
 * What the registry-wide files (config.json, all.json, the well-known index) need of one
 * indexed skill: about a kilobyte, so a streamed build keeps only these for every skill.
 */
interface SkillSummary {
  /** `@scope/name`: skills are listed in this order. */
  key: string;
  all: IndexAll["skills"][number];
  /** Principals who signed its indexed versions. */
  signers: string[];
  /** The latest version's file paths, when the well-known index may offer it. */
  wellKnownFiles?: string[];
}

function summarise(s: CatalogSkill, offerWellKnown: BuildOptions["offerWellKnown"]): SkillSummary {
  return {
    key: skillKey(s.entry.scope, s.entry.name),
    all: {
      scope: s.entry.scope,
      name: s.entry.name,
      description: s.entry.description,
      latest: s.latest.entry.version,
      versions: s.versions.length,
      decision: s.latest.entry.scan.decision,
      updatedAt: lastPublishedAt(s),
      visibility: s.entry.visibility,
    },
    signers: s.versions.map((v) => v.entry.signer.principal),
    // Other clients install from the well-known index without SkillReg's checks (no
    // --accept-risk, no flags shown), so it offers only a latest version that passed the scan
    // without review or flag; it serves the files as stored: never a sealed one's ciphertext.
    ...(s.latest.entry.yanked || s.latest.entry.scan.decision !== "pass" || s.entry.description === "" || isSealedTree(s.latest.facts.files) || offerWellKnown?.(s) === false
      ? {}
      : { wellKnownFiles: s.latest.entry.files.map((f) => f.path) }),
  };
}

/** The registry-wide index values from every indexed skill's summary, in skill order. */
function finishIndex(ctx: IndexContext, skills: readonly SkillSummary[]): Pick<IndexModel, "config" | "all" | "wellKnown" | "wellKnownNames"> {
  const { opts, scopes, registry } = ctx;
  const visibleScope = (s: ScopeFile) => opts.audience === "internal" || s.visibility === "public";
  // Signers: everyone for the organisation; in public, only keys of publishers of public
  // scopes, and for a private scope's public skills only the principals who signed their
  // versions (what the skills' pages show anyway): never the private scope's member list.
  const includedScopes = [...scopes.values()].filter(visibleScope);
  // Whoever signed an indexed version while they could publishes it still: a member who left
  // keeps their past releases (each version was judged by the members of its release).
  const versionSigners = new Map<string, Set<string>>();
  for (const s of skills) {
    const principals = versionSigners.get(s.all.scope) ?? new Set<string>();
    for (const p of s.signers) principals.add(p);
    versionSigners.set(s.all.scope, principals);
  }
  const scopePublishers = new Map<string, string[]>([
    ...includedScopes.map((s): [string, string[]] => [s.scope, [...new Set([...publishersOf(s), ...(versionSigners.get(s.scope) ?? [])])].sort()]),
    ...[...versionSigners]
      .filter(([scope]) => !visibleScope(scopes.get(scope)!))
      .map(([scope, principals]): [string, string[]] => [scope, [...principals].sort()]),
  ]);
  const publisherNames = new Set([...scopePublishers.values()].flat());
  const signerEntries = ctx.signers
    .flatMap((s) =>
      s.principals
        .filter((p) => !p.startsWith("!"))
        .filter((p) => opts.audience === "internal" || [...publisherNames].some((n) => matchPatternList(n, [p])))
        .map((principal) => ({
          principal,
          key: s.key.line.split(" ").slice(0, 2).join(" "),
          fingerprint: s.key.fingerprint,
          ...(s.namespaces ? { namespaces: s.namespaces } : {}),
          ...(s.validAfter ? { validAfter: iso(s.validAfter) } : {}),
          ...(s.validBefore ? { validBefore: iso(s.validBefore) } : {}),
        })),
    )
    .sort((a, b) => (a.principal + " " + a.fingerprint < b.principal + " " + b.fingerprint ? -1 : 1));

  const gitUrl = opts.gitUrl ?? registry.gitUrl;
  const siteUrl = opts.siteUrl ?? registry.siteUrl;
  const config: IndexConfig = {
    formatVersion: INDEX_FORMAT_VERSION,
    name: registry.name,
    ...(gitUrl ? { gitUrl } : {}),
    ...(siteUrl ? { siteUrl } : {}),
    signers: signerEntries,
    scopes: Object.fromEntries([...scopePublishers].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scope, publishers]) => [scope, { publishers }])),
  };

  const all: IndexAll = { formatVersion: INDEX_FORMAT_VERSION, skills: skills.map((s) => s.all) };

  // The well-known index serves each skill's latest version under a plain folder name; a
  // name published in several scopes gets its scope prefixed so folders never collide.
  const nameCount = new Map<string, number>();
  for (const s of skills) nameCount.set(s.all.name, (nameCount.get(s.all.name) ?? 0) + 1);
  const wellKnownNames = new Map<string, string>();
  const wellKnown: WellKnownIndex = { skills: [] };
  for (const s of skills) {
    if (s.wellKnownFiles === undefined) continue;
    const folder = nameCount.get(s.all.name)! > 1 ? `${s.all.scope}-${s.all.name}`.slice(0, 64).replace(/-+$/, "") : s.all.name;
    wellKnownNames.set(`${s.all.scope}/${s.all.name}`, folder);
    wellKnown.skills.push({ name: folder, description: s.all.description, files: s.wellKnownFiles });
  }
  wellKnown.skills.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { config, all, wellKnown, wellKnownNames };
}

/** Decide the whole index from the facts: what goes in, for this audience, and every entry. */
export function buildIndexModel(facts: RegistryFacts, opts: BuildOptions): IndexModel {
  const ctx = indexContext(facts, opts);
  reportStrays(ctx, facts.strayPublishFiles);
  const skills: CatalogSkill[] = [];
  for (const versions of versionsBySkill(facts)) {
    const skill = decideSkill(ctx, versions);
    if (skill) skills.push(skill);
  }
  return { registry: ctx.registry, scopes: ctx.scopes, skills, ...finishIndex(ctx, skills.map((s) => summarise(s, opts.offerWellKnown))) };
}

/**
 * The files buildIndex returns, written one skill at a time as `skills` yields them (each
 * skill once, with all its versions, in any order): only each skill's summary is kept, so
 * memory follows the largest skill, not the registry. `onSkill` is given each indexed skill
 * after its files are written (the site build makes its pages from it). Returns the
 * registry-wide values (all.json's is what search indexes) and how many files were written.
 */
export async function writeIndex(
  head: RegistryHead,
  skills: Iterable<readonly PublishedVersionFacts[]> | AsyncIterable<readonly PublishedVersionFacts[]>,
  opts: BuildOptions,
  write: (path: string, text: string) => Promise<void>,
  onSkill?: (skill: CatalogSkill) => void,
): Promise<Omit<IndexModel, "skills"> & { files: number }> {
  const ctx = indexContext(head, opts);
  const summaries: SkillSummary[] = [];
  const seen = new Set<string>();
  let files = 0;
  for await (const versions of skills) {
    const key = skillKey(versions[0]!.scope, versions[0]!.name);
    // Two batches of one skill would each write its file, the second over the first.
    if (seen.has(key)) throw new Error(`writeIndex: skill ${key} was given twice`);
    seen.add(key);
    const skill = decideSkill(ctx, versions);
    if (!skill) continue;
    for (const [path, text] of skillIndexFiles(skill)) {
      await write(path, text);
      files++;
    }
    summaries.push(summarise(skill, opts.offerWellKnown));
    onSkill?.(skill);
  }
  // Read while the skills were: a stream finds some strays only as it reads them.
  reportStrays(ctx, head.strayPublishFiles);
  summaries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const finished = finishIndex(ctx, summaries);
  for (const [path, value] of [[indexPaths.config, finished.config], [indexPaths.all, finished.all], [indexPaths.wellKnown, finished.wellKnown]] as const) {
    await write(path, canonicalJson(value));
    files++;
  }
  return { registry: ctx.registry, scopes: ctx.scopes, ...finished, files };
}

/** The versions of `facts`, one array per skill, in skill order (`@scope/name`): writeIndex's input from facts in memory. */
export function versionsBySkill(facts: RegistryFacts): PublishedVersionFacts[][] {
  const bySkill = new Map<string, PublishedVersionFacts[]>();
  for (const v of facts.versions) {
    const key = skillKey(v.scope, v.name);
    const list = bySkill.get(key);
    if (list) list.push(v);
    else bySkill.set(key, [v]);
  }
  return [...bySkill.keys()].sort().map((key) => bySkill.get(key)!);
}

/** The index files: site-relative path -> JSON text (deterministic bytes). */
export function buildIndex(facts: RegistryFacts, opts: BuildOptions): Map<string, string> {
  return indexFiles(buildIndexModel(facts, opts));
}

/** The text of a skill's index file (for a sealed skill, what sealedIndexFiles seals). */
export function skillIndexText(entry: IndexSkill): string {
  return canonicalJson(entry);
}

export function indexFiles(model: IndexModel): Map<string, string> {
  const files = new Map<string, string>();
  files.set(indexPaths.config, canonicalJson(model.config));
  files.set(indexPaths.all, canonicalJson(model.all));
  for (const s of model.skills) for (const [path, text] of skillIndexFiles(s)) files.set(path, text);
  files.set(indexPaths.wellKnown, canonicalJson(model.wellKnown));
  return files;
}

/** One skill's index files: its entry and the recipient envelopes of its sealed versions. */
function skillIndexFiles(s: CatalogSkill): [string, string][] {
  const files: [string, string][] = [[indexPaths.skill(s.entry.scope, s.entry.name), canonicalJson(s.entry)]];
  for (const v of s.versions) {
    if (v.facts.envelopeText !== undefined) files.push([indexPaths.sealedEnvelope(s.entry.scope, s.entry.name, v.entry.version), v.facts.envelopeText]);
  }
  return files;
}

/** The files the well-known index points at: `.well-known/skills/<folder>/<path>` -> bytes. */
export function wellKnownFiles(model: IndexModel): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const s of model.skills) {
    const folder = model.wellKnownNames.get(`${s.entry.scope}/${s.entry.name}`);
    if (folder === undefined) continue;
    for (const f of s.latest.facts.files) out.set(`.well-known/skills/${folder}/${f.path}`, f.bytes);
  }
  return out;
}
