import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { flag, noExtraArguments, printResult, registryDir, seeHelp, type Command } from "../command.js";
import { codeownersStatus } from "../../registry/publish/index.js";
import { CODEOWNERS_FILE } from "../../registry/core/index.js";

export const command: Command = {
  name: "registry codeowners",
  summary: "Write or check .github/CODEOWNERS, generated from skillreg.yaml and scopes/",
  help: `Usage: skillreg registry codeowners [--check] [--registry D] [--json]

Writes .github/CODEOWNERS: admins own everything, each scope's owners and maintainers
own skills/<scope>/ and publish/<scope>/, and admins alone own skillreg.yaml, scopes/,
allowed_signers and .github/. Does not commit.

Options:
  --check        change nothing; exit 1 and say what differs when the file is stale
  --registry D   the registry (default: current folder)
  --json         print the result as JSON`,
  options: {
    check: { type: "boolean" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("registry codeowners"));
    const registry = registryDir(args, ctx.cwd);
    const { expected, differences } = await codeownersStatus(registry);
    const upToDate = differences.length === 0;
    const check = flag(args, "check");
    if (!check && !upToDate) {
      const path = join(registry, CODEOWNERS_FILE);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, expected);
    }
    printResult(args, ctx, { file: CODEOWNERS_FILE, upToDate, written: !check && !upToDate, differences }, () => {
      if (upToDate) {
        ctx.out.line(`${CODEOWNERS_FILE} is up to date`);
      } else if (check) {
        ctx.out.line(`${CODEOWNERS_FILE} is stale; run 'skillreg registry codeowners' to regenerate it:`);
        for (const d of differences) ctx.out.line(`  ${d}`);
      } else {
        ctx.out.line(`Wrote ${CODEOWNERS_FILE} (${differences.length} difference${differences.length === 1 ? "" : "s"} fixed); commit it`);
      }
    });
    return check && !upToDate ? 1 : 0;
  },
};
