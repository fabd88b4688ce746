import { installTarget } from "../../registry/client/index.js";
import { readLock } from "../../registry/client/index.js";
import { flag, printResult, type Command } from "../command.js";

export const command: Command = {
  name: "list",
  summary: "List the skills in skillreg.lock",
  help: `Usage: skillreg list [options]

Show every installed skill: version, range, signer, registry and where it is installed.

Options:
  --global    use the user-level lock
  --json      print the lock's skills as JSON
  -h, --help  show this help`,
  options: { global: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const lock = await readLock(target.lockPath);
    const keys = Object.keys(lock.skills).sort();
    const skills = keys.map((k) => {
      const e = lock.skills[k]!;
      return { skill: k, version: e.version, range: e.range, registry: e.registry, signer: e.signer, paths: e.paths, ...(e.as !== undefined ? { as: e.as } : {}) };
    });
    printResult(args, ctx, { skills }, () => {
      if (skills.length === 0) ctx.out.line("no skills installed here (skillreg pull <@scope/name> installs one)");
      for (const s of skills) {
        ctx.out.line(`${ctx.out.color.bold(`${s.skill}@${s.version}`)}  (${s.range})${s.as !== undefined ? `  as ${s.as}` : ""}  signed by ${s.signer.principal}  from ${s.registry}`);
        for (const p of s.paths) ctx.out.line(`  ${p}`);
      }
    });
    return 0;
  },
};
