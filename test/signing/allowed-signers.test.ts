import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatAllowedSigner,
  formatSignerTime,
  isAllowed,
  parseAllowedSigners,
  parseRegistrySigners,
  parseSignerTime,
  principalsForKey,
  whyKeyRefused,
} from "../../registry/trust/allowed-signers.js";
import { loadSigner } from "../../registry/trust/signer.js";
import { parsePublicKey } from "../../registry/trust/ssh-keys.js";
import { makeSshKey, signingKeys } from "../helpers/keys.js";

const { dir, keys: { alice, bob } } = signingKeys({ alice: "alice@acme.example", bob: "bob@acme.example" });
const aliceBlob = parsePublicKey(alice.publicKey).blob;
const bobBlob = parsePublicKey(bob.publicKey).blob;
const at = (s: string) => parseSignerTime(s)!;

describe("allowed_signers matches keys as ssh-keygen -Y verify does", () => {
  const lines = [
    `alice@acme.example ${alice.publicKey}`,
    `*@acme.example,!mallory@acme.example ${alice.publicKey}`,
    `"alice smith" ${alice.publicKey}`,
    `al?ce@acme.example namespaces="file,g*" ${alice.publicKey}`,
    `alice@acme.example valid-after="20240101",valid-before="20250101000000Z" ${alice.publicKey}`,
    `alice@acme.example NAMESPACES="file",Valid-Before="20300101Z" ${alice.publicKey}`,
    `alice@acme.example ${bob.publicKey}`,
  ];
  const principals = ["alice@acme.example", "mallory@acme.example", "bob@acme.example", "alice smith", "alice@other.example"];
  const namespaces = ["git", "file"];
  const times = ["20231231Z", "20240615120000Z", "20250101000001Z"];

  it("agrees with ssh-keygen on every principal, namespace and time", async () => {
    const signer = await loadSigner(alice.privatePath);
    const message = Buffer.from("payload\n");
    let compared = 0;
    let allowedCount = 0;
    for (const [index, line] of lines.entries()) {
      const file = join(dir, `allowed_signers.${index}`);
      writeFileSync(file, `# case ${index}\n\n${line}\n`);
      const signers = parseAllowedSigners(`# case ${index}\n\n${line}\n`);
      expect(signers).toHaveLength(1);
      expect(signers[0]!.line).toBe(3);
      for (const namespace of namespaces) {
        const sigPath = join(dir, `sig.${namespace}`);
        writeFileSync(sigPath, await signer.sign(message, namespace));
        for (const principal of principals) {
          for (const time of times) {
            const r = spawnSync(
              "ssh-keygen",
              ["-Y", "verify", "-f", file, "-I", principal, "-n", namespace, "-s", sigPath, "-O", `verify-time=${time}`],
              { input: message },
            );
            const ours = isAllowed(signers, principal, aliceBlob, { namespace, at: at(time) });
            expect({ line, principal, namespace, time, allowed: ours }).toEqual({
              line,
              principal,
              namespace,
              time,
              allowed: r.status === 0,
            });
            compared++;
            if (ours) allowedCount++;
          }
        }
      }
    }
    expect(compared).toBe(lines.length * principals.length * namespaces.length * times.length);
    // Both verdicts occur often: the table exercises matching, not just refusal.
    expect(allowedCount).toBeGreaterThan(20);
    expect(compared - allowedCount).toBeGreaterThan(20);
  });
});

