import { SkillregError } from "../core/index.js";
import { runGit } from "../git/index.js";
import { gitObjectId, type ObjectType } from "../git/index.js";
import { isValidName, isValidVersion, skillKey } from "../core/index.js";
import { isAllowed, principalsForKey, whyKeyRefused, type AllowedSigner } from "./allowed-signers.js";
import type { Signer } from "./signer.js";
import { verifySshsig } from "./sshsig.js";

/**
 * Published versions are annotated tag objects, built and checked here byte for byte as git
 * writes them, so the object the publisher signs is the object `git mktag` recreates at release
 * and `git verify-tag` accepts:
 *
 *   object <tree id>\ntype tree\ntag @scope/name@version\ntagger <ident>\n\n<message>[SSHSIG armour]
 *
 * Tag objects arrive in pull requests and from remotes, so parsing is strict: exactly those four
 * headers in that order, UTF-8, no NULs, at most one signature block.
 */

export interface Tagger {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** "+0000" style offset. */
  tz: string;
}

export interface TagFields {
  object: string;
  type: ObjectType;
  tag: string;
  tagger: Tagger;
  /** The message, ending in "\n" (as git stores it), without the signature. */
  message: string;
}

export interface ParsedTag extends TagFields {
  /** The bytes that were signed: the whole object up to the signature. */
  payload: Buffer;
  /** The armoured SSHSIG, when the tag is signed. */
  signature?: string;
}

export interface TagSigner {
  principal: string;
  fingerprint: string;
  publicKeyLine: string;
}

const SIGNATURE_NAMESPACE = "git";
const SSH_BEGIN = "-----BEGIN SSH SIGNATURE-----";
/** Every armour git recognises as a signature start (gpg-interface.c); any of them ends the payload. */
const SIGNATURE_STARTS = [SSH_BEGIN, "-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----", "-----BEGIN SIGNED MESSAGE-----"];
const OBJECT_ID = /^[0-9a-f]{40}$/;
const TYPES: readonly ObjectType[] = ["tree", "commit", "blob", "tag"];
// No angle brackets (they delimit the email) and no control characters (NUL, newline, escapes).
const IDENT_PART = /^[^<>\x00-\x1f\x7f]*$/;
const TAGGER_LINE = /^([^<>]*[^<> ]) <([^<>]*)> (0|[1-9][0-9]{0,15}) ([+-][0-9]{4})$/;

/**
 * The tagger of a registry tag, derived from the publisher's principal so that it is
 * deterministic and reads back to the same principal: name = the principal itself (not its local
 * part, which two principals can share); email = the principal when it is an email address, else
 * `<principal>@skillreg.invalid` (a reserved TLD: clearly not a mailbox). Times are in UTC.
 * The tagger is a claim; who signed is decided by the signature alone.
 */
export function taggerFor(principal: string, when: Date): Tagger {
  if (principal === "" || principal.trim() !== principal || !IDENT_PART.test(principal)) {
    throw new SkillregError(`principal '${principal}' cannot be a git tagger (no <, >, control characters or edge spaces)`);
  }
  return {
    name: principal,
    email: principal.includes("@") ? principal : `${principal}@skillreg.invalid`,
    timestamp: Math.floor(when.getTime() / 1000),
    tz: "+0000",
  };
}

export function tagName(scope: string, name: string, version: string): string {
  const tag = `${skillKey(scope.replace(/^@/, ""), name)}@${version}`;
  parseTagName(tag);
  return tag;
}

/** "@scope/name@version" -> parts (scope without "@"); the version must be exact semver. */
export function parseTagName(tag: string): { scope: string; name: string; version: string } {
  const m = /^@([^/@]+)\/([^/@]+)@(.+)$/.exec(tag);
  if (!m) throw new SkillregError(`'${tag}' is not a skill tag: expected @<scope>/<name>@<version>`);
  const [, scope, name, version] = m as unknown as [string, string, string, string];
  if (!isValidName(scope)) throw new SkillregError(`tag '${tag}': invalid scope '${scope}' (a-z, 0-9 and single hyphens)`);
  if (!isValidName(name)) throw new SkillregError(`tag '${tag}': invalid skill name '${name}' (a-z, 0-9 and single hyphens)`);
  if (!isValidVersion(version)) throw new SkillregError(`tag '${tag}': '${version}' is not a semver version`);
  return { scope, name, version };
}

