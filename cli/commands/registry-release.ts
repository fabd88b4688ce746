import { noExtraArguments, printResult, registryDir, seeHelp, str, type Command } from "../command.js";
import { ReleaseAlarm, releaseRegistry } from "../../registry/publish/index.js";

export const command: Command = {
  name: "registry release",
  summary: "Create the tag of every publish/**.tag on main that has none yet",
  help: `Usage: skillreg registry release [--registry D] [--push <remote>] [--json]

For every publish/<scope>/<name>/<version>.tag file on main without a tag, recreate the
signed tag object byte for byte with 'git mktag' (its id must equal the file's) and create
refs/tags/@<scope>/<name>@<version>. Tags that exist and match are left alone, so running it
again changes nothing.

A tag that exists but differs from its file (a moved version), or a skill tag with no file,
is an ALARM: nothing is created and the command exits 1, naming each such tag.

Options:
  --registry D      the registry repository (default: current folder)
  --push REMOTE     push the created tags to REMOTE (the release job: --push origin)
  --json            print {"created":[...],"unchanged":[...]}

Exit status: 0 released (or nothing to do), 1 alarm, 2 bad usage or not a registry.`,
  options: {
    registry: { type: "string" },
    push: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry release"));
    const registry = registryDir(args, ctx.cwd);
    const push = str(args, "push");
    let result;
    try {
      result = await releaseRegistry(registry, push !== undefined ? { push } : {});
    } catch (e) {
      if (!(e instanceof ReleaseAlarm)) throw e;
      for (const alarm of e.alarms) ctx.stderr.write(`${ctx.out.color.red("ALARM:")} ${alarm}\n`);
      ctx.stderr.write("skillreg: release refused: published versions must never change; nothing was created\n");
      return 1;
    }
    printResult(args, ctx, result, () => {
      for (const t of result.created) ctx.out.line(`${ctx.out.color.green("tagged")} ${t}`);
      ctx.out.line(
        `${result.created.length} tag${result.created.length === 1 ? "" : "s"} created, ${result.unchanged.length} already in place` +
          (result.pushed ? `, pushed to ${push}` : ""),
      );
    });
    return 0;
  },
};
