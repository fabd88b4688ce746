import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { SkillregError, parseJsonWithSchema, skillKey, sortKeys, writeFileAtomic } from "../core/index.js";
import type { FetchedTag } from "./fetch-tag.js";
import { oidSchema, type IndexAll, type IndexConfig, type IndexSkill } from "../index/index.js";
import { rootPinSchema, withLockfileLock } from "./lock.js";
import type { RegistrySource, RepositoryHead } from "./sources/index.js";
import type { RootPin, TrustState } from "../trust/index.js";

/**
 * skillreg.checkpoint.json, beside the lock: the last state of each registry this project
 * has seen, as Go's checksum-database client keeps its last tree head. Every later read of
 * the registry must extend it: no published version may vanish or change its tag object, no
 * yank may disappear, and the signed metadata's versions may not go back. A rewrite of the
 * registry's history (force-pushes, a rebuilt site) that does any of those is named, even when
 * it is signed by keys the client trusts; the signatures alone cannot show it.
 */

export const CHECKPOINT_FILE = "skillreg.checkpoint.json";
export const CHECKPOINT_VERSION = 1;

const versionStateSchema = {
  type: "object",
  additionalProperties: false,
  required: ["tagObject", "yanked"],
  properties: { tagObject: oidSchema, yanked: { type: "boolean" } },
} as const satisfies JSONSchema;

export const checkpointSchema = {
  type: "object",
  additionalProperties: false,
  required: ["checkpointVersion", "registries"],
  properties: {
    checkpointVersion: { const: CHECKPOINT_VERSION },
    /** By registry id (site URL, Git URL or path, as the lock records it). */
    registries: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["name", "skills"],
        properties: {
          /** The registry's name (config.json), so `verify --registry` finds it from a checkout. */
          name: { type: "string", minLength: 1 },
          /** The pinned root the signed metadata was verified from, and the versions last trusted. */
          root: rootPinSchema,
          /** A registry read from its repository: the newest root its chain was verified to; later reads must still hold it. */
          newestRoot: rootPinSchema,
          timestamp: { type: "integer", minimum: 1 },
          snapshot: { type: "integer", minimum: 1 },
          /** A registry named by its Git URL: the commit of main last read; main must descend from it. */
          commit: oidSchema,
          /** "@scope/name" -> version -> what it was. */
          skills: {
            type: "object",
            propertyNames: { pattern: "^@[a-z0-9-]+/[a-z0-9-]+$" },
            additionalProperties: { type: "object", additionalProperties: versionStateSchema },
          },
        },
      },
    },
  },
} as const satisfies JSONSchema;
export type Checkpoint = FromSchema<typeof checkpointSchema>;
type RegistryCheckpoint = Checkpoint["registries"][string];

export function checkpointPathBeside(lockPath: string): string {
  return join(dirname(lockPath), CHECKPOINT_FILE);
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { checkpointVersion: CHECKPOINT_VERSION, registries: {} };
    throw e;
  }
  return parseJsonWithSchema<Checkpoint>(text, checkpointSchema, {
    notJson: (reason) => `${path}: not valid JSON (${reason}); restore it from version control`,
    mismatch: (problems) => `${path}: ${problems.slice(0, 3).join("; ")}`,
  });
}

export interface Rewrite {
  kind: "dropped publish" | "dropped yank" | "swapped version" | "rolled back" | "rewound main";
  /** "@scope/name@version", or the registry for a rollback. */
  subject: string;
  message: string;
  /** Where what it went back behind was recorded, when not the checkpoint (a "rolled back" behind .skillreg.yaml). */
  recordedIn?: string;
}

