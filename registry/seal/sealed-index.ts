import { armor, Decrypter, Encrypter } from "age-encryption";
import { parseJsonWithSchema, SkillregError } from "../core/index.js";
import { FORMATS, sealedIndexFileSchema, type SealedIndexFile } from "./schema.js";
import { recipientKeys, type SealIdentity, type SealRecipient } from "./seal.js";
import { SshEd25519Recipient } from "./ssh-ed25519.js";

/**
 * Index files of an internal catalog, sealed to the scope's readers and the gate key: the
 * catalog is hosted behind sign-in, yet whoever is let in still needs membership of the scope
 * to read a sealed skill's versions, description and findings, as with the versions themselves.
 */

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder("utf-8", { fatal: true });

/** Seal the text of `@scope/name`'s index file to `recipients`; the result is the file served in its place. */
export async function sealIndexFile(scope: string, name: string, text: string, recipients: readonly SealRecipient[]): Promise<string> {
  const keys = recipientKeys(recipients, `@${scope}/${name}`);
  const encrypter = new Encrypter();
  for (const { key } of keys) encrypter.addRecipient(new SshEd25519Recipient(key));
  const file: SealedIndexFile = {
    format: FORMATS.index,
    scope,
    name,
    recipients: keys.map(({ principal, key }) => ({ principal, fingerprint: key.fingerprint })),
    age: armor.encode(await encrypter.encrypt(utf8.encode(text))),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Whether an index file's text is a sealed one (a cheap look at its format; opening checks the schema). */
export function isSealedIndexFile(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === FORMATS.index;
  } catch {
    return false;
  }
}

/**
 * Open a sealed index file of `@scope/name` served at `where` with `identity`: the text of the
 * index file inside (the caller checks it against its own schema). Every failure is one line.
 */
export async function openSealedIndexFile(text: string, expect: { scope: string; name: string }, where: string, identity: SealIdentity): Promise<string> {
  const skill = `@${expect.scope}/${expect.name}`;
  const file = parseJsonWithSchema<SealedIndexFile>(text, sealedIndexFileSchema, {
    notJson: (reason) => `${where}: sealed index file is not valid JSON (${reason})`,
    mismatch: (problems) => `${where}: sealed index file is malformed or truncated: ${problems.slice(0, 3).join("; ")}`,
  });
  if (file.scope !== expect.scope || file.name !== expect.name) throw new SkillregError(`${where}: the sealed index file is @${file.scope}/${file.name}'s, not ${skill}'s`);
  let ageFile: Uint8Array;
  try {
    ageFile = armor.decode(file.age);
  } catch (e) {
    throw new SkillregError(`${where}: the sealed index file's age armor is corrupted (${(e as Error).message})`);
  }
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity.ageIdentity);
  let plaintext: Uint8Array;
  try {
    plaintext = await decrypter.decrypt(ageFile);
  } catch (e) {
    const reason = (e as Error).message;
    if (reason.startsWith("no identity matched")) {
      throw new SkillregError(
        `${skill} is sealed in this catalog and the key ${identity.publicKey.fingerprint} (${identity.source}) is not one of its ${file.recipients.length} readers; an owner of @${expect.scope} grants read access with: skillreg access grant @${expect.scope} <you> --role reader`,
      );
    }
    throw new SkillregError(`${where}: the sealed index file does not decrypt (${reason}); it is corrupted or was tampered with`);
  }
  try {
    return utf8Strict.decode(plaintext);
  } catch {
    throw new SkillregError(`${where}: the sealed index file decrypts to something that is not text`);
  }
}
