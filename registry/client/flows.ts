import { readFile } from "node:fs/promises";
import { DECISION_WORDS, acceptRiskNeeded } from "@skillreg/scanner/words";
import { SkillregError, UsageError, skillKey, skillNameProblem, skillSha256OfHashes } from "../core/index.js";
import type { IndexConfig, IndexVersion } from "../index/index.js";
import { chooseSkillsFolders } from "./agents.js";
import { loadClientConfig, registryFor, resolveRegistry, type ClientConfig } from "./config.js";
import {
  commitInstalls,
  foreignFolders,
  fetchAndVerify,
  installFolderName,
  installTarget,
  lockedFolders,
  planVersion,
  suggestAlias,
  verifyInstalled,
  type BackedUp,
  type InstallTarget,
  type PlannedVersion,
  type Removal,
  type VerifiedInstall,
} from "./install.js";
import { formatLock, readLock, type LockEntry, type LockFile } from "./lock.js";
import { defaultRange, parseSkillSpec, resolveVersion } from "./resolve.js";
import type { FetchedTag } from "./fetch-tag.js";
import { openSource, type RegistrySource } from "./sources/index.js";
import { isSealedTree, type SealIdentity } from "../seal/index.js";
import { openSealedVersion, sealIdentityLoader } from "./sealed.js";
import { CheckpointedSource } from "./checkpoint.js";
import { loadClientTrust, refuseRedirectedLock, type ClientTrust } from "./trust.js";

/**
 * The client's flows: pull, install from the lock, update, outdated and remove. Each takes a
 * plain request and reports through `ClientEvents`; the CLI prints. Every flow resolves and
 * checks everything first and writes (one atomic commit of folders and lock) last.
 */

export interface ClientEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The SSH private key that opens sealed versions (default ~/.ssh/id_ed25519). */
  identity?: string;
}

export interface ClientEvents {
  /** A slow step starts. */
  progress(step: string): void;
  /** A version was chosen and is about to be checked against the install policy. */
  planned(plan: PlannedVersion, change?: { from: string }): void;
  /** Something could not be authenticated: a first contact without a pinned root, an unsigned site. */
  notice(message: string): void;
}

export interface InstalledSkill {
  item: VerifiedInstall;
  paths: string[];
}

/** Scan decisions the client refuses: `blocked` always, `review` unless the user accepts the risk. */
function installRefusal(skill: string, entry: IndexVersion, acceptRisk: boolean): SkillregError | undefined {
  const { decision } = entry.scan;
  if (decision === "blocked") return new SkillregError(`${skill}@${entry.version} is ${DECISION_WORDS.blocked} by the security scan; it cannot be installed`, { exitCode: 1 });
  if (acceptRiskNeeded(decision) && !acceptRisk) {
    return new SkillregError(
      `${skill}@${entry.version} ${DECISION_WORDS.review} (high-severity findings); read them above and pass --accept-risk to install it anyway`,
      { exitCode: 1 },
    );
  }
  return undefined;
}

/**
 * One source per registry string, shared by every skill of a flow. Each reads its index from
 * the root the project pinned and is compared with (and extends) the project's checkpoint.
 */
function sourceCache(at: ClientEnvironment, trust: ClientTrust, events: ClientEvents, identity: () => Promise<SealIdentity>): (registry: string) => RegistrySource {
  const sources = new Map<string, RegistrySource>();
  return (registry) => {
    // `http://host/` as typed and `http://host` as a plan names it are one registry: one source.
    const key = registry.replace(/(?<=.)\/+$/, "");
    const known = sources.get(key);
    if (known) return known;
    const source = new CheckpointedSource(openSource(registry, { env: at.env, cwd: at.cwd, pins: trust.pins, held: trust.held, notice: (m) => events.notice(m), progress: (step) => events.progress(step), sealIdentity: identity }), trust.checkpoint, (m) => events.notice(m));
    sources.set(key, source);
    return source;
  };
}

/**
 * The project's pins (config, then lock) and checkpoint, for the lock at `target`, once the
 * lock is known not to redirect any entry (but those in `replacing`) to a registry of its own.
 */
