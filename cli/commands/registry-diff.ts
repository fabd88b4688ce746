import { join, resolve } from "node:path";
import { renderText } from "@skillreg/scanner";
import { homeDir } from "../../registry/client/index.js";
import { UsageError, scanCacheFor } from "../../registry/core/index.js";
import { reviewBranch } from "../../registry/publish/index.js";
import { sealIdentityFor } from "../../registry/seal/index.js";
import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { printBlocks } from "../gate-report.js";

export const command: Command = {
  name: "registry diff",
  summary: "Show what a publish branch changes, sealed versions decrypted for a member",
  help: `Usage: skillreg registry diff <branch> [--identity KEY] [--registry D] [--json]

For each version <branch> publishes: a unified diff of its files against the latest version
on main, and the scan of the new files, with the publish gate's verdict. A sealed version's
pull-request diff is ciphertext; here both versions are opened with your key, so a member
reviews the plaintext. Reads git objects only; nothing is written.

Options:
  --identity KEY   the SSH private key that opens sealed versions (default: SKILLREG_GATE_KEY,
                   else ~/.ssh/id_ed25519 when it exists)
  --registry D     the registry repository (default: current folder)
  --json           print the review as JSON

Exit status: 0 the gate passes, 1 it blocks (every reason is listed), 2 bad usage.`,
  options: {
    identity: { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [branch] = args.positionals;
    if (branch === undefined) throw new UsageError("missing <branch>; usage: skillreg registry diff <branch> [--identity KEY]");
    noExtraArguments(args, 1, seeHelp("registry diff"));
    const given = str(args, "identity");
    const identity = await sealIdentityFor(given === undefined ? undefined : resolve(ctx.cwd, given), ctx.env, join(homeDir(ctx.env), ".ssh", "id_ed25519"));
    const { gate, versions } = await reviewBranch({ registry: registryDir(args, ctx.cwd), branch, scans: scanCacheFor(ctx.env), ...(identity ? { identity } : {}) });
    printResult(args, ctx, { ok: gate.ok, blocks: gate.blocks, versions }, () => {
      for (const v of versions) {
        ctx.out.line(`${v.version}${v.sealed ? " (sealed)" : ""}${v.previous ? ` against ${v.previous}` : " (first version)"}`);
        if (v.unreadable) ctx.out.line(`  not shown: ${v.unreadable}`);
        else ctx.stdout.write(v.patch === "" ? "  no file changes\n" : v.patch);
        if (v.scan) ctx.stdout.write(renderText([v.scan]));
      }
    });
    printBlocks(ctx, gate);
    return gate.ok ? 0 : 1;
  },
};
