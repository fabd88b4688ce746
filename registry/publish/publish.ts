import { resolve } from "node:path";
import semver from "semver";
import { scanSkill, type SkillScan } from "@skillreg/scanner";
import { SkillregError, canPublish, loadSkill, publishTagPath, skillKey, skillPath, PUBLISH_DIR } from "../core/index.js";
import { buildTagPayload, signTag, tagName, tagObjectId, taggerFor } from "../trust/index.js";
import { sealedEnvelopePath } from "../core/index.js";
import { GATE_PRINCIPAL, plaintextBinding, scopeRecipients, sealedTreeFiles, sealsSkill, sealVersion, type SealedVersion } from "../seal/index.js";
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
  /** A path to a registry repository or a git URL. */
  registry: string;
  keyPath: string;
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

/** The principal allowed_signers names for the signer's key, preferring one that `pick` accepts. */
export async function pushSkill(opts: PushOptions, cwd: string): Promise<PushResult> {
  const { scope, progress, env } = opts;
  const now = opts.now ?? new Date();

  progress(`validating ${opts.skillDir}`);
  const skill = await loadSkill(resolve(cwd, opts.skillDir), { requireVersion: true });
  const id = skillKey(scope, skill.name);
  const tag = tagName(scope, skill.name, skill.version);
  const folder = skillPath(scope, skill.name);
  let scan: SkillScan | undefined;
  let signed: { treeId: string; tagBytes: Buffer } | undefined;

  const proposed = await proposeChange({
    registry: opts.registry,
    keyPath: opts.keyPath,
    cwd,
    env,
    progress,
    now,
    preferActor: (p, state) => canPublish(state.scopes, scope, p),
    branchExists: (branch) => `branch ${branch} already exists in the registry; a change for ${tag} is pending there`,
    async plan(state, publisher, signer) {
      progress(`scanning ${id}@${skill.version}`);
      scan = scanSkill({ path: opts.skillDir, files: skill.files }, { rules: state.config.policy.rules });
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
      const sealed = sealsSkill(state.config, state.scopes.get(scope)!, skill.name) ? await sealForScope(state.allowedSigners) : undefined;
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
      async function sealForScope(allowedSigners: string): Promise<SealedVersion> {
        const { recipients, withoutKeys } = scopeRecipients(state.config, state.scopes.get(scope)!, allowedSigners, now);
        const readers = recipients.filter((r) => r.principal !== GATE_PRINCIPAL).map((r) => r.principal);
        progress(`sealing ${id}@${skill.version} to ${[...new Set(readers)].join(", ")} and the registry gate`);
        if (withoutKeys.length > 0) progress(`not sealed to ${withoutKeys.join(", ")}: no key in allowed_signers (skillreg keys add)`);
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
  };
  if (proposed.pullRequest) result.pullRequest = proposed.pullRequest;
  return result;
}