describe("principalsForKey", () => {
  const text = [
    `alice@acme.example,!mallory@acme.example ${alice.publicKey}`,
    `alice@acme.example,alice-ci ${alice.publicKey} a comment`,
    `"alice smith" namespaces="file" ${alice.publicKey}`,
    `old-alice valid-before="20200101Z" ${alice.publicKey}`,
    `*@acme.example ${bob.publicKey}`,
  ].join("\n");
  const signers = parseAllowedSigners(text);

  it("lists the principals of every line that applies, without negations, in file order", () => {
    expect(principalsForKey(signers, aliceBlob, { namespace: "git", at: at("20240101Z") })).toEqual(["alice@acme.example", "alice-ci"]);
    expect(principalsForKey(signers, aliceBlob, { namespace: "file", at: at("20190101Z") })).toEqual([
      "alice@acme.example",
      "alice-ci",
      "alice smith",
      "old-alice",
    ]);
    expect(principalsForKey(signers, bobBlob, { namespace: "git", at: at("20240101Z") })).toEqual(["*@acme.example"]);
    expect(isAllowed(signers, "bob@acme.example", bobBlob, { namespace: "git", at: at("20240101Z") })).toBe(true);
    expect(isAllowed(signers, "bob@acme.example", aliceBlob, { namespace: "git", at: at("20240101Z") })).toBe(false);
  });

  it("explains why a key is refused", () => {
    const carol = parsePublicKey(makeSshKey(dir, "carol").publicKey).blob;
    expect(whyKeyRefused(signers, carol, { namespace: "git", at: at("20240101Z") })).toBe("the key is not in allowed_signers");
    const only = parseAllowedSigners(`alice valid-after="20240101Z",valid-before="20250101Z",namespaces="file" ${alice.publicKey}\n`);
    expect(whyKeyRefused(only, aliceBlob, { namespace: "file", at: at("20260101Z") })).toBe(
      "allowed_signers line 1 made the key valid only until 2025-01-01T00:00:00.000Z",
    );
    expect(whyKeyRefused(only, aliceBlob, { namespace: "file", at: at("20230101Z") })).toBe(
      "allowed_signers line 1 makes the key valid only from 2024-01-01T00:00:00.000Z",
    );
    expect(whyKeyRefused(only, aliceBlob, { namespace: "git", at: at("20240601Z") })).toBe(
      `allowed_signers line 1 does not allow namespace 'git' (namespaces="file")`,
    );
  });
});

