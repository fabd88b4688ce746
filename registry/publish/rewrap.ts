import { readFile } from "node:fs/promises";
import { ROLES, SEALED_DIR, SkillregError, membersWith, parseScopeFile, parseSealedEnvelopePath, scopeFilePath, sealedEnvelopePath, skillKey, type ScopeFile } from "../core/index.js";
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
import { planKeyAddition, planKeyRevocation, type PlannedChange, type ScopeEdit } from "./access.js";
import { planScopeChange, type RegistryState } from "./propose.js";

/**
 * Membership and key changes in a sealing registry re-wrap the envelopes of versions already
 * published, so whoever may read the scope now reads them: granting a role (with the granter's
 * key) and adding a member's key, e.g. a rotated one (with the proposer's key, or --identity).
 * The versions and their signatures stay byte for byte as published; only envelopes change,
 * and the gate checks each one still opens its payload with the gate key.
 */

/** Envelopes re-written in the change, and the versions the opening key could not re-wrap. */
interface Rewrapped {
  files: { path: string; content: string }[];
  rewrapped: string[];
  /** Versions left as they are, with why. */
  skipped: { label: string; reason: string }[];
}

/**
 * Re-wrap every sealed version of `scope` whose envelope is not already sealed to exactly the
 * keys of its members under `allowedSigners` at `now` (plus the gate key), opened with `identity`.
 */
async function rewrapScope(state: RegistryState, scope: string, scopeFile: ScopeFile, allowedSigners: string, identity: SealIdentity, now: Date): Promise<Rewrapped> {
  const done: Rewrapped = { files: [], rewrapped: [], skipped: [] };
  const envelopes = (await lsTree(state.dir, "HEAD", [`${SEALED_DIR}/${scope}/`], true)).map((e) => parseSealedEnvelopePath(e.path)).filter((id) => id !== undefined);
  if (envelopes.length === 0) return done;
  const { recipients } = scopeRecipients(state.config, scopeFile, allowedSigners, now);
  const wanted = [...new Set(recipients.map((r) => fingerprintOf(r.key)))].sort().join(" ");
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
      done.files.push({ path: sealedEnvelopePath(id.scope, id.name, id.version), content: next.envelopeText });
      done.rewrapped.push(label);
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      done.skipped.push({ label, reason: e.message });
    }
  }
  return done;
}

/** The proposer's own key as an identity that opens sealed versions, or why it cannot. */
async function proposerIdentity(state: RegistryState): Promise<SealIdentity | string> {
  try {
    return sealIdentityFromText(await readFile(state.keyPath, "utf8"), state.keyPath);
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    return e.message;
  }
}

function withRewrapNotes(plan: PlannedChange, done: Rewrapped, reader: string, opener: string): PlannedChange {
  const notes = [
    done.rewrapped.length > 0 ? `Re-wraps ${done.rewrapped.length} sealed version(s) so ${reader} can read them: ${done.rewrapped.join(", ")}.` : "",
    done.skipped.length > 0 ? `Not re-wrapped with ${opener}'s key: ${done.skipped.map((k) => k.reason).join("; ")}.` : "",
  ].filter(Boolean);
  return { ...plan, files: [...plan.files, ...done.files], body: notes.length > 0 ? `${plan.body}\n\n${notes.join("\n")}` : plan.body };
}

/** A grant: the scope file edit, and in a sealing registry the scope's envelopes re-wrapped for the new member. */
export async function planGrant(state: RegistryState, scope: string, edit: ScopeEdit & { kind: "grant" }, actor: string, now = new Date()): Promise<PlannedChange> {
  const plan = await planScopeChange(state, scope, edit, actor);
  if (!state.config.sealing) return plan;
  const scopePath = scopeFilePath(scope);
  const scopeFile = parseScopeFile(plan.files.find((f) => f.path === scopePath)!.content, scopePath);
  const identity = await proposerIdentity(state);
  if (typeof identity === "string") {
    return { ...plan, body: `${plan.body}\n\nSealed versions were not re-wrapped (${identity}); ${edit.principal} reads the versions published from now on.` };
  }
  return withRewrapNotes(plan, await rewrapScope(state, scope, scopeFile, state.allowedSigners, identity, now), edit.principal, actor);
}

export interface KeyAdditionRequest {
  principal: string;
  keyText: string;
  keyFile: string;
  /** The fingerprint of the principal's key the new one replaces: revoked in the same change. */
  replaces?: string;
  /** The key that opens the sealed versions to re-wrap; default the proposer's --key. */
  opener?: SealIdentity;
}

/**
 * `keys add --key`: the new allowed_signers line (and, for a rotation, the old key revoked),
 * and in a sealing registry every sealed version of the principal's scopes re-wrapped to the
 * keys valid after the change: the new key reads the versions published before it, and a
 * replaced key is left out of the re-wrapped envelopes and of every later version.
 */
export async function planKeyChange(state: RegistryState, req: KeyAdditionRequest, actor: string, now = new Date()): Promise<PlannedChange> {
  const added = planKeyAddition(state.config, state.allowedSigners, req.principal, req.keyText, req.keyFile, actor);
  let plan: PlannedChange = added;
  if (req.replaces !== undefined) {
    const revoked = planKeyRevocation(state.config, String(added.files[0]!.content), req.principal, req.replaces, actor, now);
    plan = { ...added, title: `Rotate the signing key of ${req.principal}`, body: `${added.body}\n${revoked.body}`, files: revoked.files };
  }
  if (!state.config.sealing) return plan;
  const signers = String(plan.files[0]!.content);
  const scopes = [...state.scopes].filter(([, file]) => membersWith(file, ROLES).includes(req.principal));
  if (scopes.length === 0) return plan;
  const identity = req.opener ?? (await proposerIdentity(state));
  if (typeof identity === "string") {
    return { ...plan, body: `${plan.body}\n\nSealed versions were not re-wrapped (${identity}); the new key reads the versions published from now on.` };
  }
  const done: Rewrapped = { files: [], rewrapped: [], skipped: [] };
  for (const [scope, file] of scopes) {
    const one = await rewrapScope(state, scope, file, signers, identity, now);
    done.files.push(...one.files);
    done.rewrapped.push(...one.rewrapped);
    done.skipped.push(...one.skipped);
  }
  const next = withRewrapNotes(plan, done, `${req.principal}'s new key ${added.fingerprint}`, req.opener ? identity.source : actor);
  return done.skipped.length > 0
    ? {
        ...next,
        warnings: [
          `${done.skipped.length} sealed version(s) were not re-wrapped for the new key, ${req.opener ? identity.source : `${actor}'s key`} does not open them (${done.skipped.map((k) => k.label).join(", ")}); pass --identity with the key of a member of their scope, or the scope's next grant re-wraps them (the commit message says why for each)`,
        ],
      }
    : next;
}
