import { DECISION_WORDS } from "@skillreg/scanner/words";
import { searchSkills } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import { printResult, seeHelp, str, type Command } from "../command.js";
import { printTable } from "../output.js";

export const command: Command = {
  name: "search",
  scanner: "on demand",
  summary: "Find skills by name or description in the configured registries",
  help: `Usage: skillreg search <text...> [--registry R] [--json]

Lists the skills whose @scope/name or description holds every word of <text> (any case),
from --registry or every registry in .skillreg.yaml, name matches first, then the newest.

Options:
  --registry R   search this registry (site URL, Git URL or folder) only
  --json         print the matches as JSON

Example:
  skillreg search changelog`,
  options: { registry: { type: "string" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const text = args.positionals.join(" ").trim();
    if (text === "") throw new UsageError(`missing <text> to search for; ${seeHelp("search")}`);
    const registry = str(args, "registry");
    const hits = await searchSkills({ cwd: ctx.cwd, env: ctx.env, progress: ctx.out.progress }, { text, ...(registry !== undefined ? { registry } : {}) });
    printResult(args, ctx, { skills: hits }, () => {
      if (hits.length === 0) {
        ctx.out.line(`no skill matches "${text}"`);
        return;
      }
      printTable(ctx.out, ["skill", "latest", "scan", "description"], hits.map((h) => [`@${h.scope}/${h.name}`, h.latest, DECISION_WORDS[h.decision], h.description.length > 70 ? `${h.description.slice(0, 69)}…` : h.description]));
    });
    return 0;
  },
};
