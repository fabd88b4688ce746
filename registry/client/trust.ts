import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { SkillregError } from "../core/index.js";
import type { ClientConfig } from "./config.js";
import { PROJECT_CONFIG_FILE, trustKey } from "./config.js";
import type { LockEntry, LockFile } from "./lock.js";
import type { RootPin } from "../trust/index.js";
import { CheckpointBook, checkpointPathBeside, type SignerSetFloor } from "./checkpoint.js";

/** What a command that reads registries trusts: the pinned roots, and the checkpoint to extend. */
export interface ClientTrust {
  /** By registry id. The project config's pins win over roots the lock recorded on first contact. */
  pins: Record<string, RootPin>;
  /** By registry id: the newest root the checkpoint saw each repository verified to; held even where nothing is pinned. */
  held: Record<string, RootPin>;
  checkpoint: CheckpointBook;
}

export async function loadClientTrust(config: ClientConfig, lock: LockFile, lockPath: string): Promise<ClientTrust> {
  const pins: Record<string, RootPin> = {};
  for (const entry of Object.values(lock.skills)) if (entry.root) pins[trustKey(entry.registry)] = entry.root;
  for (const [registry, pin] of Object.entries(config.trust)) pins[trustKey(registry)] = pin;
  // The signer set version `registry add` verified: a project without a checkpoint yet (a fresh clone) is not rolled back behind it.
  const floors: Record<string, SignerSetFloor> = {};
  for (const [registry, version] of Object.entries(config.signerSets)) {
    const root = Object.hasOwn(config.trust, registry) ? config.trust[registry] : undefined;
    if (root) floors[registry] = { root, version, where: PROJECT_CONFIG_FILE };
  }
  const checkpoint = await CheckpointBook.open(checkpointPathBeside(lockPath), floors);
  const held: Record<string, RootPin> = {};
  for (const [id, root] of Object.entries(checkpoint.heldRoots())) held[trustKey(id)] = root;
  return { pins, held, checkpoint };
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A lock is a file anyone can edit in a pull request: it may not choose where a skill comes
 * from. Every flow that reads the lock (pull, install, update, outdated) refuses, before it
 * reads any registry, a lock entry that
 *   - comes from a registry inside the project (vendored beside the lock, so as changeable as
 *     the lock) that no config names;
 *   - comes from a registry the project config pins nothing for, while the config sends the
 *     entry's scope to a registry whose root it pins (an edited lock could otherwise move a
 *     pinned scope's skill to any site, carrying that site's root in the entry as its pin);
 *   - records another root for a registry the config does not pin than another entry does
 *     (the lock is then that registry's only pin: one registry, one pin).
 * Entries in `replacing` are skipped: the flow resolves them again from the configured
 * registry (`pull <skill>` is how a user repairs such an entry).
 */
export async function refuseRedirectedLock(config: ClientConfig, lock: LockFile, lockPath: string, replacing: ReadonlySet<string> = new Set()): Promise<void> {
  const configured = new Set([config.registry, ...Object.values(config.scopes), ...Object.keys(config.trust)].filter((r): r is string => r !== undefined).map(trustKey));
  const pinned = new Set(Object.keys(config.trust).map(trustKey));
  const project = await realpath(dirname(lockPath)).catch(() => dirname(lockPath));
  const roots = new Map<string, { key: string; root: NonNullable<LockEntry["root"]> }>();
  for (const key of Object.keys(lock.skills).sort()) {
    if (replacing.has(key)) continue;
    const entry = lock.skills[key]!;
    const registry = trustKey(entry.registry);
    if (!URL_LIKE.test(entry.registry) && !configured.has(registry)) {
      const where = await realpath(resolve(dirname(lockPath), entry.registry)).catch(() => resolve(dirname(lockPath), entry.registry));
      const inside = relative(project, where);
      if (inside === "" || (!inside.startsWith("..") && !isAbsolute(inside))) {
        throw new SkillregError(
          `${lockPath}: ${key} comes from ${entry.registry}, a registry inside this project that no config names; a lock cannot bring its own registry: set it in ${PROJECT_CONFIG_FILE} (or skillreg registry add) if you trust it`,
        );
      }
    }
    const scope = key.slice(1, key.indexOf("/"));
    const sentTo = Object.hasOwn(config.scopes, scope) ? config.scopes[scope] : config.registry;
    if (sentTo !== undefined && pinned.has(trustKey(sentTo)) && !pinned.has(registry)) {
      throw new SkillregError(
        `${lockPath}: ${key} comes from ${entry.registry}, but ${PROJECT_CONFIG_FILE} sends @${scope} to ${sentTo} and pins its root, and pins nothing for ${entry.registry}; pull ${key} again, or pin that registry with 'skillreg registry add ${entry.registry}'`,
      );
    }
    if (!entry.root || pinned.has(registry)) continue; // the config's pin wins over any the lock records
    const other = roots.get(registry);
    if (other && (other.root.fingerprint !== entry.root.fingerprint || other.root.version !== entry.root.version)) {
      throw new SkillregError(
        `${lockPath}: ${other.key} and ${key} come from ${entry.registry} but record different trust roots (${other.root.fingerprint} and ${entry.root.fingerprint}); one was edited: pull them again, or pin the registry with 'skillreg registry add ${entry.registry}'`,
      );
    }
    roots.set(registry, { key, root: entry.root });
  }
}
