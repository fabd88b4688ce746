import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { SkillregError, UsageError } from "../../registry/core/index.js";
import { addSigningKey } from "../../registry/publish/index.js";
import { planKeyAddition } from "../../registry/publish/index.js";
import { runChange } from "../change.js";

/** A public key line is under 100 bytes; anything far larger is the wrong file. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

export const command: Command = {
  name: "keys add",
  summary: "Allow a principal's SSH key to sign published versions, and commit",
  help: `Usage: skillreg keys add <principal> <public-key-file> [--registry D] [--key K]

Appends '<principal> namespaces="git" ssh-ed25519 ...' to allowed_signers and commits.
The key must be an ed25519 public key (the .pub file of ssh-keygen -t ed25519); a key
already in allowed_signers is refused. Without --key this commits directly, for
bootstrapping; with --key it proposes the change like every later change: a commit signed
with K on a branch access/keys/..., pushed (a pull request on GitHub), which another admin
merges with 'skillreg registry merge'. Only registry admins may add keys.

Options:
  --registry D   the registry (default: current folder; with --key also a Git URL)
  --key K        propose the change signed with this SSH private key (an admin's)
  --json         print the result as JSON`,
  options: {
    registry: { type: "string" },
    key: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [principal, keyFile] = args.positionals;
    if (principal === undefined || keyFile === undefined) {
      throw new UsageError("missing arguments; usage: skillreg keys add <principal> <public-key-file>");
    }
    noExtraArguments(args, 2, seeHelp("keys add"));
    const keyPath = resolve(ctx.cwd, keyFile);
    const info = await stat(keyPath).catch(() => {
      throw new SkillregError(`${keyFile}: not found; pass the public key file (e.g. ~/.ssh/id_ed25519.pub)`);
    });
    if (!info.isFile()) throw new SkillregError(`${keyFile}: is not a file`);
    if (info.size > MAX_KEY_FILE_BYTES) throw new SkillregError(`${keyFile}: is ${info.size} bytes, too large for a public key file`);
    const keyText = await readFile(keyPath, "utf8");
    if (str(args, "key") !== undefined) {
      return runChange(args, ctx, (state, actor) => planKeyAddition(state.config, state.allowedSigners, principal, keyText, keyFile, actor), "another registry admin");
    }
    const registry = registryDir(args, ctx.cwd);
    const result = await addSigningKey(registry, principal, keyText, keyFile);
    printResult(args, ctx, { principal, ...result }, () => ctx.out.line(`Added key ${result.fingerprint} for ${principal} (commit ${result.commit.slice(0, 12)})`));
    return 0;
  },
};