async function trustFor(config: ClientConfig, lock: LockFile, target: InstallTarget, replacing?: ReadonlySet<string>): Promise<ClientTrust> {
  await refuseRedirectedLock(config, lock, target.lockPath, replacing);
  return loadClientTrust(config, lock, target.lockPath);
}

function accept(plan: PlannedVersion, events: ClientEvents, acceptRisk: boolean, change?: { from: string }): void {
  events.planned(plan, change);
  const refusal = installRefusal(plan.key, plan.entry, acceptRisk);
  if (refusal) throw refusal;
}

/** Tags fetched at once: each fetch mostly waits on the network and git's server. */
const PARALLEL_FETCHES = 8;

/**
 * Fetch and verify planned versions, up to PARALLEL_FETCHES at a time, in plan order; nothing
 * is written. The first failure stops new fetches and is thrown once the running ones end (a
 * dozen lines of pool rather than a dependency).
 */
async function verifyAll(
  plans: readonly PlannedVersion[],
  sourceOf: (registry: string) => RegistrySource,
  folders: (plan: PlannedVersion) => string[],
  events: ClientEvents,
  identity: () => Promise<SealIdentity>,
): Promise<VerifiedInstall[]> {
  const items: VerifiedInstall[] = new Array(plans.length);
  // Where the transport allows it, each registry's tags come in one round (one ref listing,
  // one pack) instead of two requests per tag.
  const prefetched = new Map<PlannedVersion, FetchedTag>();
  try {
    const byRegistry = new Map<string, PlannedVersion[]>();
    for (const p of plans) byRegistry.set(p.registry, [...(byRegistry.get(p.registry) ?? []), p]);
    for (const [registry, group] of byRegistry) {
      const source = sourceOf(registry);
      const tags = group.map((p) => p.entry.tag);
      if (!source.fetchTags || group.length < 2 || new Set(tags).size < tags.length) continue;
      events.progress(`fetching ${group.length} tags from ${registry}`);
      const fetched = await source.fetchTags(tags);
      for (const p of group) prefetched.set(p, fetched.get(p.entry.tag)!);
    }
    let next = 0;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (failure === undefined && next < plans.length) {
        const at = next++;
        const plan = plans[at]!;
        const tag = prefetched.get(plan);
        prefetched.delete(plan); // fetchAndVerify disposes it
        if (!tag) events.progress(`fetching ${plan.entry.tag} from ${plan.registry}`);
        try {
          const source = sourceOf(plan.registry);
          const fetched = await fetchAndVerify(source, plan, tag);
          if (isSealedTree(fetched.files)) events.progress(`opening sealed ${plan.entry.tag}`);
          const verified = isSealedTree(fetched.files) ? await openSealedVersion(source, plan, fetched, identity) : fetched;
          const root = (await source.trust?.())?.pin;
          items[at] = { key: plan.key, name: plan.name, ...(plan.as !== undefined ? { as: plan.as } : {}), registry: plan.registry, range: plan.range, entry: plan.entry, verified, folders: folders(plan), ...(root ? { root } : {}) };
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_FETCHES, plans.length) }, worker));
    if (failure) throw failure.error;
    return items;
  } finally {
    for (const tag of prefetched.values()) await tag.dispose();
  }
}

export interface Committed {
  installed: InstalledSkill[];
  /** Folders SkillReg did not make, moved away by --force. */
  backups: BackedUp[];
}

/** Install and lock; then extend the checkpoint with what this flow read (it all checked out). */
async function commit(target: InstallTarget, items: VerifiedInstall[], trust: ClientTrust, force: boolean): Promise<Committed> {
  const written = items.length === 0 ? undefined : await commitInstalls(target, items, [], { force });
  await trust.checkpoint.save();
  if (!written) return { installed: [], backups: [] };
  return { installed: items.map((item) => ({ item, paths: written.lock.skills[item.key]!.paths })), backups: written.backups };
}

/** What a --dry-run would install: the version and the folders, nothing fetched or written. */
export interface WouldInstall {
  skill: string;
  version: string;
  from?: string;
  registry: string;
  paths: string[];
}

