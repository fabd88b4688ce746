import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadSigner } from "../../registry/trust/signer.js";
import { runCli } from "./cli.js";
import { makeSshKey, type TestKey } from "./keys.js";
import { proposeSealing } from "./registry-change.js";

/**
 * The registry most sealed-version tests start from, made with the real commands: admins
 * `admin` and `admin2`, scope @acme owned by alice with bob as maintainer and rita as reader,
 * `others` holding keys but no role, and sealing turned on with a gate key.
 */
export type AcmeMember = "admin" | "admin2" | "alice" | "bob" | "rita";

export interface SealingRegistry<Who extends string> {
  reg: string;
  keys: Record<Who, TestKey>;
  gateKey: TestKey;
}

export async function acmeSealingRegistry<Other extends string = never>(root: string, others: readonly Other[] = []): Promise<SealingRegistry<AcmeMember | Other>> {
  const reg = join(root, "registry");
  const mustRun = async (argv: string[]) => {
    const r = await runCli(argv, { cwd: root });
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
  };
  mkdirSync(join(root, "keys"), { recursive: true });
  const keys = {} as Record<AcmeMember | Other, TestKey>;
  for (const who of ["admin", "admin2", "alice", "bob", "rita", ...others] as const) keys[who] = makeSshKey(join(root, "keys"), who);
  const gateKey = makeSshKey(join(root, "keys"), "gate");
  await mustRun(["init", reg, "--name", "acme", "--admin", "admin", "--admin", "admin2"]);
  for (const [who, key] of Object.entries(keys)) await mustRun(["keys", "add", who, key.publicPath, "--registry", reg]);
  await mustRun(["scope", "add", "@acme", "--owner", "alice", "--registry", reg]);
  for (const [who, role] of [["bob", "maintainer"], ["rita", "reader"]] as const) {
    await mustRun(["access", "grant", "@acme", who, "--role", role, "--key", keys.alice.privatePath, "--registry", reg]);
    await mustRun(["registry", "merge", `access/acme/grant-${who}-${role}`, "--key", keys.admin.privatePath, "--registry", reg]);
  }
  await proposeSealing(reg, await loadSigner(keys.admin.privatePath), gateKey.publicKey);
  await mustRun(["registry", "merge", "admin/sealing", "--key", keys.admin2.privatePath, "--registry", reg]);
  return { reg, keys, gateKey };
}
