import { UsageError } from "../../registry/core/index.js";
import { removeSkills } from "../../registry/client/index.js";
import { flag, printResult, type Command } from "../command.js";

export const command: Command = {
  name: "remove",
  summary: "Uninstall skills and drop them from skillreg.lock",
  help: `Usage: skillreg remove <@scope/name>... [options]

Delete each skill's installed folders and its entry in skillreg.lock.

Options:
  --global    use the user-level lock
  --json      print what was removed as JSON
  -h, --help  show this help`,
  options: { global: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError("name at least one skill to remove, e.g. skillreg remove @acme/deploy");
    const removed = await removeSkills(ctx, { skills: args.positionals, global: flag(args, "global") });
    printResult(args, ctx, { removed }, () => {
      for (const r of removed) ctx.out.line(`${ctx.out.color.red("-")} ${r.skill} (${r.paths.join(", ")})`);
    });
    return 0;
  },
};
