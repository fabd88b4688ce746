import { isAbsolute, join } from "node:path";
import { homeDir } from "./config.js";
import {
  SignedIndex,
  TUF_SITE_DIR,
  describeRoot,
  type HeadersFor,
  type RootPin,
  type RootSummary,
} from "../trust/index.js";

/**
 * How a client opens a site's index: through the signed metadata from the project's pinned
 * root when there is a pin; on first contact without one, from the root the site serves now,
 * saying so in one line (like ssh meeting an unknown host); and, for a site that signs
 * nothing and was never pinned, unsigned, saying that too. A pinned site that stops signing
 * is refused by SignedIndex: the pin never falls back.
 */

/** Where tuf-js keeps each site's trusted metadata between runs ($XDG_CACHE_HOME/skillreg/tuf). */
export function tufCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(homeDir(env), ".cache");
  return join(base, "skillreg", "tuf");
}

/** "root SHA256:... (version 1; 2 of 3 admin keys SHA256:..., SHA256:...)". */
export function rootLine(summary: RootSummary): string {
  return `root ${summary.fingerprint} (version ${summary.version}; ${summary.threshold} of ${summary.admins.length} admin keys ${summary.admins.join(", ")})`;
}

export interface OpenSignedIndexInput {
  siteBase: string;
  id: string;
  pin: RootPin | undefined;
  env: NodeJS.ProcessEnv;
  headersFor: HeadersFor;
  /** The site's current root.json, or undefined when it serves none (with the source's own auth handling). */
  currentRoot: () => Promise<string | undefined>;
  notice: (message: string) => void;
}

export async function openSignedIndex(input: OpenSignedIndexInput): Promise<SignedIndex | undefined> {
  const common = { siteBase: input.siteBase, shown: input.id, cacheDir: tufCacheDir(input.env), headersFor: input.headersFor };
  if (input.pin) return new SignedIndex({ ...common, pin: input.pin });
  const text = await input.currentRoot();
  if (text === undefined) {
    input.notice(`${input.id} serves no signed index metadata (${TUF_SITE_DIR}/): its index is not authenticated`);
    return undefined;
  }
  const summary = describeRoot(text, `${input.id}/${TUF_SITE_DIR}/root.json`);
  input.notice(
    `first contact with ${input.id}: no trust root pinned; trusting ${rootLine(summary)} as served; pin it with 'skillreg registry add ${input.id} --trust ${summary.fingerprint}'`,
  );
  return new SignedIndex({ ...common, pin: { fingerprint: summary.fingerprint, version: summary.version }, pinnedRootText: text });
}
