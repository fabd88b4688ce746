import { execFileSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSigner } from "../../registry/trust/signer.js";
import { verifySshsig } from "../../registry/trust/sshsig.js";
import { parsePublicKey } from "../../registry/trust/ssh-keys.js";
import { makeSshKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";

const dir = tempDir();
const locked = makeSshKey(dir, "locked@acme.example", "correct horse");
const other = makeSshKey(dir, "other@acme.example", "battery staple");
const message = Buffer.from("tag payload\n");

/** An ssh-agent of our own, holding the encrypted key (unlocked through a one-off askpass script). */
let agentEnv: NodeJS.ProcessEnv;
let agentPid: number | undefined;

beforeAll(() => {
  const socket = join(dir, "agent.sock");
  const out = execFileSync("ssh-agent", ["-s", "-a", socket], { encoding: "utf8" });
  agentPid = Number(/SSH_AGENT_PID=(\d+)/.exec(out)![1]);
  agentEnv = { ...process.env, SSH_AUTH_SOCK: socket };
  const askpass = join(dir, "askpass.sh");
  writeFileSync(askpass, "#!/bin/sh\necho 'correct horse'\n");
  chmodSync(askpass, 0o700);
  execFileSync("ssh-add", [locked.privatePath], {
    env: { ...agentEnv, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: "force" },
    stdio: ["ignore", "ignore", "ignore"],
  });
});

afterAll(() => {
  if (agentPid) process.kill(agentPid);
});

describe("encrypted keys sign through ssh-keygen and the ssh-agent", () => {
  it("signs with a key the agent holds; the signature verifies in Node and in ssh-keygen", async () => {
    const signer = await loadSigner(locked.privatePath, agentEnv);
    expect(signer.publicKey).toBe(parsePublicKey(locked.publicKey).line);
    const signature = await signer.sign(message, "git");
    expect(verifySshsig(message, signature, "git").fingerprint).toBe(signer.fingerprint);
    const allowed = join(dir, "allowed_signers");
    const sigPath = join(dir, "agent.sig");
    writeFileSync(allowed, `locked@acme.example ${locked.publicKey}\n`);
    writeFileSync(sigPath, signature);
    const verdict = execFileSync("ssh-keygen", ["-Y", "verify", "-f", allowed, "-I", "locked@acme.example", "-n", "git", "-s", sigPath], {
      input: message,
      encoding: "utf8",
    });
    expect(verdict).toContain('Good "git" signature for locked@acme.example');
  });

  it("fails at once, without prompting, when no agent is running", async () => {
    const env = { ...process.env };
    delete env.SSH_AUTH_SOCK;
    await expect(loadSigner(locked.privatePath, env)).rejects.toThrow(
      `key ${locked.privatePath} is encrypted and no ssh-agent is running (SSH_AUTH_SOCK is not set): add it with 'ssh-add ${locked.privatePath}' to a running ssh-agent, or use an unencrypted key`,
    );
  });

  it("fails at once when the agent does not hold the key", async () => {
    await expect(loadSigner(other.privatePath, agentEnv)).rejects.toThrow(
      `key ${other.privatePath} is encrypted and the ssh-agent does not hold it (${parsePublicKey(other.publicKey).fingerprint})`,
    );
  });

  it("reports ssh-keygen's failure when the key leaves the agent after loading", async () => {
    const signer = await loadSigner(locked.privatePath, agentEnv);
    execFileSync("ssh-add", ["-d", locked.publicPath], { env: agentEnv, stdio: "ignore" });
    await expect(signer.sign(message, "git")).rejects.toThrow(
      `ssh-keygen could not sign with ${locked.privatePath} through the ssh-agent: Couldn't find key in agent`,
    );
  });
});
