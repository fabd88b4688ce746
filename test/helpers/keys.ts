import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./tmp.js";

export interface TestKey {
  privatePath: string;
  publicPath: string;
  /** The public key line: "ssh-ed25519 AAAA... comment". */
  publicKey: string;
  principal: string;
}

/** A real ed25519 key pair made by ssh-keygen, unencrypted unless a passphrase is given. */
export function makeSshKey(dir: string, principal: string, passphrase = ""): TestKey {
  const privatePath = join(dir, principal.replace(/[^a-zA-Z0-9._-]/g, "_"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", principal, "-f", privatePath]);
  const publicPath = `${privatePath}.pub`;
  return { privatePath, publicPath, publicKey: readFileSync(publicPath, "utf8").trim(), principal };
}

/**
 * The setup of tests that sign and verify: a fresh temporary folder, a real key for each
 * principal (under the name the test calls it by), and `<dir>/allowed_signers` listing every
 * key for its principal, one line each.
 */
export function signingKeys<Name extends string>(principals: Record<Name, string>): {
  dir: string;
  keys: Record<Name, TestKey>;
  allowedSignersFile: string;
  allowedSignersText: string;
} {
  const dir = tempDir();
  const entries = Object.entries<string>(principals).map(([name, principal]) => [name, makeSshKey(dir, principal)] as const);
  const keys = Object.fromEntries(entries) as Record<Name, TestKey>;
  const allowedSignersText = entries.map(([, key]) => `${key.principal} ${key.publicKey}\n`).join("");
  const allowedSignersFile = join(dir, "allowed_signers");
  writeFileSync(allowedSignersFile, allowedSignersText);
  return { dir, keys, allowedSignersFile, allowedSignersText };
}