/** How one skill's versions now differ from what the checkpoint saw. Pure. */
export function compareSkill(seen: RegistryCheckpoint | undefined, key: string, versions: readonly { version: string; tagObject: string; yanked: unknown }[] | undefined): Rewrite[] {
  const before = seen && Object.hasOwn(seen.skills, key) ? seen.skills[key]! : {};
  const now = new Map((versions ?? []).map((v) => [v.version, v]));
  const out: Rewrite[] = [];
  for (const [version, was] of Object.entries(before).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const subject = `${key}@${version}`;
    const is = now.get(version);
    if (!is) out.push({ kind: "dropped publish", subject, message: `published as tag object ${was.tagObject} at the last checkpoint, no longer listed by the registry` });
    else if (is.tagObject !== was.tagObject) out.push({ kind: "swapped version", subject, message: `tag object ${was.tagObject} at the last checkpoint, now ${is.tagObject}` });
    else if (was.yanked && !is.yanked) out.push({ kind: "dropped yank", subject, message: "yanked at the last checkpoint, no longer yanked" });
  }
  return out;
}

/** Whether the signed metadata went back behind what the checkpoint trusted. Pure. */
export function compareTrust(seen: RegistryCheckpoint | undefined, id: string, state: TrustState): Rewrite[] {
  const out: Rewrite[] = [];
  // A repository's signer set is recorded in both places: one comparison names it.
  for (const role of state.signerSet ? (["timestamp"] as const) : (["timestamp", "snapshot"] as const)) {
    const was = seen?.[role];
    const is = role === "timestamp" ? state.timestampVersion : state.snapshotVersion;
    const what = state.signerSet ? "signer set (trust/signers.json)" : role;
    if (was !== undefined && is < was) out.push({ kind: "rolled back", subject: id, message: `signed ${what} version ${is} is older than version ${was} seen at the last checkpoint` });
  }
  return out;
}

export function describeRewrites(rewrites: readonly Rewrite[]): string {
  return rewrites.map((r) => `${r.kind}: ${r.subject}: ${r.message}`).join("; ");
}

/** A signer set version a project recorded outside the checkpoint (`registry add`, in .skillreg.yaml), with the root it was verified from. */
export interface SignerSetFloor {
  root: RootPin;
  version: number;
  /** Where it was recorded, for messages. */
  where: string;
}

/**
 * Whether a repository's signer set went back behind one the project trusted for the same
 * root chain under another name (a mirror, another spelling of its URL) or recorded when it
 * pinned the root (a fresh clone of the project has no checkpoint yet). Only repositories:
 * a repository's one signer set is a single series, while two sites of one registry (a
 * public and an internal catalog) sign timestamps of their own. Pure.
 */
export function compareSignerSetElsewhere(checkpoint: Checkpoint, floors: Readonly<Record<string, SignerSetFloor>>, id: string, state: TrustState): Rewrite[] {
  if (!state.signerSet) return [];
  const chain = new Set([state.pin.fingerprint, state.newestRoot?.fingerprint]);
  const shares = (...roots: (RootPin | undefined)[]) => roots.some((r) => r !== undefined && chain.has(r.fingerprint));
  const bounds: { version: number; what: string; recordedIn?: string }[] = [];
  for (const [other, entry] of Object.entries(checkpoint.registries)) {
    if (other !== id && entry.newestRoot !== undefined && entry.timestamp !== undefined && shares(entry.root, entry.newestRoot)) bounds.push({ version: entry.timestamp, what: `seen from ${other}, the same root chain, at the last checkpoint` });
  }
  for (const [registry, floor] of Object.entries(floors)) {
    if (registry === id || shares(floor.root)) bounds.push({ version: floor.version, what: `that 'skillreg registry add ${registry}' verified`, recordedIn: floor.where });
  }
  const newest = bounds.sort((a, b) => b.version - a.version)[0];
  if (newest === undefined || state.timestampVersion >= newest.version) return [];
  const message = `signed signer set (trust/signers.json) version ${state.timestampVersion} is older than version ${newest.version} ${newest.what}`;
  return [{ kind: "rolled back", subject: id, message, ...(newest.recordedIn ? { recordedIn: newest.recordedIn } : {}) }];
}

