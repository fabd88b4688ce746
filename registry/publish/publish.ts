import { join, resolve } from "node:path";
import semver from "semver";
import type { SkillScan } from "@skillreg/scanner";
import { SkillregError, canPublish, loadSkill, publishTagPath, scanCacheFor, skillKey, skillPath, PUBLISH_DIR } from "../core/index.js";
import { buildTagPayload, signTag, tagName, tagObjectId, taggerFor } from "../trust/index.js";
import { sealedEnvelopePath } from "../core/index.js";
import {
  GATE_PRINCIPAL,
  plaintextBinding,
  readStoredSealedVersion,
  scopeRecipients,
  sealedTreeFiles,
  sealsSkill,
  sealVersion,
  type SealedVersion,
} from "../seal/index.js";
import { publishRemoteFor } from "../client/index.js";
import { runGit } from "../git/index.js";
import { proposeChange } from "./propose.js";

/**
 * `skillreg push`: propose a new version of a skill to a registry as a branch
 * `publish/<scope>/<name>/<version>` holding the skill's files and its signed tag object.
 * A GitHub remote also gets a pull request. Nothing reaches main here: the gate and a
 * reviewer decide that (registry check / merge, or GitHub's checks and reviews).
 */

export interface PushOptions {
  skillDir: string;
  scope: string;
  /** The skill's name as the user wrote it (`push @scope/name`): SKILL.md must say the same. */
  name?: string;
  /** A path to a registry repository or a git URL; default: the scope's registry in the project's config. */
  registry?: string;
  /** Check, scan, sign and commit in the temporary clone, but push nothing. */
  dryRun?: boolean;
  /** The SSH private key; default: git's user.signingkey (as `git tag -s` with gpg.format=ssh uses). */
  keyPath?: string;
  env: NodeJS.ProcessEnv;
  progress: (step: string) => void;
  /** Renders the scan for a pull request body (the scanner's Markdown reporter). */
  renderScan: (scan: SkillScan) => string;
  now?: Date;
}

export interface PushResult {
  skill: string;
  version: string;
  tag: string;
  tagObjectId: string;
  treeId: string;
  commit: string;
  branch: string;
  publisher: string;
  scan: SkillScan;
  pullRequest?: { number: number; url: string };
  /** What the publisher should know but does not stop the push (who a sealed version is not readable by). */
  warnings: string[];
  /** Where it was (or, with dryRun, would be) pushed. */
  registry: string;
  dryRun: boolean;
}

/** A scan that blocks publishing; the caller shows the report. */
export class BlockedByScanner extends SkillregError {
  constructor(readonly scan: SkillScan) {
    super(`the scanner blocks ${scan.path}: critical findings; fix them before pushing`, { exitCode: 1 });
  }
}

export function publishBranch(scope: string, name: string, version: string): string {
  return `${PUBLISH_DIR}/${scope}/${name}/${version}`;
}

