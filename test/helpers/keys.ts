import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

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
