import { flag, noExtraArguments, registryArg, seeHelp, str, type Command } from "../command.js";
import { openRegistryRepo } from "../registry-repo.js";
import { UsageError } from "../../registry/core/index.js";
import { auditCsv, auditDetails, auditTarget, readAuditEvents, type AuditFilter } from "../../registry/history/index.js";
import { parseScopeTarget } from "../change.js";
import { printTable } from "../output.js";

const FORMATS = ["table", "json", "csv"] as const;

export const command: Command = {
  name: "audit",
  summary: "Show who published, reviewed and changed access, from the registry's Git history",
  help: `Usage: skillreg audit [@scope[/name]] [--registry R] [--since DATE] [--format table|json|csv]

Lists every event of the registry, oldest first, read from Git alone: publish (version,
signer, reviewer, scan decision, pull request), yank, deprecate, visibility change,
member added, removed or role changed, key added or revoked, policy change. Each has
its actor (the principal whose SSH key signed the commit, or the commit author marked
unverified), the approver who merged it, its time and commit.

Arguments:
  @scope[/name]     only events of this scope or skill

Options:
  --registry R      registry checkout, bare repository or Git URL (default: current folder)
  --since DATE      only events at or after DATE (ISO 8601, e.g. 2026-01-31)
  --format F        table (default), json or csv
  --json            same as --format json`,
  options: {
    registry: { type: "string" },
    since: { type: "string" },
    format: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 1, seeHelp("audit"));
    const filter: AuditFilter = {};
    if (args.positionals[0] !== undefined) {
      const { scope, name } = parseScopeTarget(args.positionals[0], "skillreg audit [@scope[/name]]");
      filter.scope = scope;
      if (name !== undefined) filter.skill = name;
    }
    const since = str(args, "since");
    if (since !== undefined) {
      const date = /^\d{4}-\d{2}-\d{2}/.test(since) ? new Date(since) : new Date(NaN);
      if (Number.isNaN(date.getTime())) throw new UsageError(`--since '${since}' is not a date like 2026-01-31 or 2026-01-31T12:00:00Z`);
      filter.since = date;
    }
    const format = flag(args, "json") ? "json" : (str(args, "format") ?? "table");
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be table, json or csv, not '${format}'`);

    const spec = registryArg(args);
    const repo = await openRegistryRepo(str(args, "registry"), ctx);
    try {
      ctx.out.progress(`reading the history of ${spec}`);
      const events = await readAuditEvents(repo.dir, filter);
      if (format === "json") ctx.out.json(events);
      else if (format === "csv") ctx.stdout.write(auditCsv(events));
      else printAuditTable(events, ctx);
      return 0;
    } finally {
      repo.close();
    }
  },
};

function printAuditTable(events: Awaited<ReturnType<typeof readAuditEvents>>, ctx: Parameters<Command["run"]>[1]): void {
  if (events.length === 0) {
    ctx.out.line("no events");
    return;
  }
  const rows = events.map((e) => [
    e.time.replace(/\.\d{3}Z$/, "Z"),
    e.type,
    auditTarget(e),
    e.actorVerified ? e.actor : `${e.actor} (unverified)`,
    // A publish names its reviewer already; other changes name who approved them.
    auditDetails(e) + (e.approver && e.approver !== e.reviewer ? `${auditDetails(e) ? "; " : ""}approved-by=${e.approver}` : ""),
    e.commit.slice(0, 12),
  ]);
  printTable(ctx.out, ["TIME", "EVENT", "TARGET", "ACTOR", "DETAILS", "COMMIT"], rows, { header: ctx.out.color.bold });
}
