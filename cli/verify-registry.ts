import type { CommandContext } from "./command.js";
import { openRegistryRepo } from "./registry-repo.js";
import { verifyRegistry } from "../registry/history/index.js";
import { checkpointPathBeside, installTarget, rewritesSinceCheckpoint } from "../registry/client/index.js";

/** Help text for the --registry mode, appended to `skillreg verify --help`. */
export const VERIFY_REGISTRY_HELP = `Usage: skillreg verify --registry <R> [--json]

With --registry, proves that the registry R (a checkout, a bare repository or a Git URL)
was not tampered with: every publish/**.tag has its tag with the identical object, every
skill tag has its publish record, every signature verifies with a key authorised when the
release recorded it (the commit time of the main-line commit that added the record, not
the tagger date), by allowed_signers both as it was then and as it is now, from an owner
or maintainer the scope had then, and no
publish record was ever modified or deleted on the main line. When the project has a
checkpoint (skillreg.checkpoint.json beside skillreg.lock, written by pull), the registry
must also still hold every version it recorded, with the same tag object, and every yank:
a dropped publish, a dropped yank or a swapped version is named even when the rewritten
history agrees with itself. Exit 1 naming every violation, 0 when there is none.`;

/** `skillreg verify --registry R`: exit 0 when the registry is intact, 1 naming every violation. */
export async function runVerifyRegistry(spec: string, json: boolean, ctx: CommandContext): Promise<number> {
  const repo = await openRegistryRepo(spec, ctx);
  try {
    ctx.out.progress(`checking publish records, tags and history of ${spec}`);
    const report = await verifyRegistry(repo.dir);
    const checkpoint = checkpointPathBeside(installTarget(ctx.cwd, ctx.env, false).lockPath);
    const { compared, rewrites } = await rewritesSinceCheckpoint(repo.dir, checkpoint);
    for (const r of rewrites) report.violations.push({ subject: r.subject, message: `${r.kind} since the checkpoint ${checkpoint}: ${r.message}` });
    if (json) {
      ctx.out.json({ ok: report.violations.length === 0, ...report });
    } else if (report.violations.length === 0) {
      ctx.out.line(`${ctx.out.color.green("ok")}: ${report.records} publish records and ${report.tags} tags verified, history intact${compared > 0 ? `; ${compared} versions of the checkpoint still there` : ""}`);
    } else {
      for (const v of report.violations) ctx.out.line(`${ctx.out.color.red("violation")}: ${v.subject}: ${v.message}`);
      ctx.out.line(`${report.violations.length} violation${report.violations.length === 1 ? "" : "s"} in ${spec}`);
    }
    return report.violations.length === 0 ? 0 : 1;
  } finally {
    repo.close();
  }
}
