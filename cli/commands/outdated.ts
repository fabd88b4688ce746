import { installTarget } from "../../registry/install.js";
import { readLock } from "../../registry/lock.js";
import { parseSkillSpec, resolveVersion } from "../../registry/resolve.js";
import { flag, printResult, type Command } from "../command.js";
import { sourceCache } from "./pull.js";

interface Row {
  skill: string;
  current: string;
  wanted: string | null;
  latest: string | null;
  range: string;
  note: string;
}

export const command: Command = {
  name: "outdated",
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
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const lock = await readLock(target.lockPath);
    const sourceOf = sourceCache(ctx);
    const rows: Row[] = [];
    for (const key of Object.keys(lock.skills).sort()) {
      const locked = lock.skills[key]!;
      ctx.out.progress(`checking ${key}`);
      const { scope, name } = parseSkillSpec(key);
      const skill = await sourceOf(locked.registry).skill(scope, name);
      const pick = (range: string) => {
        try {
          return resolveVersion(key, skill.versions, range).version;
        } catch {
          return null;
        }
      };
      const current = skill.versions.find((v) => v.version === locked.version);
      const note = current?.yanked ? `yanked: ${current.yanked.reason}` : current?.deprecated ? `deprecated: ${current.deprecated.reason}` : "";
      rows.push({ skill: key, current: locked.version, wanted: pick(locked.range), latest: pick("latest"), range: locked.range, note });
    }
    const outdated = rows.filter((r) => (r.wanted !== null && r.wanted !== r.current) || (r.latest !== null && r.latest !== r.current) || r.note.startsWith("yanked"));
    printResult(args, ctx, { skills: rows }, () => {
      if (outdated.length === 0) {
        ctx.out.line(rows.length === 0 ? "no skills in skillreg.lock" : "every skill is up to date");
        return;
      }
      const table = [["Skill", "Current", "Wanted", "Latest", "Range", ""], ...outdated.map((r) => [r.skill, r.current, r.wanted ?? "-", r.latest ?? "-", r.range, r.note])];
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
      for (const row of table) ctx.out.line(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
    });
    return outdated.length > 0 ? 1 : 0;
  },
};
