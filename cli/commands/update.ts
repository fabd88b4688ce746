import { SkillregError } from "../../registry/errors.js";
import { commitInstalls, installTarget, lockedFolders, planVersion, type PlannedVersion } from "../../registry/install.js";
import { readLock } from "../../registry/lock.js";
import { parseSkillSpec } from "../../registry/resolve.js";
import { skillKey } from "../../registry/layout.js";
import { flag, type Command } from "../command.js";
import { describeInstall, narration, showScan, sourceCache, verifyAll } from "./pull.js";

export const command: Command = {
  name: "update",
  summary: "Move installed skills to the newest version their range allows",
  help: `Usage: skillreg update [@scope/name...] [options]

For each named skill (default: every skill in skillreg.lock), resolve its recorded range
again, skipping yanked versions, and install the result if it differs from what is locked.

Options:
  --global        use the user-level lock
  --accept-risk   allow versions whose scan decision is 'review'
  --prerelease    let ranges match prerelease versions
  --json          print what changed as JSON
  -h, --help      show this help`,
  options: { global: { type: "boolean" }, "accept-risk": { type: "boolean" }, prerelease: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const lock = await readLock(target.lockPath);
    const keys = args.positionals.length > 0 ? args.positionals.map((p) => { const s = parseSkillSpec(p); return skillKey(s.scope, s.name); }) : Object.keys(lock.skills).sort();
    for (const k of keys) if (!Object.hasOwn(lock.skills, k)) throw new SkillregError(`${k} is not in skillreg.lock; pull it first`);
    const sourceOf = sourceCache(ctx);
    const plans: PlannedVersion[] = [];
    const unchanged: string[] = [];
    for (const key of keys) {
      const locked = lock.skills[key]!;
      ctx.out.progress(`resolving ${key}@${locked.range}`);
      const plan = await planVersion(sourceOf(locked.registry), { ...parseSkillSpec(key), range: locked.range }, { prerelease: flag(args, "prerelease") });
      if (plan.entry.version === locked.version) {
        unchanged.push(key);
        continue;
      }
      if (!flag(args, "json")) ctx.out.line(`${key}: ${locked.version} -> ${plan.entry.version}`);
      showScan(narration(ctx.out, flag(args, "json")), key, plan.entry, flag(args, "accept-risk"));
      plans.push(plan);
    }
    const items = await verifyAll(ctx, plans, sourceOf, (p) => lockedFolders(lock.skills[p.key]!));
    const written = items.length > 0 ? await commitInstalls(target, items) : lock;
    if (flag(args, "json")) {
      ctx.out.json({ updated: items.map((i) => ({ skill: i.key, from: lock.skills[i.key]!.version, to: i.entry.version, paths: written.skills[i.key]!.paths })), unchanged });
      return 0;
    }
    for (const i of items) describeInstall(ctx.out, i, written.skills[i.key]!.paths);
    if (items.length === 0) ctx.out.line("every skill is at the newest version its range allows");
    return 0;
  },
};
