import { readFile } from "node:fs/promises";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { Decrypter, Encrypter, type Identity, type Stanza } from "age-encryption";
import { checkRelativePath, comparePaths, parseJsonWithSchema, sha256Hex, skillSha256, SkillregError } from "../core/index.js";
import { parsePrivateKey, parsePublicKey, type SshPublicKey } from "../trust/index.js";
import {
  FORMATS,
  sealEnvelopeSchema,
  sealedContainerSchema,
  sealedManifestSchema,
  type SealEnvelope,
  type SealedContainer,
  type SealedManifest,
} from "./schema.js";
import { base64NoPad, SshEd25519Identity, SshEd25519Recipient } from "./ssh-ed25519.js";

/** A file of the skill as sealed: what git would record for it. */
export interface PlainFile {
  path: string;
  executable: boolean;
  bytes: Uint8Array;
}

/** Which version a sealed payload claims to be. */
export interface VersionId {
  scope: string;
  name: string;
  version: string;
}

/** A member (or the gate) who may read: their principal and their ssh-ed25519 public key line. */
export interface SealRecipient {
  principal: string;
  key: string;
}

/** An ssh-ed25519 private key able to open sealed versions. */
export interface SealIdentity {
  publicKey: SshPublicKey;
  /** Where the key came from, for messages. */
  source: string;
  ageIdentity: SshEd25519Identity;
}

/** The three texts of a sealed version; see schema.ts for why there are three. */
export interface SealedVersion {
  manifest: SealedManifest;
  /** sealed.json as stored in the signed tree. */
  manifestText: string;
  /** payload.age-body as stored in the signed tree. */
  payload: Uint8Array;
  envelope: SealEnvelope;
  /** The envelope as stored beside the signed tree. */
  envelopeText: string;
}

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

function label(v: VersionId): string {
  return `@${v.scope}/${v.name}@${v.version}`;
}

/** Stable JSON text: two-space indent and a final newline, like every file the registry writes. */
function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Read an OpenSSH ed25519 private key (unencrypted) as an identity for opening sealed versions. */
export async function loadSealIdentity(path: string): Promise<SealIdentity> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new SkillregError(`${path}: cannot read the identity (${(e as NodeJS.ErrnoException).code ?? "error"}); pass an OpenSSH ed25519 private key with --identity`);
  }
  return sealIdentityFromText(text, path);
}

export function sealIdentityFromText(text: string, source: string): SealIdentity {
  const key = parsePrivateKey(text, source);
  if (key.encrypted) {
    // ssh-agent cannot help here: it signs, and opening needs X25519 with the secret itself.
    throw new SkillregError(
      `${source}: the key is passphrase-protected and SkillReg cannot prompt for it; open the version with the age CLI (age -d -i ${source}) or pass an unencrypted key`,
    );
  }
  const seed = Buffer.from(key.privateKey.export({ format: "jwk" }).d ?? "", "base64url");
  return { publicKey: key.publicKey, source, ageIdentity: new SshEd25519Identity(seed, key.publicKey) };
}

/** Parse, deduplicate and order the recipients; every one must be an ssh-ed25519 key. */
export function recipientKeys(recipients: readonly SealRecipient[], where: string): { principal: string; key: SshPublicKey }[] {
  if (recipients.length === 0) throw new SkillregError(`${where}: cannot seal to nobody; a sealed version needs at least one recipient`);
  const byFingerprint = new Map<string, { principal: string; key: SshPublicKey }>();
  for (const r of recipients) {
    const key = parsePublicKey(r.key, `${where}: recipient ${r.principal}`);
    if (!byFingerprint.has(key.fingerprint)) byFingerprint.set(key.fingerprint, { principal: r.principal, key });
  }
  return [...byFingerprint.values()].sort((a, b) => comparePaths(a.key.fingerprint, b.key.fingerprint));
}

function envelopeRecipients(keys: { principal: string; key: SshPublicKey }[]): SealEnvelope["recipients"] {
  return keys.map(({ principal, key }) => ({ principal, fingerprint: key.fingerprint }));
}

/** Split what Encrypter wrote into the age header (through its MAC line) and the payload. */
function splitAgeFile(file: Uint8Array): { header: string; payload: Uint8Array } {
  const text = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  // Stanza lines start with "->" or are base64, so the first line starting "---" is the MAC line.
  const macLine = text.indexOf("\n--- ");
  const end = macLine < 0 ? -1 : text.indexOf("\n", macLine + 1);
  if (end < 0) throw new Error("age output without a header MAC line");
  return { header: text.subarray(0, end + 1).toString("latin1"), payload: file.subarray(end + 1) };
}