function wouldInstall(plan: PlannedVersion, folders: readonly string[], from?: string): WouldInstall {
  return { skill: plan.key, version: plan.entry.version, ...(from !== undefined ? { from } : {}), registry: plan.registry, paths: folders.map((f) => `${f}/${installFolderName(plan)}`) };
}

export interface PullRequest {
  specs: readonly string[];
  agent?: string;
  global: boolean;
  registry?: string;
  acceptRisk: boolean;
  prerelease: boolean;
  /** Move folders SkillReg did not make out of the way instead of refusing. */
  force?: boolean;
  /** Resolve and check, fetch and write nothing. */
  dryRun?: boolean;
  /** Install the one skill named under this folder name (its SKILL.md `name` becomes it too). */
  as?: string;
}

export interface PullResult extends Committed {
  wouldInstall: WouldInstall[];
  /** Skills already installed exactly as resolved (same version, tag, content, folders, lock entry): nothing fetched. */
  upToDate: { skill: string; version: string }[];
}

/**
 * `skillreg pull`: resolve each spec, check it, fetch and verify it, install it, lock it.
 * Installs for several agents add up: a skill already installed keeps its other folders.
 */
export async function pullSkills(at: ClientEnvironment, req: PullRequest, events: ClientEvents): Promise<PullResult> {
  if (req.as !== undefined) {
    if (req.specs.length !== 1) throw new UsageError("--as names the folder of one skill; pull the others in another command");
    const problem = skillNameProblem(req.as);
    if (problem) throw new UsageError(`--as ${JSON.stringify(req.as)} is not a skill folder name: ${problem}`);
  }
  const specs = req.specs.map(parseSkillSpec);
  const config = await loadClientConfig(at.cwd, at.env);
  const target = installTarget(at.cwd, at.env, req.global);
  const agent = req.agent ?? config.agent;
  const folders = chooseSkillsFolders(target.root, { global: req.global, ...(agent ? { agent } : {}) });
  const lock = await readLock(target.lockPath);
  // The skills pulled now are resolved afresh from the configured registry: their entries may be anything.
  const trust = await trustFor(config, lock, target, new Set(specs.map((s) => skillKey(s.scope, s.name))));
  const identity = sealIdentityLoader(at);
  const sourceOf = sourceCache(at, trust, events, identity);
  const registryOption = req.registry === undefined ? undefined : resolveRegistry(req.registry, at.cwd);

  // Every spec's index file is asked for at once; the plans are then checked in order.
  const plans = await Promise.all(
    specs.map(async (spec) => {
      const registry = registryFor(config, spec.scope, registryOption);
      const key = skillKey(spec.scope, spec.name);
      events.progress(`resolving ${key}@${spec.range}`);
      const locked = Object.hasOwn(lock.skills, key) ? lock.skills[key] : undefined;
      const plan = await planVersion(sourceOf(registry), spec, {
        ...(locked && locked.registry === sourceOf(registry).id ? { locked: locked.version } : {}),
        prerelease: req.prerelease,
      });
      plan.range = defaultRange(spec.range, plan.entry.version);
      // An alias sticks: pulling an aliased skill again keeps its folder name unless --as renames it.
      const as = req.as ?? locked?.as;
      if (as !== undefined && as !== plan.name) plan.as = as;
      return plan;
    }),
  );
  for (const plan of plans) accept(plan, events, req.acceptRisk);
  const foldersOf = (plan: PlannedVersion) => {
    const locked = Object.hasOwn(lock.skills, plan.key) ? lock.skills[plan.key] : undefined;
    return [...new Set([...(locked ? lockedFolders(locked) : []), ...folders])].sort();
  };
  refuseFolderCollisions(plans, foldersOf, lock, req);
  if (req.dryRun) {
    // The same refusal as the real run: a dry run never says it would install over a folder the user owns.
    await foreignFolders(target, lock, plans.map((p) => ({ key: p.key, name: p.name, ...(p.as !== undefined ? { as: p.as } : {}), folders: foldersOf(p) })), { force: req.force === true });
    return { installed: [], backups: [], upToDate: [], wouldInstall: plans.map((p) => wouldInstall(p, foldersOf(p))) };
  }
  // As npm and cargo do, a skill installed exactly as resolved is not fetched again (--force reinstalls).
  const current = req.force === true ? new Set<string>() : await installedAsPlanned(target, lock, plans, foldersOf, sourceOf);
  const toInstall = plans.filter((p) => !current.has(p.key));
  const upToDate = plans.filter((p) => current.has(p.key)).map((p) => ({ skill: p.key, version: p.entry.version }));
  return { ...(await commit(target, await verifyAll(toInstall, sourceOf, foldersOf, events, identity), trust, req.force === true)), upToDate, wouldInstall: [] };
}

