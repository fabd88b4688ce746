import { noExtraArguments, type Command } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { planKeyRevocation } from "../../registry/publish/index.js";
import { CHANGE_HELP, CHANGE_OPTIONS, runChange } from "../change.js";

const USAGE = "skillreg keys revoke <principal> [<key-fingerprint>] --key K [--registry R]";

export const command: Command = {
  name: "keys revoke",
  summary: "Propose revoking a principal's signing keys (a signed branch / pull request)",
  help: `Usage: ${USAGE}

Revokes the principal's keys in allowed_signers (or only the one with the fingerprint,
SHA256:...) on a new branch. A revoked key keeps its line with valid-before="<now>":
signatures are judged at the moment the release recorded them, so versions released
before the revocation stay valid while anything the key signs later fails. (Deleting the
line would invalidate every version the key ever signed.) Only a registry admin may ask,
and another admin approves.

Options:
${CHANGE_HELP}`,
  options: CHANGE_OPTIONS,
  async run(args, ctx) {
    const [principal, fingerprint] = args.positionals;
    if (principal === undefined) throw new UsageError(`missing <principal>; usage: ${USAGE}`);
    if (fingerprint !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
      throw new UsageError(`'${fingerprint}' is not a key fingerprint (SHA256:... as ssh-keygen -lf prints it)`);
    }
    noExtraArguments(args, 2, `usage: ${USAGE}`);
    const now = new Date();
    return runChange(
      args,
      ctx,
      (state, actor) => planKeyRevocation(state.config, state.allowedSigners, principal, fingerprint, actor, now),
      "another registry admin",
    );
  },
};
