import { readFile } from "node:fs/promises";
import { SEALED_DIR, SkillregError, parseScopeFile, parseSealedEnvelopePath, scopeFilePath, sealedEnvelopePath, skillKey } from "../core/index.js";
import { lsTree } from "../git/index.js";
import { fingerprintOf } from "../trust/index.js";
import {
  SEALED_MANIFEST_FILE,
  parseSealEnvelope,
  readStoredSealedVersion,
  rewrapSealed,
  scopeRecipients,
  sealIdentityFromText,
  type SealIdentity,
} from "../seal/index.js";
import type { PlannedChange, ScopeEdit } from "./access.js";
import { planScopeChange, type RegistryState } from "./propose.js";

/**
 * Granting a role in a sealing registry lets the new member read the scope's versions that
 * are already published: the same change re-wraps each sealed version's envelope to the
 * scope's members after the grant, opened with the granter's own key. The versions and
 * their signatures stay byte for byte as published; only envelopes change, and the gate
 * checks each one still opens its payload with the gate key.
 */
export async function planGrant(state: RegistryState, scope: string, edit: ScopeEdit & { kind: "grant" }, actor: string, now = new Date()): Promise<PlannedChange> {
  const plan = await planScopeChange(state, scope, edit, actor);
  if (!state.config.sealing) return plan;
  const scopePath = scopeFilePath(scope);
  const scopeFile = parseScopeFile(plan.files.find((f) => f.path === scopePath)!.content, scopePath);
  const envelopes = (await lsTree(state.dir, "HEAD", [`${SEALED_DIR}/${scope}/`], true)).map((e) => parseSealedEnvelopePath(e.path)).filter((id) => id !== undefined);
  if (envelopes.length === 0) return plan;

  const { recipients } = scopeRecipients(state.config, scopeFile, state.allowedSigners, now);
  const wanted = [...new Set(recipients.map((r) => fingerprintOf(r.key)))].sort().join(" ");
  let identity: SealIdentity;
  try {
    identity = sealIdentityFromText(await readFile(state.keyPath, "utf8"), state.keyPath);
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    return { ...plan, body: `${plan.body}\n\nSealed versions were not re-wrapped (${e.message}); ${edit.principal} reads the versions published from now on.` };
  }

  const files = [...plan.files];
  const rewrapped: string[] = [];
  const skipped: string[] = [];
  for (const id of envelopes) {
    const label = `${skillKey(id.scope, id.name)}@${id.version}`;
    const stored = await readStoredSealedVersion(state.dir, "HEAD", id);
    if (!stored?.envelopeText) continue;
    // Already sealed to exactly these keys (a role change among members): leave it alone.
    const current = parseSealEnvelope(stored.envelopeText, label);
    if ([...new Set(current.recipients.map((r) => r.fingerprint))].sort().join(" ") === wanted) continue;
    const manifest = stored.files.find((f) => f.path === SEALED_MANIFEST_FILE)!;
    const payload = stored.files.find((f) => f.path !== SEALED_MANIFEST_FILE)!;
    try {
      const next = await rewrapSealed(
        { manifestText: Buffer.from(manifest.bytes).toString("utf8"), payload: payload.bytes, envelopeText: stored.envelopeText, expect: id },
        identity,
        recipients,
      );
      files.push({ path: sealedEnvelopePath(id.scope, id.name, id.version), content: next.envelopeText });
      rewrapped.push(label);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      skipped.push(e.message);
    }
  }
  const notes = [
    rewrapped.length > 0 ? `Re-wraps ${rewrapped.length} sealed version(s) so ${edit.principal} can read them: ${rewrapped.join(", ")}.` : "",
    skipped.length > 0 ? `Not re-wrapped with ${actor}'s key: ${skipped.join("; ")}.` : "",
  ].filter(Boolean);
  return { ...plan, files, body: notes.length > 0 ? `${plan.body}\n\n${notes.join("\n")}` : plan.body };
}
