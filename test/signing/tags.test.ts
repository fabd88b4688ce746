import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitEnv } from "../../registry/git/cli.js";
import { parseAllowedSigners, parseSignerTime } from "../../registry/trust/allowed-signers.js";
import { loadSigner, type Signer } from "../../registry/trust/signer.js";
import { fingerprintOf } from "../../registry/trust/ssh-keys.js";
import {
  buildTagPayload,
  parseTagName,
  parseTagObject,
  readTagObject,
  signTag,
  tagName,
  tagObjectId,
  taggerFor,
  verifyTagSignature,
  writeTagObject,
} from "../../registry/trust/tags.js";
import { makeSshKey, signingKeys } from "../helpers/keys.js";

const { dir, keys: { alice, bob }, allowedSignersFile, allowedSignersText } = signingKeys({ alice: "alice@acme.example", bob: "bob" });
const repo = join(dir, "registry");
const signers = parseAllowedSigners(allowedSignersText);
const published = new Date("2025-03-01T12:00:00Z");

function gitRun(args: string[], input?: Buffer) {
  const r = spawnSync("git", args, { cwd: repo, env: gitEnv(), input });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

function verifyTagWithGit(ref: string, allowedFile = allowedSignersFile) {
  return gitRun(["-c", "gpg.format=ssh", "-c", `gpg.ssh.allowedSignersFile=${allowedFile}`, "verify-tag", ref]);
}

let tree: string;
let aliceSigner: Signer;

async function signedTag(version: string, signer: Signer, principal: string, message = "Publish\n"): Promise<Buffer> {
  const payload = buildTagPayload({
    object: tree,
    type: "tree",
    tag: tagName("@acme", "deploy", version),
    tagger: taggerFor(principal, published),
    message,
  });
  return signTag(payload, signer);
}

beforeAll(async () => {
  mkdirSync(join(repo, "skills", "acme", "deploy"), { recursive: true });
  writeFileSync(join(repo, "skills", "acme", "deploy", "SKILL.md"), "---\nname: deploy\n---\nDeploy.\n");
  expect(gitRun(["init", "-q"]).code).toBe(0);
  gitRun(["add", "."]);
  expect(gitRun(["commit", "-q", "-m", "init"]).code).toBe(0);
  tree = gitRun(["rev-parse", "HEAD:skills/acme/deploy"]).stdout.trim();
  aliceSigner = await loadSigner(alice.privatePath);
});

describe("tags we build and sign", () => {
  it("are stored by git mktag under our id and accepted by git verify-tag", async () => {
    const bytes = await signedTag("1.0.0", aliceSigner, "alice@acme.example");
    const id = await writeTagObject(repo, bytes);
    expect(id).toBe(tagObjectId(bytes));
    expect(gitRun(["update-ref", "refs/tags/@acme/deploy@1.0.0", id]).code).toBe(0);
    const verdict = verifyTagWithGit("@acme/deploy@1.0.0");
    expect(verdict.stderr).toContain(`Good "git" signature for alice@acme.example with ED25519 key ${fingerprintOf(alice.publicKey)}`);
    expect(verdict.code).toBe(0);
    expect(gitRun(["rev-parse", "@acme/deploy@1.0.0^{tree}"]).stdout.trim()).toBe(tree);

    const read = await readTagObject(repo, "refs/tags/@acme/deploy@1.0.0");
    expect(read.equals(bytes)).toBe(true);
    const parsed = parseTagObject(read);
    expect(parsed).toMatchObject({
      object: tree,
      type: "tree",
      tag: "@acme/deploy@1.0.0",
      tagger: { name: "alice@acme.example", email: "alice@acme.example", timestamp: published.getTime() / 1000, tz: "+0000" },
      message: "Publish\n",
    });
    expect(verifyTagSignature(parsed, signers, { at: published })).toEqual({
      principal: "alice@acme.example",
      fingerprint: fingerprintOf(alice.publicKey),
      publicKeyLine: alice.publicKey.split(" ").slice(0, 2).join(" "),
    });
  });

  it("give a principal without @ a deterministic .invalid email", async () => {
    const bytes = await signedTag("1.0.1", await loadSigner(bob.privatePath), "bob");
    expect(bytes.toString()).toContain(`\ntagger bob <bob@skillreg.invalid> ${published.getTime() / 1000} +0000\n\n`);
    const id = await writeTagObject(repo, bytes);
    gitRun(["update-ref", "refs/tags/@acme/deploy@1.0.1", id]);
    expect(verifyTagWithGit("@acme/deploy@1.0.1").code).toBe(0);
    expect(verifyTagSignature(parseTagObject(bytes), signers, { at: published }).principal).toBe("bob");
  });
});

describe("tags made by real git tag -s", () => {
  it("parse, rebuild byte for byte and verify", async () => {
    const r = gitRun([
      "-c", "gpg.format=ssh",
      "-c", `user.signingkey=${alice.privatePath}`,
      "-c", "user.name=alice@acme.example",
      "-c", "user.email=alice@acme.example",
      "tag", "-s", "-m", "Released by git itself", "@acme/deploy@2.0.0", tree,
    ]);
    expect(r.stderr).toBe("");
    const bytes = await readTagObject(repo, "@acme/deploy@2.0.0");
    const parsed = parseTagObject(bytes);
    expect(parsed.signature).toMatch(/^-----BEGIN SSH SIGNATURE-----\n/);
    const rebuilt = buildTagPayload({ object: parsed.object, type: "tree", tag: parsed.tag, tagger: parsed.tagger, message: parsed.message });
    expect(rebuilt.equals(parsed.payload)).toBe(true);
    // Ed25519 is deterministic, so our signer must reproduce git's object exactly.
    expect((await signTag(rebuilt, aliceSigner)).equals(bytes)).toBe(true);
    const at = new Date(parsed.tagger.timestamp * 1000);
    expect(verifyTagSignature(parsed, signers, { at, publishers: ["bob", "alice@acme.example"] }).principal).toBe("alice@acme.example");
  });
});

describe("verification refuses", () => {
  it("a tampered payload, and git agrees", async () => {
    const bytes = await signedTag("3.0.0", aliceSigner, "alice@acme.example");
    const tampered = Buffer.from(bytes.toString().replace("Publish\n", "Publish!\n"));
    const id = await writeTagObject(repo, tampered);
    gitRun(["update-ref", "refs/tags/@acme/deploy@3.0.0", id]);
    expect(verifyTagWithGit("@acme/deploy@3.0.0").code).not.toBe(0);
    expect(() => verifyTagSignature(parseTagObject(tampered), signers, { at: published })).toThrow(
      `tag @acme/deploy@3.0.0: bad signature: the signed data does not match the signature by ${fingerprintOf(alice.publicKey)}`,
    );
  });

  it("an unsigned tag", () => {
    const payload = buildTagPayload({ object: tree, type: "tree", tag: "@acme/deploy@3.0.1", tagger: taggerFor("bob", published), message: "x" });
    expect(() => verifyTagSignature(parseTagObject(payload), signers, { at: published })).toThrow("tag @acme/deploy@3.0.1 is not signed");
  });

  it("a key that is not in allowed_signers, and git agrees", async () => {
    const mallory = makeSshKey(dir, "mallory@acme.example");
    const bytes = await signedTag("3.1.0", await loadSigner(mallory.privatePath), "alice@acme.example");
    gitRun(["update-ref", "refs/tags/@acme/deploy@3.1.0", await writeTagObject(repo, bytes)]);
    expect(verifyTagWithGit("@acme/deploy@3.1.0").code).not.toBe(0);
    expect(() => verifyTagSignature(parseTagObject(bytes), signers, { at: published })).toThrow(
      `tag @acme/deploy@3.1.0 is signed by key ${fingerprintOf(mallory.publicKey)}, but the key is not in allowed_signers`,
    );
  });

  it("a key used after valid-before or before valid-after, judged at the recorded time", async () => {
    const windowed = parseAllowedSigners(
      `alice@acme.example valid-after="20250101Z",valid-before="20250401Z" ${alice.publicKey}\n`,
    );
    const parsed = parseTagObject(await signedTag("3.2.0", aliceSigner, "alice@acme.example"));
    // A revoked (expired) key keeps its old tags valid: what counts is when the release recorded the tag.
    expect(verifyTagSignature(parsed, windowed, { at: published }).principal).toBe("alice@acme.example");
    expect(() => verifyTagSignature(parsed, windowed, { at: parseSignerTime("20250402Z")! })).toThrow(
      `tag @acme/deploy@3.2.0 is signed by key ${fingerprintOf(alice.publicKey)}, but allowed_signers line 1 made the key valid only until 2025-04-01T00:00:00.000Z`,
    );
    expect(() => verifyTagSignature(parsed, windowed, { at: parseSignerTime("20241231Z")! })).toThrow(
      "but allowed_signers line 1 makes the key valid only from 2025-01-01T00:00:00.000Z",
    );
  });

  it("a signer outside the publishers, and names the signer from wildcard lines by the tagger", async () => {
    const wildcard = parseAllowedSigners(`*@acme.example,!eve@acme.example ${alice.publicKey}\n`);
    const parsed = parseTagObject(await signedTag("3.3.0", aliceSigner, "alice@acme.example"));
    expect(verifyTagSignature(parsed, wildcard, { at: published }).principal).toBe("alice@acme.example");
    expect(verifyTagSignature(parsed, wildcard, { at: published, publishers: ["carol@acme.example"] }).principal).toBe(
      "carol@acme.example",
    );
    expect(() => verifyTagSignature(parsed, wildcard, { at: published, publishers: ["eve@acme.example", "bob"] })).toThrow(
      `tag @acme/deploy@3.3.0 is signed by key ${fingerprintOf(alice.publicKey)} (allowed for *@acme.example), who is not among the allowed publishers: eve@acme.example, bob`,
    );
    const claimsEve = parseTagObject(await signedTag("3.3.1", aliceSigner, "eve@acme.example"));
    expect(() => verifyTagSignature(claimsEve, wildcard, { at: published })).toThrow(
      "which names no principal; the tagger 'eve@acme.example' does not match",
    );
  });
});

describe("parseTagObject is strict", () => {
  const good = `object ${"a".repeat(40)}\ntype tree\ntag @acme/deploy@1.0.0\ntagger bob <bob@skillreg.invalid> 1700000000 +0000\n\nmsg\n`;
  const cases: [string, string | Buffer][] = [
    ["malformed tag object: unexpected header 'gpgsig'", good.replace("\n\n", "\ngpgsig x\n\n")],
    ["malformed tag object: missing header 'tagger'", good.replace(/tagger .*\n/, "")],
    ["malformed tag object: expected header 'object' on line 1, found 'type'", good.replace(/^(object .*\n)(type .*\n)/, "$2$1")],
    ["malformed tag object: contains a NUL byte", good.replace("msg", "m\0sg")],
    ["malformed tag object: not valid UTF-8", Buffer.concat([Buffer.from(good), Buffer.from([0xff])])],
    ["malformed tag object: no blank line after the headers", good.replace("\n\n", "\n")],
    ["malformed tag object: object 'AAAA", good.replace("a".repeat(40), "A".repeat(40))],
    ["malformed tag object: unknown object type 'trees'", good.replace("type tree", "type trees")],
    ["malformed tag object: invalid tagger", good.replace("bob <bob", "bob <<bob")],
    ["malformed tag object: control character in the tag header", good.replace("tag @acme", "tag \r@acme")],
    ["malformed tag object: more than one signature block", `${good}-----BEGIN SSH SIGNATURE-----\nx\n-----BEGIN SSH SIGNATURE-----\n`],
    ["malformed tag object: signed with GPG or X.509", `${good}-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n`],
  ];
  it.each(cases)("%s", (message, input) => {
    expect(() => parseTagObject(Buffer.from(input))).toThrow(message);
  });

  it("accepts the well-formed object and keeps the payload exact", () => {
    const parsed = parseTagObject(Buffer.from(good));
    expect(parsed.payload.toString()).toBe(good);
    expect(parsed.signature).toBeUndefined();
  });

  it("refuses to build a message that would smuggle a signature", () => {
    expect(() =>
      buildTagPayload({ object: tree, type: "tree", tag: "x", tagger: taggerFor("bob", published), message: "a\n-----BEGIN SSH SIGNATURE-----\n" }),
    ).toThrow("tag object: the message must not contain a signature armour line");
  });
});

describe("tag names", () => {
  it("build and parse @scope/name@version", () => {
    expect(tagName("acme-corp", "deploy-script", "1.2.0-rc.1")).toBe("@acme-corp/deploy-script@1.2.0-rc.1");
    expect(tagName("@acme-corp", "deploy-script", "1.2.0")).toBe("@acme-corp/deploy-script@1.2.0");
    expect(parseTagName("@acme-corp/deploy-script@1.2.0")).toEqual({ scope: "acme-corp", name: "deploy-script", version: "1.2.0" });
  });

  it.each([
    ["acme/deploy@1.0.0", "is not a skill tag: expected @<scope>/<name>@<version>"],
    ["@Acme/deploy@1.0.0", "invalid scope 'Acme'"],
    ["@acme/deploy--x@1.0.0", "invalid skill name 'deploy--x'"],
    ["@acme/deploy@v1.0.0", "'v1.0.0' is not a semver version"],
    ["@acme/deploy@1.0", "'1.0' is not a semver version"],
  ])("refuses %s", (tag, message) => {
    expect(() => parseTagName(tag)).toThrow(message);
  });
});
