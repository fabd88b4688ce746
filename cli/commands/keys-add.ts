import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { SkillregError, UsageError } from "../../registry/core/index.js";
import { addSigningKey } from "../../registry/publish/index.js";
import { planKeyChange } from "../../registry/publish/index.js";
import { loadSealIdentity } from "../../registry/seal/index.js";
import { runChange } from "../change.js";

/** A public key line is under 100 bytes; anything far larger is the wrong file. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

export const command: Command = {
  name: "keys add",
  summary: "Allow a principal's SSH key to sign published versions, and commit",
  help: `Usage: skillreg keys add <principal> <public-key-file> [--registry D] [--key K]
                     [--replaces SHA256:...] [--identity KEY]

Appends '<principal> namespaces="git" ssh-ed25519 ...' to allowed_signers and commits.
The key must be an ed25519 public key (the .pub file of ssh-keygen -t ed25519); a key
already in allowed_signers is refused. Without --key this commits directly, for
bootstrapping; with --key it proposes the change like every later change: a commit signed
with K on a branch access/keys/..., pushed (a pull request on GitHub), which another admin
merges with 'skillreg registry merge'. Only registry admins may add keys.

A member rotating their key: --replaces revokes their old key (as 'keys revoke' does) in the
same change. In a registry that seals (docs/sealed.md), the change also re-wraps every sealed
version of the principal's scopes to the keys valid after it, opened with --identity (default:
--key): the new key reads the versions published before it, the replaced key is left out of
those envelopes and of every later version. The change then touches the scopes' envelopes
too, so its reviewer is an admin who may also review those scopes.

Options:
  --registry D   the registry (default: current folder; with --key also a Git URL)
  --key K        propose the change signed with this SSH private key (an admin's)
  --replaces FP  (with --key) the principal's old key, by fingerprint, revoked in the same change
  --identity KEY (with --key, sealing registry) the key that opens the sealed versions to
                 re-wrap; default: --key
  --json         print the result as JSON`,
  options: {
    registry: { type: "string" },
    key: { type: "string" },
    replaces: { type: "string" },
    identity: { type: "string" },
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
    const replaces = str(args, "replaces");
    const identity = str(args, "identity");
    if (replaces !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(replaces)) {
      throw new UsageError(`--replaces '${replaces}' is not a key fingerprint (SHA256:... as ssh-keygen -lf prints it)`);
    }
    if (str(args, "key") !== undefined) {
      const opener = identity === undefined ? undefined : await loadSealIdentity(resolve(ctx.cwd, identity));
      return runChange(
        args,
        ctx,
        (state, actor) => planKeyChange(state, { principal, keyText, keyFile, ...(replaces ? { replaces } : {}), ...(opener ? { opener } : {}) }, actor),
        "another registry admin",
      );
    }
    if (replaces !== undefined || identity !== undefined) throw new UsageError("--replaces and --identity go with --key (a proposed change); see skillreg keys add --help");
    const registry = registryDir(args, ctx.cwd);
    const result = await addSigningKey(registry, principal, keyText, keyFile);
    printResult(args, ctx, { principal, ...result }, () => ctx.out.line(`Added key ${result.fingerprint} for ${principal} (commit ${result.commit.slice(0, 12)})`));
    return 0;
  },
};
