import { SkillregError } from "../core/index.js";
import type { ClientConfig } from "./config.js";
import { PROJECT_CONFIG_FILE, trustKey } from "./config.js";
import type { LockFile } from "./lock.js";
import type { RootPin } from "../trust/index.js";
import { CheckpointBook, checkpointPathBeside } from "./checkpoint.js";

/** What a command that reads registries trusts: the pinned roots, and the checkpoint to extend. */
export interface ClientTrust {
  /** By registry id. The project config's pins win over roots the lock recorded on first contact. */
  pins: Record<string, RootPin>;
  checkpoint: CheckpointBook;
}

export async function loadClientTrust(config: ClientConfig, lock: LockFile, lockPath: string): Promise<ClientTrust> {
  const pins: Record<string, RootPin> = {};
  for (const entry of Object.values(lock.skills)) if (entry.root) pins[trustKey(entry.registry)] = entry.root;
  for (const [registry, pin] of Object.entries(config.trust)) pins[trustKey(registry)] = pin;
  return { pins, checkpoint: await CheckpointBook.open(checkpointPathBeside(lockPath)) };
}

/**
 * The project config's trust decision outranks the lock: a lock entry from a registry the
 * config pins nothing for, while the config sends the entry's scope to a registry whose root
 * it pins, is refused. Otherwise an edited lock could move a pinned scope's skill to any site
 * (and carry that site's root in the entry as its pin). A project that means to use the other
 * registry pins it too (`skillreg registry add <url>`).
 */
export function refuseUnpinnedRedirects(config: ClientConfig, lock: LockFile, lockPath: string): void {
  const pinned = new Set(Object.keys(config.trust).map(trustKey));
  for (const key of Object.keys(lock.skills).sort()) {
    const entry = lock.skills[key]!;
    const scope = key.slice(1, key.indexOf("/"));
    const configured = Object.hasOwn(config.scopes, scope) ? config.scopes[scope] : config.registry;
    if (configured === undefined || !pinned.has(trustKey(configured)) || pinned.has(trustKey(entry.registry))) continue;
    throw new SkillregError(
      `${lockPath}: ${key} comes from ${entry.registry}, but ${PROJECT_CONFIG_FILE} sends @${scope} to ${configured} and pins its root, and pins nothing for ${entry.registry}; pull ${key} again, or pin that registry with 'skillreg registry add ${entry.registry}'`,
    );
  }
}
