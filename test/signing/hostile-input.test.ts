import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SkillregError } from "../../registry/core/errors.js";
import { parseAllowedSigners } from "../../registry/trust/allowed-signers.js";
import { armorSshsig, verifySshsig } from "../../registry/trust/sshsig.js";
import { parsePrivateKey, parsePublicKey } from "../../registry/trust/ssh-keys.js";
import { buildTagPayload, parseTagObject, taggerFor } from "../../registry/trust/tags.js";

/** Hostile bytes may be refused, but only ever with our one-line error, never a crash. */
function refusesCleanly(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    expect(e.message).not.toContain("\n");
    return true;
  }
}

const headerish = fc.constantFrom(
  "object 0123456789abcdef0123456789abcdef01234567\n",
  "type tree\n",
  "tag @acme/x@1.0.0\n",
  "tagger a <a@b> 1 +0000\n",
  "\n",
  "-----BEGIN SSH SIGNATURE-----\n",
  "-----END SSH SIGNATURE-----\n",
  "\0",
  "\xff",
);

describe("hostile input never crashes the parsers", () => {
  it("parseTagObject", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(headerish, fc.string()), { maxLength: 12 }), (parts) =>
        refusesCleanly(() => parseTagObject(Buffer.from(parts.join(""), "latin1"))),
      ),
      { numRuns: 400 },
    );
  });

  it("verifySshsig over random armour and random blobs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), (blob, text) => {
        refusesCleanly(() => verifySshsig(Buffer.from("m"), armorSshsig(Buffer.concat([Buffer.from("SSHSIG"), blob])), "git"));
        return refusesCleanly(() => verifySshsig(Buffer.from("m"), text, "git"));
      }),
      { numRuns: 400 },
    );
  });

  it("key and allowed_signers parsers", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.string(), (blob, text) => {
        const b64 = Buffer.from(blob).toString("base64");
        refusesCleanly(() => parsePublicKey(`ssh-ed25519 ${b64}`));
        refusesCleanly(() => parseAllowedSigners(`${text} ssh-ed25519 ${b64}\n${text}\n`));
        return refusesCleanly(() =>
          parsePrivateKey(`-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.concat([Buffer.from("openssh-key-v1\0"), blob]).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`),
        );
      }),
      { numRuns: 400 },
    );
  });
});

describe("tag payloads round-trip", () => {
  it("parseTagObject(buildTagPayload(fields)) gives the fields back, the payload being the whole object", () => {
    const message = fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).filter((m) => m.trim() !== "" && !m.includes("\0") && !m.includes("-----BEGIN"));
    fc.assert(
      fc.property(message, fc.integer({ min: 0, max: 2 ** 40 }), (msg, seconds) => {
        const fields = {
          object: "0123456789abcdef0123456789abcdef01234567",
          type: "tree" as const,
          tag: "@acme/x@1.0.0",
          tagger: taggerFor("alice@acme.example", new Date(seconds * 1000)),
          message: msg,
        };
        const bytes = buildTagPayload(fields);
        const parsed = parseTagObject(bytes);
        expect(parsed).toMatchObject({ ...fields, message: msg.endsWith("\n") ? msg : `${msg}\n` });
        expect(parsed.payload.equals(bytes)).toBe(true);
        expect(parsed.signature).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
