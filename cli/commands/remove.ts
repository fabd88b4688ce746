import { UsageError } from "../../registry/core/index.js";
import { removeSkills } from "../../registry/client/index.js";
import { flag, printResult, str, type Command } from "../command.js";

export const command: Command = {
  name: "remove",
  scanner: "on demand",
  summary: "Uninstall skills and drop them from skillreg.lock",
  help: `Usage: skillreg remove <@scope/name>... [options]

Delete each skill's installed folders and its entry in skillreg.lock. With --agent, only
that agent's folders go, and the entry stays while other agents still have the skill.
Folders skillreg.lock does not record are never touched.

Options:
  --agent <id>  remove only the copy for this agent (claude, codex, cursor, gemini, copilot, agents)
  --global    use the user-level lock
  --json      print what was removed as JSON
  -h, --help  show this help

Example:
  skillreg remove @acme-corp/deploy-script --agent codex`,
  options: { agent: { type: "string" }, global: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError("name at least one skill to remove, e.g. skillreg remove @acme/deploy");
    const agent = str(args, "agent");
    const removed = await removeSkills(ctx, { skills: args.positionals, global: flag(args, "global"), ...(agent === undefined ? {} : { agent }) });
    printResult(args, ctx, { removed }, () => {
      for (const r of removed) ctx.out.line(`${ctx.out.color.red("-")} ${r.skill} (${r.paths.join(", ")})`);
    });
    return 0;
  },
};
