import { openSource } from "./sources/index.js";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative } from "node:path";
import { parseDocument } from "yaml";
import { LOCK_FILE, PROJECT_CONFIG_FILE, loadClientConfig, resolveRegistry, trustKey } from "./config.js";
import { readLock } from "./lock.js";
import { loadClientTrust } from "./trust.js";
import { bearer, hostOf, redactUrl, tokenFor } from "./credentials.js";
import { SkillregError, UsageError, isValidName, writeFileAtomic } from "../core/index.js";
import { SignedIndex, TRUST_DIR, describeRoot, fetchRoot, type HeadersFor, type RootPin, type RootSummary } from "../trust/index.js";
import { tufCacheDir } from "./signed-index.js";

/**
 * `skillreg registry add <url>`: the one moment a project decides whom to trust. The site's
 * current root is fetched and the whole signed index checked from it (for a Git URL or a
 * folder: the repository's root chain and the admins' signer set at main); then the root is
 * pinned in the project's .skillreg.yaml, beside the registry (default, or for one scope).
 * Like ssh's known_hosts, a first contact shows the root's key fingerprints for a person to
 * compare; in CI `--trust <fingerprint>` must name the current root (or an older root of its chain).
 */

export interface RegistryAddInput {
  url: string;
  /** Use the registry for this scope only (without '@'); default: for every scope. */
  scope?: string;
  /** The root fingerprint the caller expects (from the registry's admins). */
  trust?: string;
  projectDir: string;
  /** Where a relative folder given as the registry is resolved from. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface RegistryAddResult {
  registry: string;
  scope: string | null;
  configFile: string;
  /** What the project now pins (a root of the chain, possibly older than the current one); null when the registry signs nothing. */
  pin: RootPin | null;
  /** The registry's current root (a site's root.json, a repository's newest trust/<N>.root.json). */
  root: RootSummary | null;
  /** A site (the online key signs its index), or a Git URL or folder (the admins sign its signer set). */
  site: boolean;
  /**
   * "first-contact": pinned what the site served; "trusted": --trust matched; "unchanged":
   * already pinned; "not-a-site": a Git URL or folder whose admins signed no signer set, added without a pin; "unsigned": a site
   * that serves no signed index metadata, added without a pin (its index is not authenticated).
   */
  how: "first-contact" | "trusted" | "unchanged" | "not-a-site" | "unsigned";
}

type Chosen = { pin: RootPin; current: string; how: RegistryAddResult["how"] };

/**
 * The pin to keep, given the registry's current root, a way to read its older roots, and what
 * the caller expects (--trust, else the pin the project already has; else a first contact).
 */
async function matchPin(current: string, rootAt: (version: number) => Promise<string | undefined>, shown: string, verb: "serves" | "holds", expected: string | undefined, existing: RootPin | undefined): Promise<Chosen> {
  const summary = describeRoot(current, `${shown} root`);
  const want = expected ?? existing?.fingerprint;
  if (want === undefined) return { pin: { fingerprint: summary.fingerprint, version: summary.version }, current, how: "first-contact" };
  // The expected root may be an older link of the chain (the admins rotated since): the chain
  // is then walked from it to the current root, checking every step.
  for (let version = summary.version; version >= 1; version--) {
    const text = version === summary.version ? current : await rootAt(version);
    if (text !== undefined && describeRoot(text, `${shown} root ${version}`).fingerprint === want) {
      return { pin: { fingerprint: want, version }, current, how: expected === undefined || expected === existing?.fingerprint ? "unchanged" : "trusted" };
    }
  }
  if (expected === undefined) {
    throw new SkillregError(`${shown} ${verb} root ${summary.fingerprint} (version ${summary.version}), which does not chain back to the root this project pinned (${want}); refusing. If the admins replaced the root, pin the new one with --trust <fingerprint> from them`);
  }
  throw new SkillregError(`--trust ${expected} does not match ${shown}: it ${verb} root ${summary.fingerprint} (version ${summary.version}) and no earlier root of its chain has that fingerprint; nothing was pinned`);
}

/** A site's root, and the pin to keep for it given what the caller expects. */
async function choosePin(base: string, shown: string, headersFor: HeadersFor, expected: string | undefined, existing: RootPin | undefined): Promise<Chosen | undefined> {
  const current = await fetchRoot(base, "current", headersFor);
  if (current === undefined) {
    // A site that signs nothing is added unpinned (like a Git URL); asked to check a root, it fails.
    if (expected === undefined && existing === undefined) return undefined;
    throw new SkillregError(`${shown} serves no signed index metadata (index/v1/tuf/root.json), so its root cannot be ${expected ? `checked against --trust ${expected}` : `held to the pinned root ${existing!.fingerprint}`}`);
  }
  return matchPin(current, (version) => fetchRoot(base, version, headersFor), shown, "serves", expected, existing);
}

/**
 * A Git URL or folder: the pin is one root of the chain its main holds (trust/<N>.root.json),
 * and the admins' signer set (trust/signers.json) must hold from it before anything is written.
 */
