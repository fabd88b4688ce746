import { SkillregError, UsageError } from "../../registry/errors.js";
import { commitInstalls, installTarget } from "../../registry/install.js";
import { readLock } from "../../registry/lock.js";
import { parseSkillSpec } from "../../registry/resolve.js";
import { skillKey } from "../../registry/layout.js";
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
    const keys = args.positionals.map((p) => {
      const s = parseSkillSpec(p);
      return skillKey(s.scope, s.name);
    });
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const lock = await readLock(target.lockPath);
    for (const k of keys) if (!Object.hasOwn(lock.skills, k)) throw new SkillregError(`${k} is not installed (not in ${target.lockPath})`);
    const removed = keys.map((k) => ({ skill: k, paths: lock.skills[k]!.paths }));
    await commitInstalls(target, [], keys);
    printResult(args, ctx, { removed }, () => {
      for (const r of removed) ctx.out.line(`${ctx.out.color.red("-")} ${r.skill} (${r.paths.join(", ")})`);
    });
    return 0;
  },
};