/**
 * The planned skills whose lock entry already says exactly what the plan resolved (registry,
 * range, folder name, tag, trust root, folders), is vouched for by the index as `install`
 * holds it (unvouchedLockEntry: tag object, tree, content hash, a listed signer, recorded file
 * hashes that make the content hash), and whose installed files still hash to it. The plan comes from the registry's index read now
 * (signed, when pinned); the lock and the folders may be anything a pull request committed, so
 * each is held to it; anything that differs is fetched and verified again.
 */
async function installedAsPlanned(
  target: InstallTarget,
  lock: LockFile,
  plans: readonly PlannedVersion[],
  foldersOf: (plan: PlannedVersion) => string[],
  sourceOf: (registry: string) => RegistrySource,
): Promise<Set<string>> {
  const candidates = plans.filter((plan) => {
    const locked = Object.hasOwn(lock.skills, plan.key) ? lock.skills[plan.key] : undefined;
    return (
      locked !== undefined &&
      // A sealed version's recorded hashes are of plaintext the index does not cover: always fetched.
      !isSealedTree(plan.entry.files) &&
      unvouchedLockEntry(plan.key, locked, plan.entry, plan.config) === undefined &&
      locked.registry === plan.registry &&
      locked.range === plan.range &&
      locked.as === plan.as &&
      locked.tag === plan.entry.tag &&
      [...lockedFolders(locked)].sort().join("\n") === foldersOf(plan).join("\n")
    );
  });
  if (candidates.length === 0) return new Set();
  const only = { ...lock, skills: Object.fromEntries(candidates.map((p) => [p.key, lock.skills[p.key]!])) };
  const changed = new Set((await verifyInstalled(target.root, only)).map((d) => d.skill));
  const out = new Set<string>();
  for (const plan of candidates) {
    const root = (await sourceOf(plan.registry).trust?.())?.pin;
    const lockedRoot = lock.skills[plan.key]!.root;
    if (!changed.has(plan.key) && root?.fingerprint === lockedRoot?.fingerprint && root?.version === lockedRoot?.version) out.add(plan.key);
  }
  return out;
}

/**
 * Agents' skills folders are flat: two skills of one name from different scopes cannot share
 * a folder. Refuse before anything is fetched, naming both skills and the exact command that
 * installs the new one under another folder name.
 */
function refuseFolderCollisions(plans: readonly PlannedVersion[], foldersOf: (plan: PlannedVersion) => string[], lock: LockFile, req: PullRequest): void {
  const holders = new Map<string, string>();
  for (const [key, entry] of Object.entries(lock.skills)) for (const path of entry.paths) holders.set(path, key);
  for (const [i, plan] of plans.entries()) {
    for (const folder of foldersOf(plan)) {
      const path = `${folder}/${installFolderName(plan)}`;
      const holder = holders.get(path);
      if (holder !== undefined && holder !== plan.key) {
        const taken = (alias: string) => [...holders.keys()].some((p) => p.endsWith(`/${alias}`));
        const alias = suggestAlias(plan.scope, plan.name, taken);
        throw new SkillregError(
          `${path} already holds ${holder}, so ${plan.key} cannot be installed there; install it under another folder name: ${retryPullCommand(req, req.specs[i]!, alias)}`,
        );
      }
      holders.set(path, plan.key);
    }
  }
}