describe("parse errors name the file and line", () => {
  const key = alice.publicKey;
  const cases: [string, string][] = [
    [`alice`, "allowed_signers:2: missing key after the principals"],
    [`alice cert-authority ${key}`, "allowed_signers:2: cert-authority lines are not supported"],
    [`alice valid-after=20240101 ${key}`, "allowed_signers:2: option valid-after needs a double-quoted value"],
    [`alice valid-after="2024" ${key}`, "allowed_signers:2: invalid valid-after time '2024' (expected YYYYMMDD[HHMM[SS]][Z])"],
    [`alice valid-after="20241301" ${key}`, "allowed_signers:2: invalid valid-after time '20241301'"],
    [`alice no-touch-required ${key}`, "allowed_signers:2: unknown option 'no-touch-required'"],
    [`alice valid-after="20250101",valid-before="20240101" ${key}`, "allowed_signers:2: valid-before is not after valid-after"],
    [`alice namespaces="git",namespaces="file" ${key}`, 'allowed_signers:2: more than one "namespaces" option'],
    [`alice namespaces="git ${key}`, "allowed_signers:2: option namespaces: missing closing quote"],
    [`"alice ${key}`, "allowed_signers:2: expected principals, then a key"],
    [`alice namespaces="git"`, "allowed_signers:2: missing key after the options"],
    [`alice ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==`, "allowed_signers:2: malformed ed25519 key blob (ed25519 key runs past the end)"],
  ];
  it.each(cases.map(([line, message]) => [message, line]))("%s", (message, line) => {
    expect(() => parseAllowedSigners(`# header\n${line}\n`)).toThrow(message);
  });

  it("refuses rsa keys by name", () => {
    const rsaPath = join(dir, "rsa");
    spawnSync("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsaPath]);
    const rsaLine = readFileSync(`${rsaPath}.pub`, "utf8").trim();
    expect(() => parseAllowedSigners(`ops ${rsaLine}\n`, "keys/allowed_signers")).toThrow(
      "keys/allowed_signers:1: only ed25519 keys are supported, this is a ssh-rsa key",
    );
  });
});

describe("signer times", () => {
  it("reads YYYYMMDD[HHMM[SS]] as UTC with Z or UTC, else as local time like OpenSSH", () => {
    expect(parseSignerTime("20240102Z")!.toISOString()).toBe("2024-01-02T00:00:00.000Z");
    expect(parseSignerTime("202401020304UTC")!.toISOString()).toBe("2024-01-02T03:04:00.000Z");
    expect(parseSignerTime("20240102030405z")!.toISOString()).toBe("2024-01-02T03:04:05.000Z");
    expect(parseSignerTime("20240102")!.getTime()).toBe(new Date(2024, 0, 2).getTime());
    for (const bad of ["2024010", "20240230Z", "202401021", "20240102T0000", "2024-01-02"]) expect(parseSignerTime(bad)).toBeUndefined();
  });
});

describe("formatAllowedSigner", () => {
  it("writes lines that read back the same and that ssh-keygen honours (a revoked key)", async () => {
    const key = parsePublicKey(alice.publicKey);
    const revoked = formatAllowedSigner({
      principals: ["alice smith", "alice@acme.example"],
      namespaces: ["git"],
      validAfter: new Date("2024-01-01T00:00:00Z"),
      validBefore: new Date("2025-06-30T12:30:15.900Z"),
      key,
    });
    expect(revoked).toBe(
      `"alice smith,alice@acme.example" namespaces="git",valid-after="20240101000000Z",valid-before="20250630123015Z" ${key.line}`,
    );
    const [entry] = parseAllowedSigners(`${revoked}\n`);
    expect(entry).toMatchObject({ principals: ["alice smith", "alice@acme.example"], namespaces: ["git"] });
    expect(formatAllowedSigner(entry!)).toBe(revoked);

    const file = join(dir, "formatted_signers");
    const sigPath = join(dir, "formatted.sig");
    const message = Buffer.from("m\n");
    writeFileSync(file, `${revoked}\n`);
    writeFileSync(sigPath, await (await loadSigner(alice.privatePath)).sign(message, "git"));
    const verify = (time: string) =>
      spawnSync("ssh-keygen", ["-Y", "verify", "-f", file, "-I", "alice smith", "-n", "git", "-s", sigPath, "-O", `verify-time=${time}`], {
        input: message,
      }).status;
    expect(verify("20250630123015Z")).toBe(0);
    expect(verify("20250630123016Z")).not.toBe(0);
    expect(formatSignerTime(new Date("2025-06-30T12:30:15Z"))).toBe("20250630123015Z");
  });

  it("refuses principals it cannot write", () => {
    const key = parsePublicKey(alice.publicKey);
    expect(() => formatAllowedSigner({ principals: ['a"b'], key })).toThrow(`'a"b' cannot be written in allowed_signers`);
    expect(() => formatAllowedSigner({ principals: [], key })).toThrow("needs at least one principal");
  });
});

describe("a registry's allowed_signers: one key, one principal", () => {
  it("refuses a key listed for two principals, on one line or on two, and a pattern", () => {
    expect(() => parseRegistrySigners(`alice@acme.example ${alice.publicKey}\nbob@acme.example ${alice.publicKey}\n`)).toThrow(
      /^allowed_signers:2: key SHA256:\S+ is listed for bob@acme\.example, but line 1 lists it for alice@acme\.example; one key signs for one principal$/,
    );
    expect(() => parseRegistrySigners(`alice@acme.example,bob@acme.example ${alice.publicKey}\n`)).toThrow(
      /^allowed_signers:1: key SHA256:\S+ is listed for 'alice@acme\.example,bob@acme\.example'; a registry key signs for exactly one principal/,
    );
    expect(() => parseRegistrySigners(`*@acme.example ${alice.publicKey}\n`)).toThrow(/is listed for '\*@acme\.example'; a registry key signs for exactly one principal/);
  });

  it("accepts the same key twice for the same principal (a revoked line and its successor)", () => {
    const text = `alice@acme.example valid-before="20250101Z" ${alice.publicKey}\nalice@acme.example ${alice.publicKey}\nbob@acme.example ${bob.publicKey}\n`;
    expect(parseRegistrySigners(text).map((s) => s.principals)).toEqual([["alice@acme.example"], ["alice@acme.example"], ["bob@acme.example"]]);
  });
});
