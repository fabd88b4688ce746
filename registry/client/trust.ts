import type { ClientConfig } from "./config.js";
import { trustKey } from "./config.js";
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
  Object.assign(pins, config.trust);
  return { pins, checkpoint: await CheckpointBook.open(checkpointPathBeside(lockPath)) };
}
