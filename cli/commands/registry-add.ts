import { addRegistry, rootLine } from "../../registry/client/index.js";
import { installTarget } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import { noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";

export const command: Command = {
  name: "registry add",
  summary: "Use a registry in this project and pin its trust root",
  help: `Usage: skillreg registry add <url|git-url|folder> [--scope @scope] [--trust <root fingerprint>] [--json]

Adds the registry site <url> to the project's .skillreg.yaml (as the default registry, or for
one scope with --scope) and pins its trust root: the admins' keys and threshold that sign
every later change of the root, and through it the key that signs the index. From then on,
every pull checks the index against that root (tuf-js): a site serving other keys, a hidden
yank, a changed scan decision or an old, expired index is refused.

Without --trust, a first contact prints the root's fingerprints, like ssh meeting a new
host: compare them with what the registry's admins published. With --trust (for CI), the
fingerprint must match the root the site serves, or an earlier root of its chain, or
nothing is written and the exit status is 2.

A Git URL or a folder is pinned the same way, to a root of the chain its main holds
(trust/<N>.root.json). Its index is built from the repository itself, so every pull holds
main to that root: each later root signed by the threshold of the one before, and
allowed_signers, skillreg.yaml and every scope's members, visibility, yanks and deprecations
exactly as the admins signed them in trust/signers.json ('skillreg registry trust sign').
The version of that signer set is recorded with the pin (signers: in .skillreg.yaml), and
every later read refuses an older one, so a clone of the project is not rolled back behind
it. A repository without that signer set is added unpinned (--trust is then refused): whoever
can push to it chooses its keys. Pulls from a Git URL also record
the commit they verified in skillreg.checkpoint.json and refuse a main that does not
descend from it.

Options:
  --scope @s         use this registry for @s only
  --trust SHA256:..  the root fingerprint the registry's admins gave you
  --json             print the result as JSON
  -h, --help         show this help`,
  options: { scope: { type: "string" }, trust: { type: "string" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const [url] = args.positionals;
    if (url === undefined) throw new UsageError(`missing <url>: name the registry's site URL; ${seeHelp("registry add")}`);
    noExtraArguments(args, 1, seeHelp("registry add"));
    const scope = str(args, "scope")?.replace(/^@/, "");
    const trust = str(args, "trust");
    const result = await addRegistry({
      url,
      ...(scope !== undefined ? { scope } : {}),
      ...(trust !== undefined ? { trust } : {}),
      projectDir: installTarget(ctx.cwd, ctx.env, false).root,
      cwd: ctx.cwd,
      env: ctx.env,
    });
    printResult(args, ctx, result, () => {
      const { root, pin } = result;
      if (!root || !pin) {
        ctx.out.line(`${ctx.out.color.green("added")} ${result.registry} for ${result.scope ? `@${result.scope}` : "every scope"} in ${result.configFile}`);
        ctx.out.line(
          result.how === "unsigned"
            ? "  not pinned: this site serves no signed index metadata, so its index is not authenticated (docs/trust.md); its admins sign it with 'skillreg build --online-key'"
            : "  not pinned: its admins signed no signer set (trust/signers.json) for a root to vouch for, so whoever can push to it chooses its signing keys; pulls refuse a main that rewinds past the commit they last verified (docs/trust.md)",
        );
        return;
      }
      if (result.how === "first-contact") ctx.out.line(`first contact with ${result.registry}: no root was pinned for it; compare these fingerprints with what its admins published`);
      ctx.out.line(`  ${rootLine(root)}, expires ${root.expires}`);
      ctx.out.line(result.site ? `  index signed by ${root.online.join(", ")}` : `  keys, members, yanks, deprecations and visibility signed by the admins (trust/signers.json)`);
      const what = `${result.how === "unchanged" ? "already pinned" : "pinned"}: root ${pin.fingerprint} (version ${pin.version})`;
      ctx.out.line(`${ctx.out.color.green(what)} for ${result.scope ? `@${result.scope}` : "every scope"} in ${result.configFile}`);
    });
    return 0;
  },
};