/**
 * The checkpoint of one command: compared with on every read, extended in memory, and saved
 * (merged with what other processes saved meanwhile) when the command has succeeded.
 */
export class CheckpointBook {
  private readonly seen: Checkpoint = { checkpointVersion: CHECKPOINT_VERSION, registries: {} };

  private constructor(
    readonly path: string,
    private readonly last: Checkpoint,
    private readonly floors: Readonly<Record<string, SignerSetFloor>>,
  ) {}

  /** `floors`: by registry id, signer set versions the project recorded when it pinned a repository's root. */
  static async open(path: string, floors: Readonly<Record<string, SignerSetFloor>> = {}): Promise<CheckpointBook> {
    return new CheckpointBook(path, await readCheckpoint(path), floors);
  }

  private entry(id: string, name: string): RegistryCheckpoint {
    this.seen.registries[id] ??= { name, skills: {} };
    return this.seen.registries[id];
  }

  /** A refusal of what the registry serves, like a bad signature: exit 2 (DESIGN.md), before anything is written. */
  private refuse(rewrites: Rewrite[]): void {
    if (rewrites.length === 0) return;
    if (rewrites.every((r) => r.kind === "rolled back")) {
      const [first] = rewrites;
      throw new SkillregError(`${first!.subject}: rolled back: ${rewrites.map((r) => r.message).join("; ")} (${first!.recordedIn ?? this.path}); refusing it, nothing was installed`);
    }
    throw new SkillregError(`the registry's history was rewritten since the last checkpoint (${this.path}): ${describeRewrites(rewrites)}; nothing was installed`);
  }

  /** Compare a skill's index file with the checkpoint (refusing a rewrite), then remember it. */
  skill(id: string, config: IndexConfig, skill: IndexSkill): void {
    const key = skillKey(skill.scope, skill.name);
    this.refuse(compareSkill(this.last.registries[id], key, skill.versions));
    this.entry(id, config.name).skills[key] = Object.fromEntries(skill.versions.map((v) => [v.version, { tagObject: v.tagObject, yanked: v.yanked !== null }]));
  }

  /** For a read that records nothing (access list): refuse signed metadata older than the checkpoint saw, as pull would. */
  refuseRollback(id: string, state: TrustState): void {
    const here = compareTrust(this.last.registries[id], id, state);
    this.refuse(here.length > 0 ? here : compareSignerSetElsewhere(this.last, this.floors, id, state));
  }

  trust(id: string, config: IndexConfig, state: TrustState | undefined): void {
    if (!state) return;
    this.refuseRollback(id, state);
    Object.assign(this.entry(id, config.name), { root: state.pin, timestamp: state.timestampVersion, snapshot: state.snapshotVersion, ...(state.newestRoot ? { newestRoot: state.newestRoot } : {}) });
  }

  /** The newest root the last checkpoint saw a repository's chain verified to (else the root it was pinned from), by registry id. */
  heldRoots(): Record<string, RootPin> {
    const out: Record<string, RootPin> = {};
    for (const [id, entry] of Object.entries(this.last.registries)) {
      const held = entry.newestRoot ?? entry.root;
      if (held) out[id] = held;
    }
    return out;
  }

  /**
   * A registry read from its repository: main must descend from the commit the checkpoint
   * recorded (else the history was rewritten); then remember the new head. Returns whether the
   * checkpoint knew no commit of it yet (a first contact).
   */
  async repository(id: string, config: IndexConfig, head: RepositoryHead): Promise<boolean> {
    const was = this.last.registries[id]?.commit;
    if (was !== undefined && was !== head.commit && !(await head.descendsFrom(was))) {
      this.refuse([{ kind: "rewound main", subject: id, message: `main is now ${head.commit}, which does not descend from commit ${was} of the last checkpoint` }]);
    }
    this.entry(id, config.name).commit = head.commit;
    return was === undefined;
  }