/**
 * The age header for `stanzas`, with the MAC keyed by `fileKey` (age.md: HMAC-SHA-256 under
 * HKDF(file key, info "header") over the header up to "---"). age-encryption keeps its header
 * encoder private and always draws a fresh file key, so re-wrapping an existing payload
 * needs this one function of its own; `age -d` in the tests checks it.
 */
function encodeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): string {
  let text = "age-encryption.org/v1\n";
  for (const stanza of stanzas) {
    text += `-> ${stanza.args.join(" ")}\n`;
    const body = base64NoPad(stanza.body);
    const full = body.length - (body.length % 64);
    for (let i = 0; i < full; i += 64) text += `${body.slice(i, i + 64)}\n`;
    // The last body line is always shorter than a full line, empty if need be: it ends the stanza.
    text += `${body.slice(full)}\n`;
  }
  text += "---";
  const mac = hmac(sha256, hkdf(sha256, fileKey, undefined, utf8.encode("header"), 32), utf8.encode(text));
  return `${text} ${base64NoPad(mac)}\n`;
}

/**
 * Seal a version's files to `recipients`: the container of files is encrypted once, as one
 * age payload, and each recipient gets a stanza in the envelope's header.
 */
export async function sealVersion(id: VersionId, files: readonly PlainFile[], recipients: readonly SealRecipient[]): Promise<SealedVersion> {
  const where = label(id);
  const keys = recipientKeys(recipients, where);
  const sorted = [...files].sort((a, b) => comparePaths(a.path, b.path));
  const salt = randomBytes(32);
  const plaintextHmacSha256 = plaintextHmac(salt, skillSha256(sorted));
  const container: SealedContainer = {
    format: FORMATS.container,
    ...versionFields(id),
    salt: Buffer.from(salt).toString("base64"),
    files: sorted.map((f) => ({ path: f.path, mode: f.executable ? "100755" : "100644", base64: Buffer.from(f.bytes).toString("base64") })),
  };
  const encrypter = new Encrypter();
  for (const { key } of keys) encrypter.addRecipient(new SshEd25519Recipient(key));
  const { header, payload } = splitAgeFile(await encrypter.encrypt(utf8.encode(JSON.stringify(container))));
  const payloadSha256 = sha256Hex(payload);
  const manifest: SealedManifest = { format: FORMATS.sealed, ...versionFields(id), plaintextHmacSha256, payloadSha256 };
  const envelope: SealEnvelope = { format: FORMATS.envelope, ...versionFields(id), payloadSha256, recipients: envelopeRecipients(keys), header };
  return { manifest, manifestText: jsonText(manifest), payload, envelope, envelopeText: jsonText(envelope) };
}

/**
 * What sealed.json (format 2) and the tag bind: HMAC-SHA-256 of the files' skill hash, keyed
 * by the salt sealed inside the payload. Anyone with the plaintext and the salt (a recipient)
 * checks it; without the salt a guessed plaintext cannot be confirmed against it.
 */
function plaintextHmac(salt: Uint8Array, skillHash: string): string {
  return Buffer.from(hmac(sha256, salt, utf8.encode(`skillreg-sealed-plaintext/2 ${skillHash}`))).toString("hex");
}

function versionFields(id: VersionId): VersionId {
  return { scope: id.scope, name: id.name, version: id.version };
}

export function parseSealedManifest(text: string, where: string): SealedManifest {
  return parseJsonWithSchema<SealedManifest>(text, sealedManifestSchema, {
    notJson: (reason) => `${where}: sealed.json is not valid JSON (${reason})`,
    mismatch: (problems) => `${where}: sealed.json is not a sealed-version manifest: ${problems.join("; ")}`,
  });
}

export function parseSealEnvelope(text: string, where: string): SealEnvelope {
  return parseJsonWithSchema<SealEnvelope>(text, sealEnvelopeSchema, {
    notJson: (reason) => `${where}: the recipient envelope is not valid JSON (${reason})`,
    mismatch: (problems) => `${where}: the recipient envelope is malformed or truncated: ${problems.join("; ")}`,
  });
}

/** What a sealed version holds once opened and checked. */
export interface OpenedVersion {
  manifest: SealedManifest;
  envelope: SealEnvelope;
  /** Sorted by path; they match the plaintext binding of sealed.json. */
  files: PlainFile[];
}