export async function pushSkill(opts: PushOptions, cwd: string): Promise<PushResult> {
  const { scope, progress, env } = opts;
  const now = opts.now ?? new Date();

  progress(`validating ${opts.skillDir}`);
  const skill = await loadSkill(resolve(cwd, opts.skillDir), { requireVersion: true });
  if (opts.name !== undefined && skill.name !== opts.name) {
    throw new SkillregError(`${resolve(cwd, opts.skillDir)} holds the skill '${skill.name}', not '${opts.name}'; run this in the skill's folder or pass --dir <skill-folder>`);
  }
  const registry = opts.registry ?? (await publishRemoteFor({ cwd, env }, scope));
  const keyPath = opts.keyPath ?? (await gitSigningKey(cwd, env));
  const id = skillKey(scope, skill.name);
  const tag = tagName(scope, skill.name, skill.version);
  const folder = skillPath(scope, skill.name);
  let scan: SkillScan | undefined;
  let signed: { treeId: string; tagBytes: Buffer } | undefined;
  const warnings: string[] = [];

  const proposed = await proposeChange({
    registry,
    keyPath,
    dryRun: opts.dryRun === true,
    cwd,
    env,
    progress,
    now,
    preferActor: (p, state) => canPublish(state.scopes, scope, p),
    branchExists: (branch) => `branch ${branch} already exists in the registry; a change for ${tag} is pending there`,
    async plan(state, publisher, signer) {
      progress(`scanning ${id}@${skill.version}`);
      const willSeal = state.scopes.has(scope) && sealsSkill(state.config, state.scopes.get(scope)!, skill.name);
      // Through the scan cache, so the gate and the merge that follow find this version scanned.
      scan = scanCacheFor(env).scan({ path: opts.skillDir, files: skill.files }, { rules: state.config.policy.rules }, { sealed: willSeal });
      if (scan.decision === "blocked") throw new BlockedByScanner(scan);

      if (!state.scopes.has(scope)) throw new SkillregError(`scope @${scope} does not exist in the registry; an admin creates it with 'skillreg scope add'`);
      if (!canPublish(state.scopes, scope, publisher)) {
        throw new SkillregError(`${publisher} is not a maintainer or owner of @${scope}; ask an owner of @${scope} to add you`);
      }
      progress(`checking that ${tag} is new`);
      const published = await state.publishedVersions(scope, skill.name);
      if (published.includes(skill.version)) {
        throw new SkillregError(`${tag} is already published; versions never change: bump metadata.version in SKILL.md`);
      }
      const latest = semver.rsort(published)[0];
      if (latest !== undefined && !semver.gt(skill.version, latest)) {
        throw new SkillregError(`${id}@${skill.version} is not greater than the latest published version ${latest}; bump metadata.version`);
      }
      const sealed = willSeal ? await sealForScope(state.allowedSigners, published) : undefined;
      progress(`placing the skill in ${folder}/`);
      const decision = scan.decision;
      const treeFiles = sealed ? sealedTreeFiles(sealed) : skill.files;
      return {
        branch: publishBranch(scope, skill.name, skill.version),
        title: `Publish ${tag}`,
        body: `Skill: ${tag}\nPublisher: ${publisher}\nScan-Decision: ${decision}`,
        // A sealed version's findings quote its files: the pull request, readable by all, gets only the decision.
        pullRequestBody: sealed ? `Sealed version: scan decision ${decision}; members review it with 'skillreg registry merge'.` : opts.renderScan(scan),
        replaceFolders: [folder],
        files: [
          ...treeFiles.map((f) => ({ path: `${folder}/${f.path}`, content: f.bytes, executable: f.executable })),
          ...(sealed ? [{ path: sealedEnvelopePath(scope, skill.name, skill.version), content: sealed.envelopeText }] : []),
        ],
        async derived(treeOf) {
          const treeId = await treeOf(folder);
          progress(`signing ${tag} (tree ${treeId.slice(0, 12)}) as ${publisher}`);
          const message = sealed ? `Publish ${tag}\n\n${plaintextBinding(sealed.manifest)}\n` : `Publish ${tag}\n`;
          const payload = buildTagPayload({ object: treeId, type: "tree", tag, tagger: taggerFor(publisher, now), message });
          const tagBytes = await signTag(payload, signer);
          signed = { treeId, tagBytes };
          return [{ path: publishTagPath(scope, skill.name, skill.version), content: tagBytes }];
        },
      };

      /** Seal the version to the scope's readers and the gate key; its envelope is staged beside the signed tree. */
      async function sealForScope(allowedSigners: string, published: string[]): Promise<SealedVersion> {
        const { recipients, withoutKeys } = scopeRecipients(state.config, state.scopes.get(scope)!, allowedSigners, now);
        const readers = recipients.filter((r) => r.principal !== GATE_PRINCIPAL).map((r) => r.principal);
        progress(`sealing ${id}@${skill.version} to ${[...new Set(readers)].join(", ")} and the registry gate`);
        if (withoutKeys.length > 0) {
          warnings.push(`${withoutKeys.join(", ")} cannot read this version: no key in allowed_signers (an admin adds one with 'skillreg keys add')`);
        }
        const unsealed: string[] = [];
        for (const version of semver.sort([...published])) {
          const recorded = (await state.read(publishTagPath(scope, skill.name, version))) !== undefined;
          if (recorded && !(await readStoredSealedVersion(state.dir, "HEAD", { scope, name: skill.name, version }))) unsealed.push(version);
        }
        if (unsealed.length > 0) {
          warnings.push(
            `earlier versions ${unsealed.join(", ")} of ${id} were published unsealed and stay readable to everyone with the repository, in Git history; for secret material start a clean registry (docs/sealed.md)`,
          );
        }
        return sealVersion({ scope, name: skill.name, version: skill.version }, skill.files, recipients);
      }
    },
  });
  const result: PushResult = {
    skill: id,
    version: skill.version,
    tag,
    tagObjectId: tagObjectId(signed!.tagBytes),
    treeId: signed!.treeId,
    commit: proposed.commit,
    branch: proposed.branch,
    publisher: proposed.actor,
    scan: scan!,
    warnings,
    registry,
    dryRun: opts.dryRun === true,
  };
  if (proposed.pullRequest) result.pullRequest = proposed.pullRequest;
  return result;
}

/** git's user.signingkey, the key `git tag -s` signs with when gpg.format is ssh. */
async function gitSigningKey(cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const found = await runGit(["config", "--get", "user.signingkey"], { cwd, env: { ...process.env, ...env }, okCodes: [1] });
  const key = found.code === 0 ? found.stdout.replace(/^key::.*$/, "") : "";
  if (key === "") throw new SkillregError("missing --key <file>: the tag is signed with your SSH key (or set it once: git config --global user.signingkey ~/.ssh/id_ed25519)");
  return key.startsWith("~/") ? join(env.HOME ?? "", key.slice(2)) : key;
}
