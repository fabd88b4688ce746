import { readFile } from "node:fs/promises";
import semver from "semver";
import { PUBLISH_DIR, SkillregError, parsePublishPath, parseScopeFile, scopeFilePath, sealedEnvelopePath, skillKey, skillVisibility, type ScopeFile } from "../core/index.js";
import { lsTree } from "../git/index.js";
import { SEALED_MANIFEST_FILE, discloseSealed, readStoredSealedVersion, sealIdentityFromText, type SealIdentity, type StoredSealedVersion } from "../seal/index.js";
import type { PlannedChange, ScopeEdit } from "./access.js";
import { planScopeChange, type RegistryState } from "./propose.js";

/**
 * `skillreg visibility` in a registry that seals. Making a skill private seals its future
 * versions, and says which earlier versions stay readable to everyone in Git history. Making a
 * sealed skill public discloses the file key of each of its sealed versions in the same
 * change (opened with the proposer's key), so anyone reads the versions as published and
 * their signatures stay valid; the gate checks every disclosure.
 */

const CLEAN_REGISTRY =
  "for secret material start a clean registry (skillreg init, turn sealing on, push the current versions there) and retire this one (docs/sealed.md, 'Existing registries')";

export async function planVisibility(state: RegistryState, scope: string, edit: ScopeEdit & { kind: "visibility" }, actor: string): Promise<PlannedChange> {
  const plan = await planScopeChange(state, scope, edit, actor);
  const scopePath = scopeFilePath(scope);
  const after = parseScopeFile(plan.files.find((f) => f.path === scopePath)!.content, scopePath);
  const published = await publishedSkills(state, scope, edit.skill);
  if (edit.visibility === "private") {
    if (!state.config.sealing) {
      return withNotes(plan, [
        `this registry does not seal: @${scope}${edit.skill ? `/${edit.skill}` : ""} leaves public builds, but everyone who can read the repository still reads its files; an admin turns sealing on to make private skills readable to members only (docs/sealed.md)`,
      ]);
    }
    const plaintext: string[] = [];
    for (const [name, versions] of published) {
      if (skillVisibility(after, name) !== "private") continue;
      for (const version of versions) {
        if (!(await readStoredSealedVersion(state.dir, "HEAD", { scope, name, version }))) plaintext.push(`${skillKey(scope, name)}@${version}`);
      }
    }
    if (plaintext.length === 0) return plan;
    return withNotes(plan, [
      `only versions pushed from now on are sealed: the earlier versions published unsealed (${plaintext.join(", ")}) stay readable to everyone with the repository, in Git history and their tags; ${CLEAN_REGISTRY}`,
    ]);
  }
  return state.config.sealing ? disclose(state, plan, scope, after, published, actor) : plan;
}

/** Published versions of the scope's skills (or the one skill), by skill name, in semver order. */
async function publishedSkills(state: RegistryState, scope: string, only: string | undefined): Promise<Map<string, string[]>> {
  const byName = new Map<string, string[]>();
  for (const entry of await lsTree(state.dir, "HEAD", [`${PUBLISH_DIR}/${scope}/${only ? `${only}/` : ""}`], true)) {
    const ref = parsePublishPath(entry.path);
    if (ref) byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref.version]);
  }
  for (const [name, versions] of byName) byName.set(name, semver.sort(versions.filter((v) => semver.valid(v))));
  return byName;
}

/** Disclose the file key of every sealed version of the skills the change makes public. */
async function disclose(state: RegistryState, plan: PlannedChange, scope: string, after: ScopeFile, published: Map<string, string[]>, actor: string): Promise<PlannedChange> {
  const sealed: { id: { scope: string; name: string; version: string }; stored: StoredSealedVersion & { envelopeText: string } }[] = [];
  for (const [name, versions] of published) {
    if (skillVisibility(after, name) !== "public") continue;
    for (const version of versions) {
      const id = { scope, name, version };
      const stored = await readStoredSealedVersion(state.dir, "HEAD", id);
      if (stored?.envelopeText !== undefined) sealed.push({ id, stored: { ...stored, envelopeText: stored.envelopeText } });
    }
  }
  if (sealed.length === 0) return plan;
  let identity: SealIdentity;
  try {
    identity = sealIdentityFromText(await readFile(state.keyPath, "utf8"), state.keyPath);
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    throw new SkillregError(`making @${scope} public discloses its ${sealed.length} sealed versions, which needs a key that opens them: ${e.message}`);
  }
  const files = [...plan.files];
  const disclosed: string[] = [];
  const closed: string[] = [];
  for (const { id, stored } of sealed) {
    const label = `${skillKey(id.scope, id.name)}@${id.version}`;
    const manifest = stored.files.find((f) => f.path === SEALED_MANIFEST_FILE)!;
    const payload = stored.files.find((f) => f.path !== SEALED_MANIFEST_FILE)!;
    try {
      const next = await discloseSealed(
        { manifestText: Buffer.from(manifest.bytes).toString("utf8"), payload: payload.bytes, envelopeText: stored.envelopeText, expect: id },
        identity,
      );
      files.push({ path: sealedEnvelopePath(id.scope, id.name, id.version), content: next.envelopeText });
      disclosed.push(label);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      closed.push(`${label} (${e.message})`);
    }
  }
  const notes = [
    ...(disclosed.length > 0
      ? [`discloses the file keys of ${disclosed.join(", ")}: once this lands everyone with the repository reads them, for good (the versions and their signatures stay as published)`]
      : []),
    ...(closed.length > 0 ? [`${actor}'s key does not open ${closed.join("; ")}: they stay sealed and public builds leave them out`] : []),
  ];
  return withNotes({ ...plan, files }, notes);
}

/** The plan with `notes` as warnings for the proposer and in the change's message for its reviewers. */
function withNotes(plan: PlannedChange, notes: string[]): PlannedChange {
  return { ...plan, body: `${plan.body}\n\n${notes.map((n) => `Note: ${n}.`).join("\n")}`, warnings: [...(plan.warnings ?? []), ...notes] };
}