export interface SealedInput {
  manifestText: string;
  payload: Uint8Array;
  envelopeText: string;
  /** The version the caller asked for: a sealed version claiming to be another one is refused. */
  expect?: VersionId;
}

/**
 * Open a sealed version with one identity: check that the three parts belong together,
 * decrypt, and verify the files against the plaintext hash in sealed.json. Every failure
 * is one SkillregError line naming the version and what is wrong.
 */
export async function openSealed(input: SealedInput, identity: SealIdentity | undefined): Promise<OpenedVersion> {
  return (await openWithFileKey(input, identity)).opened;
}

/**
 * The file key a disclosure publishes, as an age identity: it answers every header with that
 * key, and age then checks the header's MAC with it, so a wrong key fails as a tampered header.
 */
function disclosedIdentity(fileKeyText: string): Identity {
  const fileKey = Buffer.from(fileKeyText, "base64");
  return { unwrapFileKey: () => fileKey };
}

/**
 * Open with `identity`, or with the envelope's disclosed file key when no identity is given
 * (a sealed version of a skill made public).
 */
async function openWithFileKey(input: SealedInput, identity: SealIdentity | undefined): Promise<{ opened: OpenedVersion; fileKey: Uint8Array }> {
  const manifest = parseSealedManifest(input.manifestText, input.expect ? label(input.expect) : "sealed version");
  const where = label(manifest);
  if (input.expect && label(input.expect) !== where) throw new SkillregError(`${label(input.expect)}: sealed.json says it is ${where}; refusing a payload of another version`);
  const envelope = parseSealEnvelope(input.envelopeText, where);
  if (label(envelope) !== where) throw new SkillregError(`${where}: the recipient envelope belongs to ${label(envelope)}`);
  const payloadSha256 = sha256Hex(input.payload);
  if (payloadSha256 !== manifest.payloadSha256) {
    throw new SkillregError(`${where}: the sealed payload is corrupted (its sha256 ${payloadSha256.slice(0, 12)}… differs from sealed.json's ${manifest.payloadSha256.slice(0, 12)}…)`);
  }
  if (envelope.payloadSha256 !== manifest.payloadSha256) throw new SkillregError(`${where}: the recipient envelope was made for another payload`);

  const decrypter = new Decrypter();
  if (identity) decrypter.addIdentity(identity.ageIdentity);
  else if (envelope.disclosedFileKey !== undefined) decrypter.addIdentity(disclosedIdentity(envelope.disclosedFileKey));
  else throw new SkillregError(`${where} is sealed and its file key is not disclosed; open it with a member's key`);
  const header = utf8.encode(envelope.header);
  let fileKey: Uint8Array;
  try {
    fileKey = await decrypter.decryptHeader(header);
  } catch (e) {
    const reason = (e as Error).message;
    if (identity && reason.startsWith("no identity matched")) {
      throw new SkillregError(
        `${where} is sealed and the key ${identity.publicKey.fingerprint} (${identity.source}) is not one of its ${envelope.recipients.length} recipients; an owner of @${manifest.scope} grants read access with: skillreg access grant @${manifest.scope} <you> --role reader`,
      );
    }
    throw new SkillregError(`${where}: the recipient header is malformed or was tampered with (${reason})`);
  }
  let plaintext: Uint8Array;
  try {
    const file = new Uint8Array(header.length + input.payload.length);
    file.set(header, 0);
    file.set(input.payload, header.length);
    plaintext = await decrypter.decrypt(file);
  } catch (e) {
    throw new SkillregError(`${where}: the sealed payload does not decrypt (${(e as Error).message}); it is corrupted or was not sealed with this header`);
  }
  const files = readContainer(plaintext, manifest);
  return { opened: { manifest, envelope, files }, fileKey };
}