  /** Merge what this command saw into the file. Versions only grow; recorded versions never leave. */
  async save(): Promise<void> {
    if (Object.keys(this.seen.registries).length === 0) return;
    await withLockfileLock(this.path, async () => {
      const onDisk = await readCheckpoint(this.path);
      for (const [id, seen] of Object.entries(this.seen.registries)) {
        const old = onDisk.registries[id];
        const skills = { ...old?.skills };
        for (const [key, versions] of Object.entries(seen.skills)) skills[key] = { ...skills[key], ...versions };
        const max = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
        const timestamp = max(old?.timestamp, seen.timestamp);
        const snapshot = max(old?.snapshot, seen.snapshot);
        const root = seen.root ?? old?.root;
        // The newest root never goes back: a later read that verified an older one (a second process) keeps the newer.
        const newestRoot = old?.newestRoot && (!seen.newestRoot || old.newestRoot.version > seen.newestRoot.version) ? old.newestRoot : seen.newestRoot;
        const commit = seen.commit ?? old?.commit;
        onDisk.registries[id] = { name: seen.name, skills, ...(root ? { root } : {}), ...(newestRoot ? { newestRoot } : {}), ...(timestamp ? { timestamp } : {}), ...(snapshot ? { snapshot } : {}), ...(commit ? { commit } : {}) };
      }
      await writeFileAtomic(this.path, JSON.stringify(sortKeys(onDisk), null, 2) + "\n", { mode: 0o644 });
    });
  }
}

/** A source whose every skill read is compared with the checkpoint and recorded in it. */
export class CheckpointedSource implements RegistrySource {
  readonly id: string;
  /** Batched fetching, only where the wrapped source has it (tags are verified, not checkpointed). */
  readonly fetchTags?: (tags: readonly string[]) => Promise<Map<string, FetchedTag>>;

  private firstContact?: Promise<void>;

  constructor(
    private readonly inner: RegistrySource,
    private readonly book: CheckpointBook,
    private readonly notice: (message: string) => void = () => undefined,
  ) {
    this.id = inner.id;
    if (inner.fetchTags) this.fetchTags = (tags) => inner.fetchTags!(tags);
  }

  config(): Promise<IndexConfig> {
    return this.inner.config();
  }

  async skill(scope: string, name: string): Promise<IndexSkill> {
    const [skill, config] = await Promise.all([this.inner.skill(scope, name), this.inner.config()]);
    this.book.trust(this.id, config, await this.trust());
    if (this.inner.repositoryHead) await (this.firstContact ??= this.holdRepository(config, this.inner.repositoryHead()));
    this.book.skill(this.id, config, skill);
    return skill;
  }

  /** Once per command: the repository's head against the checkpoint, said plainly on a first contact. */
  private async holdRepository(config: IndexConfig, head: Promise<RepositoryHead>): Promise<void> {
    const at = await head;
    // A repository held to a pinned root (or met with its root, said by the source) needs no second line.
    if ((await this.book.repository(this.id, config, at)) && !(await this.trust())) {
      this.notice(
        `first contact with ${this.id}: no trust root pinned, and its admins signed no signer set (trust/signers.json); its signing keys are its own allowed_signers at commit ${at.commit.slice(0, 12)}, trusted as served. Later reads must descend from that commit (${this.book.path})`,
      );
    }
  }

  fetchTag(tag: string): Promise<FetchedTag> {
    return this.inner.fetchTag(tag);
  }

  /** The registry's list, refused (as a skill read would be) when its signed metadata is older than the checkpoint saw. */
  async all(): Promise<IndexAll> {
    const all = await this.inner.all();
    const state = await this.trust();
    if (state) this.book.refuseRollback(this.id, state);
    return all;
  }

  sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined> {
    return this.inner.sealedEnvelope(scope, name, version);
  }

  async trust(): Promise<TrustState | undefined> {
    return this.inner.trust?.();
  }
}
