import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { SkillregError } from "../core/index.js";
import { parsePrivateKey, parsePublicKey, type SshPublicKey } from "./ssh-keys.js";
import { signSshsig } from "./sshsig.js";

/**
 * Something that signs in SSHSIG format with one ed25519 key. Unencrypted keys sign in Node;
 * encrypted keys sign through `ssh-keygen -Y sign -U`, which asks the running ssh-agent
 * (SSH_AUTH_SOCK) holding the unlocked key, so no passphrase prompt ever blocks a command.
 */
export interface Signer {
  /** "ssh-ed25519 AAAA..." (no comment): the line to put in allowed_signers. */
  publicKey: string;
  fingerprint: string;
  sign(message: Buffer, namespace: string): Promise<string>;
}

export async function loadSigner(privateKeyPath: string, env: NodeJS.ProcessEnv = process.env): Promise<Signer> {
  let text: string;
  try {
    text = await readFile(privateKeyPath, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message;
    throw new SkillregError(`cannot read key ${privateKeyPath}: ${why}`);
  }
  const key = parsePrivateKey(text, privateKeyPath);
  if (!key.encrypted) {
    const { privateKey, publicKey } = key;
    return {
      publicKey: publicKey.line,
      fingerprint: publicKey.fingerprint,
      sign: async (message, namespace) => signSshsig(message, privateKey, publicKey.blob, namespace),
    };
  }
  await requireKeyInAgent(privateKeyPath, key.publicKey, env);
  return {
    publicKey: key.publicKey.line,
    fingerprint: key.publicKey.fingerprint,
    sign: (message, namespace) => agentSign(privateKeyPath, message, namespace, env),
  };
}

function run(cmd: string, args: string[], input: Buffer | undefined, env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // Detached (no controlling terminal) and no askpass: an encrypted key that is not in the
    // agent must fail at once, never sit waiting for a passphrase.
    const child = spawn(cmd, args, {
      env: { ...env, SSH_ASKPASS_REQUIRE: "never", DISPLAY: "" },
      detached: true,
      timeout: 30_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => resolve({ code: -1, stdout: "", stderr: e.message }));
    child.on("close", (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

async function requireKeyInAgent(path: string, publicKey: SshPublicKey, env: NodeJS.ProcessEnv): Promise<void> {
  const hint = `add it with 'ssh-add ${path}' to a running ssh-agent, or use an unencrypted key`;
  if (!env.SSH_AUTH_SOCK) {
    throw new SkillregError(`key ${path} is encrypted and no ssh-agent is running (SSH_AUTH_SOCK is not set): ${hint}`);
  }
  const listed = await run("ssh-add", ["-L"], undefined, env);
  const inAgent = listed.stdout
    .split("\n")
    .filter((l) => l.startsWith("ssh-ed25519 "))
    .some((l) => parsePublicKey(l, "ssh-agent key").blob.equals(publicKey.blob));
  if (!inAgent) {
    throw new SkillregError(`key ${path} is encrypted and the ssh-agent does not hold it (${publicKey.fingerprint}): ${hint}`);
  }
}

async function agentSign(path: string, message: Buffer, namespace: string, env: NodeJS.ProcessEnv): Promise<string> {
  // -U: use the agent only; ssh-keygen reads the public half from the key file itself.
  const r = await run("ssh-keygen", ["-Y", "sign", "-U", "-n", namespace, "-f", path], message, env);
  if (r.code !== 0) {
    const why = r.stderr.trim().split("\n").pop() || `exit code ${r.code}`;
    throw new SkillregError(`ssh-keygen could not sign with ${path} through the ssh-agent: ${why}`);
  }
  return r.stdout;
}