function formatTagger(t: Tagger): string {
  return `${t.name} <${t.email}> ${t.timestamp} ${t.tz}`;
}

function signatureStartAt(line: string): boolean {
  return SIGNATURE_STARTS.some((s) => line.startsWith(s));
}

/** The unsigned tag object, byte for byte what `git tag -a` writes for these fields. */
export function buildTagPayload(fields: TagFields): Buffer {
  const { object, type, tag, tagger } = fields;
  if (!OBJECT_ID.test(object)) throw new SkillregError(`tag object: '${object}' is not a git object id`);
  if (!TYPES.includes(type)) throw new SkillregError(`tag object: unknown object type '${type}'`);
  if (!/^[\x21-\x7e]+$/.test(tag)) throw new SkillregError(`tag object: invalid tag name '${tag}'`);
  const taggerLine = formatTagger(tagger);
  if (!TAGGER_LINE.test(taggerLine)) throw new SkillregError(`tag object: invalid tagger '${taggerLine}'`);
  const message = fields.message.endsWith("\n") ? fields.message : `${fields.message}\n`;
  if (message.trim() === "" || message.includes("\0") || Buffer.from(message, "utf8").toString("utf8") !== message) {
    throw new SkillregError("tag object: the message must be non-empty UTF-8 text without NUL bytes");
  }
  if (message.split("\n").some(signatureStartAt)) {
    throw new SkillregError("tag object: the message must not contain a signature armour line");
  }
  return Buffer.from(`object ${object}\ntype ${type}\ntag ${tag}\ntagger ${taggerLine}\n\n${message}`, "utf8");
}

/** Append the SSHSIG armour, as `git tag -s` with gpg.format=ssh does. */
export async function signTag(payload: Buffer, signer: Signer): Promise<Buffer> {
  const signature = await signer.sign(payload, SIGNATURE_NAMESPACE);
  return Buffer.concat([payload, Buffer.from(signature, "utf8")]);
}

/** Git's object id for a tag object: sha1 of "tag <length>\0" + bytes. */
export function tagObjectId(bytes: Buffer): string {
  return gitObjectId("tag", bytes);
}

/** Parse a tag object strictly (see the file comment). Throws a SkillregError naming the defect. */
export function parseTagObject(bytes: Buffer): ParsedTag {
  const bad = (msg: string): never => {
    throw new SkillregError(`malformed tag object: ${msg}`);
  };
  if (bytes.includes(0)) bad("contains a NUL byte");
  let text = "";
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    bad("not valid UTF-8");
  }
  const headerEnd = text.indexOf("\n\n");
  if (headerEnd < 0) bad("no blank line after the headers");
  const headers = text.slice(0, headerEnd).split("\n");
  const expected = ["object", "type", "tag", "tagger"];
  const values: string[] = [];
  headers.forEach((line, i) => {
    const key = line.split(" ", 1)[0]!;
    if (i >= expected.length) bad(`unexpected header '${key}'`);
    if (key !== expected[i]) bad(`expected header '${expected[i]}' on line ${i + 1}, found '${key}'`);
    if (/[\x00-\x1f\x7f]/.test(line)) bad(`control character in the ${key} header`);
    values.push(line.slice(key.length + 1));
  });
  if (values.length < expected.length) bad(`missing header '${expected[values.length]}'`);
  const [object, type, tag, taggerText] = values as [string, string, string, string];
  if (!OBJECT_ID.test(object)) bad(`object '${object}' is not a git object id`);
  if (!(TYPES as readonly string[]).includes(type)) bad(`unknown object type '${type}'`);
  if (!/^[\x21-\x7e]+$/.test(tag)) bad(`invalid tag name '${tag}'`);
  const t = TAGGER_LINE.exec(taggerText);
  if (!t) bad(`invalid tagger '${taggerText}'`);
  const tagger: Tagger = { name: t![1]!, email: t![2]!, timestamp: Number(t![3]), tz: t![4]! };

  const body = text.slice(headerEnd + 2);
  const starts: number[] = [];
  let at = 0;
  for (const line of body.split("\n")) {
    if (signatureStartAt(line)) starts.push(at);
    at += line.length + 1;
  }
  if (starts.length > 1) bad("more than one signature block");
  const sigStart = starts[0];
  const message = sigStart === undefined ? body : body.slice(0, sigStart);
  const signature = sigStart === undefined ? undefined : body.slice(sigStart);
  if (signature !== undefined && !signature.startsWith(SSH_BEGIN)) bad("signed with GPG or X.509; only SSH signatures are supported");
  const payloadLength = Buffer.byteLength(text.slice(0, headerEnd + 2) + message, "utf8");
  return {
    object,
    type: type as ObjectType,
    tag,
    tagger,
    message,
    payload: Buffer.from(bytes.subarray(0, payloadLength)),
    ...(signature !== undefined && { signature }),
  };
}