/** Decode the container inside the payload and check it against the signed manifest. */
function readContainer(plaintext: Uint8Array, manifest: SealedManifest): PlainFile[] {
  const where = label(manifest);
  let text: string;
  try {
    text = utf8Strict.decode(plaintext);
  } catch {
    throw new SkillregError(`${where}: the sealed payload decrypts to something that is not a SkillReg container`);
  }
  const container = parseJsonWithSchema<SealedContainer>(text, sealedContainerSchema, {
    notJson: () => `${where}: the sealed payload decrypts to something that is not a SkillReg container`,
    mismatch: (problems) => `${where}: the sealed container is malformed: ${problems.join("; ")}`,
  });
  if (label(container) !== where) throw new SkillregError(`${where}: the sealed payload holds ${label(container)}; refusing a payload of another version`);
  const files: PlainFile[] = [];
  for (const f of container.files) {
    const bad = checkRelativePath(f.path);
    if (bad) throw new SkillregError(`${where}: sealed file ${bad.message}`);
    const bytes = Buffer.from(f.base64, "base64");
    if (bytes.toString("base64") !== f.base64) throw new SkillregError(`${where}: sealed file '${f.path}' is not canonical base64`);
    files.push({ path: f.path, executable: f.mode === "100755", bytes });
  }
  // skillSha256 refuses duplicate paths; the order is checked so the container has one reading.
  const inOrder = files.every((f, i) => i === 0 || comparePaths(files[i - 1]!.path, f.path) < 0);
  if (!inOrder) throw new SkillregError(`${where}: the sealed container's files are not in path order`);
  const skillHash = skillSha256(files);
  let actual: string;
  let bound: string;
  if (manifest.format === FORMATS.sealedV1) {
    [actual, bound] = [skillHash, manifest.plaintextSha256];
  } else {
    if (container.salt === undefined) throw new SkillregError(`${where}: the sealed container has no salt for sealed.json's plaintext HMAC; refusing it`);
    [actual, bound] = [plaintextHmac(Buffer.from(container.salt, "base64"), skillHash), manifest.plaintextHmacSha256];
  }
  if (actual !== bound) {
    throw new SkillregError(`${where}: the opened files hash to ${actual.slice(0, 12)}…, not sealed.json's ${bound.slice(0, 12)}…; refusing them`);
  }
  return files;
}

/**
 * A new envelope for the same payload, readable by `recipients`: open the version with
 * `identity` (which proves the file key really opens this payload), then wrap that file
 * key to each recipient. sealed.json and the payload stay byte for byte as published, so
 * the publisher's signature still covers them.
 */
export async function rewrapSealed(input: SealedInput, identity: SealIdentity, recipients: readonly SealRecipient[]): Promise<{ envelope: SealEnvelope; envelopeText: string }> {
  const { opened, fileKey } = await openWithFileKey(input, identity);
  const keys = recipientKeys(recipients, label(opened.manifest));
  const stanzas = keys.flatMap(({ key }) => new SshEd25519Recipient(key).wrapFileKey(fileKey));
  const envelope: SealEnvelope = { ...opened.envelope, recipients: envelopeRecipients(keys), header: encodeHeader(stanzas, fileKey) };
  return { envelope, envelopeText: jsonText(envelope) };
}

/**
 * The envelope of a version whose skill is made public: the same header, plus its file key in
 * the clear, so anyone opens it without a key while the signed tree stays as published. Opening
 * with `identity` first proves the file key is the one this payload was sealed under.
 */
export async function discloseSealed(input: SealedInput, identity: SealIdentity): Promise<{ envelope: SealEnvelope; envelopeText: string }> {
  const { opened, fileKey } = await openWithFileKey(input, identity);
  const envelope: SealEnvelope = { ...opened.envelope, disclosedFileKey: base64NoPad(fileKey) };
  return { envelope, envelopeText: jsonText(envelope) };
}

/** Whether an envelope's text discloses its version's file key (an unreadable envelope does not). */
export function isDisclosedEnvelope(envelopeText: string): boolean {
  try {
    return parseSealEnvelope(envelopeText, "sealed version").disclosedFileKey !== undefined;
  } catch (e) {
    if (e instanceof SkillregError) return false;
    throw e;
  }
}

/** The envelope's header followed by the payload: a standard age file, for `age -d`. */
export function ageFileOf(envelopeText: string, payload: Uint8Array): Uint8Array {
  const envelope = parseSealEnvelope(envelopeText, "sealed version");
  return Buffer.concat([Buffer.from(envelope.header, "latin1"), payload]);
}

/**
 * The line the publisher's signed tag message carries for a sealed version, binding the
 * plaintext the signature vouches for (the tree it points at holds only ciphertext).
 */
export function plaintextBinding(manifest: SealedManifest): string {
  return manifest.format === FORMATS.sealedV1 ? `Sealed-Plaintext-SHA256: ${manifest.plaintextSha256}` : `Sealed-Plaintext-HMAC-SHA256: ${manifest.plaintextHmacSha256}`;
}