/** A word as a POSIX shell reads it back: bare when it is safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_~^-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The pull the user typed, for one skill, with --as: the command a collision error offers. */
function retryPullCommand(req: PullRequest, spec: string, alias: string): string {
  const words = ["skillreg", "pull", spec, "--as", alias];
  if (req.registry !== undefined) words.push("--registry", req.registry);
  if (req.agent !== undefined) words.push("--agent", req.agent);
  if (req.global) words.push("--global");
  if (req.acceptRisk) words.push("--accept-risk");
  if (req.prerelease) words.push("--prerelease");
  return words.map(shellWord).join(" ");
}

export interface LockInstallResult {
  installed: InstalledSkill[];
  backups: BackedUp[];
  upToDate: string[];
  /** No skillreg.lock exists (and --frozen was not asked). */
  noLock: boolean;
}

/**
 * A lock entry holds only what the registry's index (signed, when the registry is pinned)
 * vouches for: the same tag object, tree and content hash, the signer the index names (a key
 * its config.json lists for that principal), and installed files that hash to that content.
 * Otherwise a pull request could commit a skill's folder with a lock entry that says "signed by
 * alice" and `install --frozen` would find both in agreement and install nothing to check.
 */
function refuseUnvouchedLockEntry(key: string, locked: LockEntry, entry: IndexVersion, config: IndexConfig): void {
  const problem = unvouchedLockEntry(key, locked, entry, config);
  if (problem !== undefined) throw new SkillregError(problem);
}

/** What in a lock entry the index does not vouch for (see refuseUnvouchedLockEntry), or undefined. */
function unvouchedLockEntry(key: string, locked: LockEntry, entry: IndexVersion, config: IndexConfig): string | undefined {
  const at = `${key}@${locked.version}`;
  for (const field of ["tagObject", "tree", "sha256"] as const) {
    if (entry[field] !== locked[field]) return `${at}: the index's ${field} ${entry[field]} differs from skillreg.lock's ${locked[field]}; nothing was installed`;
  }
  const listed = config.signers.some((s) => s.principal === locked.signer.principal && s.fingerprint === locked.signer.fingerprint);
  if (!listed || entry.signer.principal !== locked.signer.principal || entry.signer.fingerprint !== locked.signer.fingerprint) {
    return `${at}: skillreg.lock says it was signed by ${locked.signer.principal} (${locked.signer.fingerprint}), the registry's index says ${entry.signer.principal} (${entry.signer.fingerprint}); nothing was installed: pull ${key} again`;
  }
  // A sealed version's files are the opened plaintext, which the index's hash (of the sealed tree) does not cover.
  if (isSealedTree(entry.files)) return undefined;
  const hashed = skillSha256OfHashes(Object.entries(locked.files).map(([path, sha256]) => ({ path, sha256 })));
  if (hashed !== entry.sha256) return `${at}: the files skillreg.lock records hash to ${hashed}, not to the index's sha256 ${entry.sha256}; nothing was installed: pull ${key} again`;
  return undefined;
}