/**
 * Check the tag's SSH signature (namespace "git") and name its signer from allowed_signers, with
 * the key's validity judged at `at` (the time the release recorded, not the tagger's claim).
 * With `publishers`, the signer must be one of them (e.g. the scope's maintainers and owners).
 * The tagger's name is preferred when the key is allowed for it; otherwise the first allowed
 * literal principal is returned.
 */
export function verifyTagSignature(
  parsed: ParsedTag,
  signers: readonly AllowedSigner[],
  options: { at: Date; publishers?: readonly string[] },
): TagSigner {
  if (parsed.signature === undefined) throw new SkillregError(`tag ${parsed.tag} is not signed`);
  let verified;
  try {
    verified = verifySshsig(parsed.payload, parsed.signature, SIGNATURE_NAMESPACE);
  } catch (e) {
    if (e instanceof SkillregError) throw new SkillregError(`tag ${parsed.tag}: ${e.message}`);
    throw e;
  }
  const { publicKeyBlob, fingerprint, publicKeyLine } = verified;
  const use = { namespace: SIGNATURE_NAMESPACE, at: options.at };
  const patterns = principalsForKey(signers, publicKeyBlob, use);
  if (patterns.length === 0) {
    throw new SkillregError(`tag ${parsed.tag} is signed by key ${fingerprint}, but ${whyKeyRefused(signers, publicKeyBlob, use)}`);
  }
  const candidates = (options.publishers ?? patterns.filter((p) => !/[*?]/.test(p))).filter((p) =>
    isAllowed(signers, p, publicKeyBlob, use),
  );
  const tagger = parsed.tagger.name;
  const taggerAllowed =
    (options.publishers?.includes(tagger) ?? true) && isAllowed(signers, tagger, publicKeyBlob, use);
  const principal = taggerAllowed ? tagger : candidates[0];
  if (principal === undefined) {
    const who = `key ${fingerprint} (allowed for ${patterns.join(", ")})`;
    throw new SkillregError(
      options.publishers
        ? `tag ${parsed.tag} is signed by ${who}, who is not among the allowed publishers: ${options.publishers.join(", ") || "none"}`
        : `tag ${parsed.tag} is signed by ${who}, which names no principal; the tagger '${parsed.tagger.name}' does not match`,
    );
  }
  return { principal, fingerprint, publicKeyLine };
}

/** Store a tag object with `git mktag` (git's own checks) and return its id. */
export async function writeTagObject(repoDir: string, bytes: Buffer): Promise<string> {
  const id = (await runGit(["mktag"], { cwd: repoDir, input: bytes })).stdout.trim();
  const expected = tagObjectId(bytes);
  if (id !== expected) throw new SkillregError(`git mktag stored tag object ${id}, expected ${expected}: the bytes were altered`);
  return id;
}

/** The raw bytes of the tag object `ref` names (a tag name, refs/tags/..., or an object id). */
export async function readTagObject(repoDir: string, ref: string): Promise<Buffer> {
  if (ref.startsWith("-") || ref === "") throw new SkillregError(`invalid tag reference '${ref}'`);
  return (await runGit(["cat-file", "tag", ref], { cwd: repoDir, raw: true })).bytes;
}