async function addRepository(input: RegistryAddInput, resolved: string): Promise<RegistryAddResult> {
  // Kept as written for URLs; a folder relative to the project, so the committed config works for everyone.
  const value = isAbsolute(resolved) ? relative(input.projectDir, resolved) || "." : resolved;
  const key = trustKey(resolved);
  const shown = redactUrl(key);
  const config = await loadClientConfig(input.projectDir, input.env);
  // A root the lock or the checkpoint recorded pins the registry as the config would: a first
  // contact may not replace it (a project that pulled before it was ever added).
  const lockPath = join(input.projectDir, LOCK_FILE);
  const known = await loadClientTrust(config, await readLock(lockPath), lockPath);
  const held = Object.hasOwn(known.held, key) ? known.held[key] : undefined;
  const existing = Object.hasOwn(known.pins, key) ? known.pins[key] : held;
  const source = openSource(resolved, { env: input.env, cwd: input.cwd });
  const roots = (await source.rootChain?.()) ?? [];
  const unpinned = { registry: resolved, scope: input.scope ?? null, pin: null, root: null, site: false } as const;
  // Nothing asked of it, and no root-signed signer set to pin: added unpinned, as a pull would read it.
  if (input.trust === undefined && existing === undefined && !(await source.trust?.())) {
    return { ...unpinned, configFile: await writeProjectConfig(input.projectDir, input.env, value, input.scope, undefined), how: "not-a-site" };
  }
  if (roots.length === 0) {
    throw new SkillregError(`${shown} holds no ${TRUST_DIR}/1.root.json at main, so its root cannot be ${input.trust ? `checked against --trust ${input.trust}` : `held to the pinned root ${existing!.fingerprint}`}; nothing was pinned`);
  }
  const { pin, current, how } = await matchPin(roots.at(-1)!, async (version) => roots[version - 1], shown, "holds", input.trust, existing);
  // Hold main to the chosen pin (root chain and the admins' signer set) before writing anything.
  const state = await openSource(resolved, { env: input.env, cwd: input.cwd, pins: { [key]: pin }, ...(held ? { held: { [key]: held } } : {}) }).trust?.();
  if (!state) throw new SkillregError(`${shown} holds no signer set (trust/signers.json) the pinned root vouches for; nothing was pinned`);
  // Not behind a signer set this project already trusted (its checkpoint, an earlier add); the
  // version is recorded with the pin, so a clone of the project with no checkpoint holds it too.
  known.checkpoint.refuseRollback(key, state);
  const signers = Math.max(state.timestampVersion, Object.hasOwn(config.signerSets, key) && config.trust[key]?.fingerprint === pin.fingerprint ? config.signerSets[key]! : 0);
  const configFile = await writeProjectConfig(input.projectDir, input.env, value, input.scope, pin, signers);
  return { ...unpinned, configFile, pin, root: describeRoot(current, `${shown} root`), how };
}

export async function addRegistry(input: RegistryAddInput): Promise<RegistryAddResult> {
  const site = /^https?:\/\//i.test(input.url) && !/\.git\/?$/.test(input.url);
  if (input.scope !== undefined && !isValidName(input.scope)) throw new UsageError(`'@${input.scope}' is not a valid scope name`);
  if (input.trust !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(input.trust)) {
    throw new UsageError(`--trust must be a root fingerprint such as SHA256:${"A".repeat(43)}, as 'skillreg registry trust' prints it`);
  }
  // Whatever it is, it must answer as a SkillReg registry before anything is written.
  const resolved = resolveRegistry(input.url, input.cwd);
  await openSource(resolved, { env: input.env, cwd: input.cwd }).config();
  if (!site) return addRepository(input, resolved);
  const registry = trustKey(input.url);
  const shown = redactUrl(registry);
  const base = `${registry}/`;
  const host = hostOf(registry);
  const headersFor: HeadersFor = async (url) => {
    const token = await tokenFor(url, input.env, host);
    return token ? bearer(token) : {};
  };
  const config = await loadClientConfig(input.projectDir, input.env);
  const existing = Object.hasOwn(config.trust, registry) ? config.trust[registry] : undefined;
  const chosen = await choosePin(base, shown, headersFor, input.trust, existing);
  if (!chosen) {
    const configFile = await writeProjectConfig(input.projectDir, input.env, registry, input.scope, undefined);
    return { registry, scope: input.scope ?? null, configFile, pin: null, root: null, site: true, how: "unsigned" };
  }
  const { pin, current, how } = chosen;

  // Check the whole signed index from the chosen pin before writing anything.
  await new SignedIndex({ siteBase: base, shown, pin, cacheDir: tufCacheDir(input.env), headersFor }).state();

  const configFile = await writeProjectConfig(input.projectDir, input.env, registry, input.scope, pin);
  return {
    registry,
    scope: input.scope ?? null,
    configFile,
    pin,
    root: describeRoot(current, `${shown} root`),
    site: true,
    how,
  };
}

/** Set the registry (default or for a scope) and its pin in .skillreg.yaml, keeping the rest and its comments. */
async function writeProjectConfig(projectDir: string, env: NodeJS.ProcessEnv, registry: string, scope: string | undefined, pin: RootPin | undefined, signers?: number): Promise<string> {
  const configFile = join(projectDir, PROJECT_CONFIG_FILE);
  const text = await readFile(configFile, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw e;
  });
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new SkillregError(`${configFile}: ${doc.errors[0]!.message.split("\n")[0]}`);
  if (scope === undefined) doc.set("registry", registry);
  else doc.setIn(["scopes", `@${scope}`], registry);
  if (pin) doc.setIn(["trust", registry], doc.createNode({ root: pin.fingerprint, version: pin.version, ...(signers === undefined ? {} : { signers }) }));
  await writeFileAtomic(configFile, doc.toString(), { mode: 0o644 });
  // Read it back through the schema, so a config we cannot load again is never left behind.
  try {
    await loadClientConfig(projectDir, env);
  } catch (e) {
    await writeFileAtomic(configFile, text, { mode: 0o644 });
    throw e;
  }
  return configFile;
}