/** `skillreg install`: reproduce skillreg.lock exactly; `frozen` refuses any change to it. */
export async function installFromLock(
  at: ClientEnvironment,
  req: { global: boolean; frozen: boolean; acceptRisk: boolean; force?: boolean },
  events: ClientEvents,
): Promise<LockInstallResult> {
  const target = installTarget(at.cwd, at.env, req.global);
  const text = await readFile(target.lockPath, "utf8").catch(() => undefined);
  if (text === undefined) {
    if (req.frozen) throw new SkillregError(`${target.lockPath} does not exist; --frozen installs only from a lock`);
    return { installed: [], backups: [], upToDate: [], noLock: true };
  }
  const lock = await readLock(target.lockPath);
  if (req.frozen && formatLock(lock) !== text) {
    throw new SkillregError(`${target.lockPath} is not in canonical form; install would rewrite it (run 'skillreg install' and commit the lock)`);
  }
  const trust = await trustFor(await loadClientConfig(at.cwd, at.env), lock, target);
  const differences = new Set((await verifyInstalled(target.root, lock)).map((d) => d.skill));
  const identity = sealIdentityLoader(at);
  const sourceOf = sourceCache(at, trust, events, identity);
  const plans: PlannedVersion[] = [];
  for (const key of Object.keys(lock.skills).sort()) {
    const locked = lock.skills[key]!;
    events.progress(`resolving ${key}@${locked.version}`);
    const plan = await planVersion(sourceOf(locked.registry), parseSkillSpec(`${key}@${locked.version}`), { locked: locked.version });
    plan.range = locked.range;
    if (locked.as !== undefined) plan.as = locked.as;
    // Also for skills already installed as locked: the lock's word is checked, never taken.
    refuseUnvouchedLockEntry(key, locked, plan.entry, plan.config);
    if (!differences.has(key)) continue;
    accept(plan, events, req.acceptRisk);
    plans.push(plan);
  }
  const items = await verifyAll(plans, sourceOf, (p) => lockedFolders(lock.skills[p.key]!), events, identity);
  for (const item of items) {
    const locked = lock.skills[item.key]!;
    if (req.frozen && (item.verified.signer.principal !== locked.signer.principal || item.verified.signer.fingerprint !== locked.signer.fingerprint)) {
      throw new SkillregError(`${item.key}: signer is now ${item.verified.signer.principal}, the lock says ${locked.signer.principal}; --frozen will not change the lock`);
    }
  }
  return { ...(await commit(target, items, trust, req.force === true)), upToDate: Object.keys(lock.skills).filter((k) => !differences.has(k)).sort(), noLock: false };
}

/** Skill keys named on the command line, each of which must be in the lock; default: all of them. */
function lockedKeys(lock: LockFile, named: readonly string[], lockPath: string, missing: (key: string) => string): string[] {
  const keys = named.length > 0 ? named.map((p) => { const s = parseSkillSpec(p); return skillKey(s.scope, s.name); }) : Object.keys(lock.skills).sort();
  for (const k of keys) if (!Object.hasOwn(lock.skills, k)) throw new SkillregError(missing(k).replace("{lock}", lockPath));
  return keys;
}

export interface UpdateResult {
  updated: (InstalledSkill & { from: string })[];
  unchanged: string[];
  backups: BackedUp[];
  wouldInstall: WouldInstall[];
}

/** `skillreg update`: move locked skills to the newest version their recorded range allows. */
export async function updateSkills(
  at: ClientEnvironment,
  req: { skills: readonly string[]; global: boolean; acceptRisk: boolean; prerelease: boolean; force?: boolean; dryRun?: boolean },
  events: ClientEvents,
): Promise<UpdateResult> {
  const target = installTarget(at.cwd, at.env, req.global);
  const lock = await readLock(target.lockPath);
  const keys = lockedKeys(lock, req.skills, target.lockPath, (k) => `${k} is not in skillreg.lock; pull it first`);
  const trust = await trustFor(await loadClientConfig(at.cwd, at.env), lock, target);
  const identity = sealIdentityLoader(at);
  const sourceOf = sourceCache(at, trust, events, identity);
  const plans: PlannedVersion[] = [];
  const unchanged: string[] = [];
  for (const key of keys) {
    const locked = lock.skills[key]!;
    events.progress(`resolving ${key}@${locked.range}`);
    const plan = await planVersion(sourceOf(locked.registry), { ...parseSkillSpec(key), range: locked.range }, { prerelease: req.prerelease });
    if (locked.as !== undefined) plan.as = locked.as;
    if (plan.entry.version === locked.version) {
      unchanged.push(key);
      continue;
    }
    accept(plan, events, req.acceptRisk, { from: locked.version });
    plans.push(plan);
  }
  const foldersOf = (p: PlannedVersion) => lockedFolders(lock.skills[p.key]!);
  if (req.dryRun) return { updated: [], unchanged, backups: [], wouldInstall: plans.map((p) => wouldInstall(p, foldersOf(p), lock.skills[p.key]!.version)) };
  const { installed, backups } = await commit(target, await verifyAll(plans, sourceOf, foldersOf, events, identity), trust, req.force === true);
  return { updated: installed.map((i) => ({ ...i, from: lock.skills[i.item.key]!.version })), unchanged, backups, wouldInstall: [] };
}

