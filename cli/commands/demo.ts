import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { flag, noExtraArguments, seeHelp, str, type Command, type CommandContext } from "../command.js";
import { UsageError } from "../../registry/core/index.js";
import { serveSite } from "../site.js";
import { runDemo, type DemoResult } from "../../registry/demo.js";
import { DECISION_WORDS } from "@skillreg/scanner";
import { skillregVersion } from "../../registry/core/index.js";
import { renderMarkdown } from "@skillreg/scanner";

export const command: Command = {
  name: "demo",
  summary: "Run the whole local publishing flow on a throwaway registry",
  help: `Usage: skillreg demo [--dir D] [--port P] [--no-serve] [--json]

Shows the whole product on a throwaway registry, through the same code the commands run:
keys for alice, bob, carol and admin (and the release workflow's online key) made with
ssh-keygen; the admin's trust root, which clients pin; a registry with the private
scopes @acme-corp (owners alice and carol) and @alice (owner alice); bob made a maintainer
of @acme-corp and carol of @alice through access-change pull requests; every example skill
(examples/skills/<scope>/<name>) pushed as a signed tag, gated, reviewed and merged by a
second person (a high finding by the security reviewer, carol) and released; three versions
of @acme-corp/changelog-writer, one yanked and one deprecated; some skills made public and
the rest left private; the admin's signer set, for clients of its folder or Git URL. Prints
each step as the command you would type, then a summary.

Then it builds the registry's public site, its index signed with the release key, and serves
it on http://127.0.0.1:4321/ (Ctrl-C to stop), unless --no-serve is given.

Options:
  --dir D       work in D (must be missing or empty): the registry goes to D/registry and the
                keys to D/keys, and both stay. Default: a new temporary folder, removed
                when you stop the demo (Ctrl-C), kept with --no-serve or --json.
  --port P      serve on port P of 127.0.0.1 (default 4321; 0 picks a free one)
  --no-serve    stop after the summary; do not build or serve the site
  --json        print the result as JSON (implies --no-serve)

Exit status: 0 done, 2 bad usage, a non-empty --dir or a missing ssh-keygen.`,
  options: {
    dir: { type: "string" },
    port: { type: "string" },
    "no-serve": { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("demo"));
    const dirArg = str(args, "dir");
    // Checked before the demo writes anything; serve checks it again the same way.
    const port = str(args, "port");
    if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not '${port}'`);
    const json = flag(args, "json");
    const serve = !json && !flag(args, "no-serve");
    // Without --dir the registry is a throwaway: the demo makes it here so that Ctrl-C (or a
    // SIGTERM) part-way, or while serving, removes it instead of leaving it in the temp folder.
    const throwaway = dirArg === undefined ? await mkdtemp(join(tmpdir(), "skillreg-demo-")) : undefined;
    const stopRemoving = throwaway === undefined ? () => undefined : removeOnInterrupt(throwaway, ctx);
    try {
      return await demoThenServe(ctx, dirArg !== undefined ? resolve(ctx.cwd, dirArg) : throwaway!, json, serve, port);
    } finally {
      // --no-serve and --json print the registry's path for the commands that follow: it stays.
      stopRemoving();
      if (throwaway !== undefined && serve) rmSync(throwaway, { recursive: true, force: true, maxRetries: 3 });
    }
  },
};

/**
 * On SIGINT or SIGTERM: remove `dir` and exit as a signalled process does (130, 143). Returns
 * the function that stops watching. The children the demo runs (git, ssh-keygen) get the
 * terminal's Ctrl-C themselves; the retries cover a git still writing when the folder goes.
 */
function removeOnInterrupt(dir: string, ctx: CommandContext): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    ctx.stderr.write(`\nskillreg: ${signal === "SIGINT" ? "interrupted" : "stopped"}; removed the throwaway registry ${dir} (pass --dir D to keep one)\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

async function demoThenServe(ctx: CommandContext, dir: string, json: boolean, serve: boolean, port: string | undefined): Promise<number> {
  const result = await runDemo({
    dir,
    env: ctx.env,
    skillregVersion: skillregVersion(),
    say: json ? () => undefined : (line) => ctx.out.line(line),
    progress: ctx.out.progress,
    renderScan: (scan) => renderMarkdown([scan]),
  });
  if (json) {
    ctx.out.json(result);
    return 0;
  }
  printSummary(ctx, result);
  if (!serve) return 0;
  ctx.out.line(`7. Site: building and serving the public catalog of ${result.registry}`);
  // Signed with the release key, as the release workflow signs the index: a first pull is authenticated.
  return serveSite({ positionals: [], values: { registry: result.registry, out: join(result.dir, "site"), "online-key": result.onlineKey, ...(port !== undefined && { port }) } }, ctx);
}

function printSummary(ctx: CommandContext, result: DemoResult): void {
  const { bold } = ctx.out.color;
  const r = result.registry;
  const width = Math.max(...result.tags.map((t) => t.tag.length));
  ctx.out.line("");
  ctx.out.line(bold("6. Summary"));
  ctx.out.line(`   Registry: ${r}`);
  ctx.out.line(`   Keys:     ${result.keysDir}`);
  ctx.out.line(`   ${result.changes.length} access changes and ${result.published.length} versions, each merged by a second person with a signed merge commit.`);
  ctx.out.line(`   Tags (${result.tags.length}, each signed by its publisher and pointing at the skill's own tree):`);
  for (const t of result.tags) {
    const notes = [t.yanked !== undefined && `yanked: ${t.yanked}`, t.deprecated !== undefined && `deprecated: ${t.deprecated}`].filter(Boolean);
    const scan = DECISION_WORDS[t.decision as keyof typeof DECISION_WORDS] ?? t.decision;
    ctx.out.line(`     ${t.tag.padEnd(width)}  ${t.visibility.padEnd(7)}  scan ${scan.padEnd(12)}  ${notes.join("; ")}`.trimEnd());
  }
  const newest = result.published.at(-1)?.tag ?? "<tag>";
  ctx.out.line("   Next:");
  ctx.out.line(`     skillreg audit --registry ${r}`);
  ctx.out.line(`     skillreg verify --registry ${r}`);
  ctx.out.line(`     git -C ${r} -c gpg.ssh.allowedSignersFile=${join(r, "allowed_signers")} verify-tag '${newest}'`);
  ctx.out.line(`     skillreg pull '@acme-corp/changelog-writer@~2.0.0' --registry ${r}    (in a project folder: 2.0.0 is yanked, so 2.0.1, with its deprecation warning)`);
  ctx.out.line(`     skillreg serve --registry ${r}    (the public catalog; --audience internal shows the private skills too)`);
}
