import { scanCacheFor } from "../../registry/core/index.js";
import { pendingChanges } from "../../registry/publish/index.js";
import { noExtraArguments, printResult, registryArg, seeHelp, type Command } from "../command.js";
import { printTable } from "../output.js";

export const command: Command = {
  name: "registry pending",
  summary: "List the publish and access branches waiting for review, with the gate's verdict",
  help: `Usage: skillreg registry pending [--registry R] [--json]

The review queue: every publish/... and access/... branch not yet merged into main, each
judged by the same publish gate 'registry merge' runs: what it publishes, who signed it, the
scan decision, and whether the gate would let it be merged (and why not).

Options:
  --registry R   the registry: a folder or a Git URL (default: current folder)
  --json         print the queue as JSON

Example:
  skillreg registry pending --registry git@github.com:acme/skills.git`,
  options: { registry: { type: "string" }, json: { type: "boolean" } },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry pending"));
    const pending = await pendingChanges(registryArg(args), ctx.cwd, new Date(), scanCacheFor(ctx.env));
    printResult(args, ctx, { pending }, () => {
      if (pending.length === 0) {
        ctx.out.line("nothing is waiting for review");
        return;
      }
      printTable(
        ctx.out,
        ["branch", "publishes", "signed by", "scan", "gate"],
        pending.map((p) => [p.branch, p.tags.join(", ") || "-", p.publishers.join(", ") || "-", p.decision, p.ok ? "ready for review" : `blocked: ${p.blocks[0] ?? ""}`]),
      );
      ctx.out.line(`Review one: skillreg registry merge <branch> --key <your-key>`);
    });
    return 0;
  },
};