export interface OutdatedRow {
  skill: string;
  current: string;
  wanted: string | null;
  latest: string | null;
  range: string;
  note: string;
}

/** `skillreg outdated`: each locked skill's current, wanted (by its range) and latest version. */
export async function outdatedSkills(at: ClientEnvironment, req: { global: boolean }, events: ClientEvents): Promise<{ rows: OutdatedRow[]; outdated: OutdatedRow[] }> {
  const target = installTarget(at.cwd, at.env, req.global);
  const lock = await readLock(target.lockPath);
  const trust = await trustFor(await loadClientConfig(at.cwd, at.env), lock, target);
  const identity = sealIdentityLoader(at);
  const sourceOf = sourceCache(at, trust, events, identity);
  const rows: OutdatedRow[] = [];
  for (const key of Object.keys(lock.skills).sort()) {
    const locked = lock.skills[key]!;
    events.progress(`checking ${key}`);
    const { scope, name } = parseSkillSpec(key);
    const skill = await sourceOf(locked.registry).skill(scope, name);
    const pick = (range: string) => {
      try {
        return resolveVersion(key, skill.versions, range).version;
      } catch {
        return null; // nothing matches: shown as '-'
      }
    };
    const current = skill.versions.find((v) => v.version === locked.version);
    const note = current?.yanked ? `yanked: ${current.yanked.reason}` : current?.deprecated ? `deprecated: ${current.deprecated.reason}` : "";
    rows.push({ skill: key, current: locked.version, wanted: pick(locked.range), latest: pick("latest"), range: locked.range, note });
  }
  await trust.checkpoint.save();
  const outdated = rows.filter((r) => (r.wanted !== null && r.wanted !== r.current) || (r.latest !== null && r.latest !== r.current) || r.note.startsWith("yanked"));
  return { rows, outdated };
}

/**
 * `skillreg remove`: delete each skill's installed folders and its lock entry, atomically;
 * with `agent`, only the folders of that agent (the entry stays while other folders do).
 */
export async function removeSkills(
  at: ClientEnvironment,
  req: { skills: readonly string[]; global: boolean; agent?: string },
): Promise<{ skill: string; paths: string[] }[]> {
  const target = installTarget(at.cwd, at.env, req.global);
  const lock = await readLock(target.lockPath);
  const keys = lockedKeys(lock, req.skills, target.lockPath, (k) => `${k} is not installed (not in {lock})`);
  const agentFolders = req.agent === undefined ? undefined : chooseSkillsFolders(target.root, { global: req.global, agent: req.agent });
  const removals: Removal[] = keys.map((key) => {
    const entry = lock.skills[key]!;
    if (agentFolders === undefined) return { key };
    const paths = entry.paths.filter((p) => agentFolders.includes(p.split("/").slice(0, -1).join("/")));
    if (paths.length === 0) throw new SkillregError(`${key} is not installed for ${req.agent} (it is in ${entry.paths.join(", ")}); nothing was removed`);
    return { key, paths };
  });
  // The lock is a file anyone can edit: an entry pointed (`as`, `paths`) at a folder the user
  // wrote holds none of the files skillreg installed, and is not skillreg's to delete.
  const differences = await verifyInstalled(target.root, lock);
  for (const r of removals) {
    const entry = lock.skills[r.key]!;
    for (const path of r.paths ?? entry.paths) {
      const d = differences.find((x) => x.skill === r.key && x.path === path);
      const matched = d === undefined ? 1 : Object.keys(entry.files).length - d.changed.length - d.missing.length;
      if (d !== undefined && matched <= 0 && d.changed.length + d.added.length > 0) {
        throw new SkillregError(`${path} holds none of the files ${target.lockPath} records for ${r.key}, so skillreg did not install it there; nothing was removed: delete the folder by hand if it is yours to delete`);
      }
    }
  }
  await commitInstalls(target, [], removals);
  return removals.map((r) => ({ skill: r.key, paths: r.paths ?? lock.skills[r.key]!.paths }));
}
