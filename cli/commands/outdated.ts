import { outdatedSkills } from "../../registry/client/index.js";
import { flag, printResult, type Command } from "../command.js";
import { printTable } from "../output.js";

export const command: Command = {
  name: "outdated",
  scanner: "on demand",
  summary: "Show installed skills with newer versions in their registry",
  help: `Usage: skillreg outdated [options]

For each skill in skillreg.lock: the installed version, the newest its range allows
(wanted) and the newest published (latest). Exits 1 when anything is outdated.

Options:
  --global    use the user-level lock
  --json      print the table as JSON
  -h, --help  show this help`,
  options: { global: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const { rows, outdated } = await outdatedSkills(ctx, { global: flag(args, "global") }, { progress: (s) => ctx.out.progress(s), planned: () => undefined, notice: (m: string) => ctx.out.warn(m) });
    printResult(args, ctx, { skills: rows }, () => {
      if (outdated.length === 0) {
        ctx.out.line(rows.length === 0 ? "no skills in skillreg.lock" : "every skill is up to date");
        return;
      }
      printTable(ctx.out, ["Skill", "Current", "Wanted", "Latest", "Range", ""], outdated.map((r) => [r.skill, r.current, r.wanted ?? "-", r.latest ?? "-", r.range, r.note]));
    });
    return outdated.length > 0 ? 1 : 0;
  },
};
