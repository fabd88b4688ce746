import type { FetchedTag } from "../fetch-tag.js";
import type { IndexAll, IndexConfig, IndexSkill } from "../../index/index.js";
import type { RootPin, TrustState } from "../../trust/index.js";
import type { SealIdentity } from "../../seal/index.js";

/**
 * Where skills come from. Three kinds answer the same questions: an HTTP(S) site serving the
 * index (the usual case), a local registry (a checkout or a bare repository), and a Git URL of
 * a registry (the index is then built from its tags and publish records).
 */
export interface RegistrySource {
  /** How the lock records it: the URL or absolute path, never with credentials. */
  readonly id: string;
  config(): Promise<IndexConfig>;
  /** The skill's index file; throws a one-line error when the registry has no such skill. */
  skill(scope: string, name: string): Promise<IndexSkill>;
  /** The catalog summary: one line per skill (for search). */
  all(): Promise<IndexAll>;
  /** Fetch (or open) exactly one tag. */
  fetchTag(tag: string): Promise<FetchedTag>;
  /** Fetch several distinct tags in one round, where the transport allows it. */
  fetchTags?(tags: readonly string[]): Promise<Map<string, FetchedTag>>;
  /** A sealed version's recipient envelope (sealed/<scope>/<name>/<version>.json), undefined when there is none. */
  sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined>;
  /**
   * What the index was verified from, when the registry signs it: a site's index/v1/tuf/, or a
   * repository's root chain and signer set (trust/).
   */
  trust?(): Promise<TrustState | undefined>;
  /** A registry read from its repository (Git URL or folder): its root chain at the commit read, oldest first. */
  rootChain?(): Promise<string[]>;
  /**
   * A registry named by its Git URL: the commit of its main the index was built from. No root
   * signs such a registry, so the checkpoint holds later reads to descend from that commit.
   */
  repositoryHead?(): Promise<RepositoryHead>;
}

export interface RepositoryHead {
  commit: string;
  /** Whether `commit` is in this head's history (false when the repository no longer has it). */
  descendsFrom(commit: string): Promise<boolean>;
}

export interface SourceContext {
  env: NodeJS.ProcessEnv;
  /** Where relative paths are resolved from. */
  cwd: string;
  /** Trust roots the project pinned (.skillreg.yaml, else skillreg.lock), by registry id. */
  pins?: Readonly<Record<string, RootPin>>;
  /** The newest root the project's checkpoint saw each repository's chain verified to, by registry id. */
  held?: Readonly<Record<string, RootPin>>;
  /** Told what could not be authenticated: a first contact without a pin, an unsigned site. */
  notice?: (message: string) => void;
  /** A slow step starts: a registry's Git cloned, or read to build its index (seconds on a big one). */
  progress?: (step: string) => void;
  /** The user's key, loaded on first use: an internal catalog serves sealed skills' index files sealed. */
  sealIdentity?: () => Promise<SealIdentity>;
}
