import { readFile } from "node:fs/promises";
import { SkillregError } from "../../registry/errors.js";
import {
  commitInstalls,
  installTarget,
  lockedFolders,
  planVersion,
  verifyInstalled,
  type PlannedVersion,
} from "../../registry/install.js";
import { formatLock, readLock } from "../../registry/lock.js";
import { parseSkillSpec } from "../../registry/resolve.js";
import { flag, type Command } from "../command.js";
import { describeInstall, narration, showScan, sourceCache, verifyAll } from "./pull.js";

export const command: Command = {
  name: "install",
  summary: "Install exactly what skillreg.lock records",
  help: `Usage: skillreg install [options]

Reinstall every skill in skillreg.lock at its locked version, verified exactly as pull does
(and against the lock's tag object, tree and sha256). Skills whose installed files already
match the lock are left alone.

Options:
  --frozen        fail instead of changing skillreg.lock (for CI)
  --global        use the user-level lock (~/.config/skillreg/skillreg.lock)
  --accept-risk   allow versions whose scan decision is 'review'
  --json          print what was installed as JSON
  -h, --help      show this help`,
  options: {
    frozen: { type: "boolean" },
    global: { type: "boolean" },
    "accept-risk": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const frozen = flag(args, "frozen");
    const text = await readFile(target.lockPath, "utf8").catch(() => undefined);
    if (text === undefined) {
      if (frozen) throw new SkillregError(`${target.lockPath} does not exist; --frozen installs only from a lock`);
      ctx.out.line("nothing to install: no skillreg.lock here (use 'skillreg pull <skill>')");
      return 0;
    }
    const lock = await readLock(target.lockPath);
    if (frozen && formatLock(lock) !== text) {
      throw new SkillregError(`${target.lockPath} is not in canonical form; install would rewrite it (run 'skillreg install' and commit the lock)`);
    }
    const differences = new Set((await verifyInstalled(target.root, lock)).map((d) => d.skill));
    const sourceOf = sourceCache(ctx);
    const plans: PlannedVersion[] = [];
    for (const key of Object.keys(lock.skills).sort()) {
      if (!differences.has(key)) continue;
      const locked = lock.skills[key]!;
      const spec = parseSkillSpec(`${key}@${locked.version}`);
      ctx.out.progress(`resolving ${key}@${locked.version}`);
      const plan = await planVersion(sourceOf(locked.registry), spec, { locked: locked.version });
      plan.range = locked.range;
      for (const field of ["tagObject", "tree", "sha256"] as const) {
        if (plan.entry[field] !== locked[field]) {
          throw new SkillregError(`${key}@${locked.version}: the index's ${field} ${plan.entry[field]} differs from skillreg.lock's ${locked[field]}; nothing was installed`);
        }
      }
      if (!flag(args, "json")) ctx.out.line(`${key}@${locked.version} from ${plan.registry}`);
      showScan(narration(ctx.out, flag(args, "json")), key, plan.entry, flag(args, "accept-risk"));
      plans.push(plan);
    }
    const items = await verifyAll(ctx, plans, sourceOf, (p) => lockedFolders(lock.skills[p.key]!));
    for (const item of items) {
      const locked = lock.skills[item.key]!;
      if (frozen && (item.verified.signer.principal !== locked.signer.principal || item.verified.signer.fingerprint !== locked.signer.fingerprint)) {
        throw new SkillregError(`${item.key}: signer is now ${item.verified.signer.principal}, the lock says ${locked.signer.principal}; --frozen will not change the lock`);
      }
    }
    const written = items.length > 0 ? await commitInstalls(target, items) : lock;
    if (flag(args, "json")) {
      ctx.out.json({ installed: items.map((i) => ({ skill: i.key, version: i.entry.version, paths: written.skills[i.key]!.paths })), upToDate: Object.keys(lock.skills).filter((k) => !differences.has(k)).sort() });
      return 0;
    }
    for (const i of items) describeInstall(ctx.out, i, written.skills[i.key]!.paths);
    const same = Object.keys(lock.skills).length - items.length;
    ctx.out.line(items.length === 0 ? `all ${same} skill(s) already match skillreg.lock` : `${items.length} installed, ${same} already matched skillreg.lock`);
    return 0;
  },
};
