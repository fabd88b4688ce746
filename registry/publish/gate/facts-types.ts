/**
 * What the gate knows about a change, as plain values read from git once (facts.ts) and then
 * judged by pure functions (decide.ts). Nothing here is trusted except what comes from the
 * base revision: the config, scopes and signers that decide who may do what.
 */

import type { SealEnvelope } from "../../seal/index.js";

export type ChangeStatus = "added" | "modified" | "deleted" | "type-changed";

/** One path the change touches, from the fork point (merge base) to head. */
export interface PathChange {
  path: string;
  status: ChangeStatus;
}

/** A file of a skill folder at head, from `git ls-tree` (never the work tree). */
export interface TreeFile {
  /** POSIX path relative to the skill folder. */
  path: string;
  /** Git mode: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  size: number;
  /** Absent when the entry is not a regular file or is over the per-file limit (not read). */
  bytes?: Uint8Array;
}

/** A `publish/<scope>/<name>/<version>.tag` file the change adds, edits or removes. */
export interface TagFileChange {
  path: string;
  /** The file name without `.tag`, as written (validated by the gate, not here). */
  version: string;
  status: ChangeStatus;
  /** Contents at the fork point (absent when the change adds it). */
  before?: Uint8Array;
  /** Contents at head (absent when the change removes it). */
  after?: Uint8Array;
}

/** A tag ref that already exists in the repository. */
export interface ExistingTag {
  name: string;
  /** The tag object's id. */
  objectId: string;
}

export interface SkillFacts {
  scope: string;
  name: string;
  /** Tree id of skills/<scope>/<name> at head; absent when the folder is gone at head. */
  headTree?: string;
  /** Tree id of the folder at the fork point; absent for a new skill. */
  forkTree?: string;
  /** Tree id of the folder at base; differs from forkTree when the base moved the skill on since. */
  baseTree?: string;
  /** Files of the folder at head. */
  headFiles: TreeFile[];
  /** Versions with a .tag file at base (the trusted side). */
  baseVersions: string[];
  /** Tag refs of this skill that exist already. */
  existingTags: ExistingTag[];
  /** .tag files of this skill that the change touches. */
  tagFiles: TagFileChange[];
  /**
   * Set when the head tree is a sealed version: opened with the registry's gate key (headFiles
   * then hold the plaintext files, so format and scan judge what members will install; the
   * envelope says who else can open it), or why not.
   */
  sealed?: { opened: true; envelope: SealEnvelope } | { opened: false; problem: string };
  /** Envelopes of already published sealed versions the change re-wraps, each checked with the gate key. */
  envelopes?: { path: string; problem?: string; envelope?: SealEnvelope }[];
}

/** The files that decide who may do what. */
export interface ControlFiles {
  /** skillreg.yaml text, absent when the file is missing. */
  config?: string;
  /** scopes/<file> -> text, every file under scopes/. */
  scopes: Record<string, string>;
  allowedSigners?: string;
  codeowners?: string;
  /** trust/1.root.json, trust/2.root.json, ... (the admins' root chain), empty when there is none. */
  roots: string[];
  /** trust/signers.json: the admins' signature over the signers, config and members, when the registry has one. */
  signerSet?: string;
}

/** A scope file as one commit changed it: text at its first parent and at the commit (absent: no file). */
export interface ScopeFileEdit {
  path: string;
  before?: string;
  after?: string;
}

/**
 * One commit of the change (fork point..head). Every path is judged against the principal
 * whose signature is on the commit that introduced it, so each commit carries what it changes.
 */
export interface ChangeCommit {
  id: string;
  /** `git cat-file commit <id>` output, signature header included. */
  raw: string;
  /** Paths it changes against its first parent that are also part of the whole change. */
  paths: string[];
  /** The scope files among those paths, before and after this commit. */
  scopeFiles: ScopeFileEdit[];
  /**
   * A merge of two parents whose tree is exactly what git's own merge of them makes (no
   * conflict, nothing edited while merging): it brings in only what its parents hold, each
   * of which is either in the base or a commit of the change judged on its own.
   */
  cleanMerge?: true;
}

export interface GateFacts {
  base: string;
  head: string;
  /** merge-base of base and head: the change is fork point..head. */
  forkPoint: string;
  changes: PathChange[];
  /** Control files at base: the trusted side. */
  trusted: ControlFiles;
  /** Control files at head: what the change proposes (for CODEOWNERS and validity). */
  proposed: ControlFiles;
  /** The commits of the change, oldest first. */
  commits: ChangeCommit[];
  skills: SkillFacts[];
}
