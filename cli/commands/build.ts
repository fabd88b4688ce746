import { resolve } from "node:path";
import { noExtraArguments, printResult, seeHelp, str, type Command } from "../command.js";
import { buildFromArgs } from "../site.js";

export const command: Command = {
  name: "build",
  summary: "Build the registry's static site: catalog, machine index, search",
  help: `Usage: skillreg build [--registry R] [--out DIR] [--audience public|internal] [--base-url URL] [--git-url URL]
                      [--online-key K] [--json]

Builds the catalog (home and search, scopes, skills with their rendered SKILL.md, files,
versions, scan findings and audit history, version diffs, the audit log and the security
policy), the machine index the CLI pulls from (/index/v1/...), and /.well-known/skills/ for
other skill clients (npx skills add <site-url>), from the registry's main branch.

With --audience public (the default) no private skill appears anywhere in the output:
pages, index files, search index or well-known files. --audience internal builds the full
catalog, for deployment behind your organisation's sign-in.

Options:
  --registry R      registry checkout, bare repository or Git URL (default: current folder)
  --out DIR         output folder (default: _site); replaced only when empty or built by skillreg
  --audience A      public (default) or internal
  --base-url URL    the URL the site will be served at (sets links, the index's siteUrl and
                    the 'npx skills add' hint); default: skillreg.yaml siteUrl, else none
  --cache-dir DIR   scan results and rendered pages kept between builds, so a rebuild scans
                    and renders only what changed (keep it between CI runs); default:
                    $SKILLREG_CACHE_DIR, $XDG_CACHE_HOME/skillreg or ~/.cache/skillreg
  --online-key K    sign the index with this ed25519 key (the release workflow's secret):
                    writes /index/v1/tuf/ (the root chain of trust/, targets, snapshot,
                    timestamp), which pinned clients require
  --git-url URL     the registry's Git URL over HTTP(S) that clients fetch tags from, named in
                    /index/v1/config.json (e.g. https://github.com/acme/skills.git for a site on
                    GitHub Pages); default: skillreg.yaml gitUrl, else none (pull then fails)
  --json            print the result as JSON

Exit status: 0 built, 2 bad usage or a registry that cannot be read.`,
  options: {
    registry: { type: "string" },
    out: { type: "string" },
    audience: { type: "string" },
    "base-url": { type: "string" },
    "cache-dir": { type: "string" },
    "online-key": { type: "string" },
    "git-url": { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("build"));
    const result = await buildFromArgs(args, ctx, resolve(ctx.cwd, str(args, "out") ?? "_site"));
    printResult(args, ctx, result, () =>
      ctx.out.line(`${ctx.out.color.green("built")} ${result.outDir}: ${result.skills} skills, ${result.versions} versions, ${result.pages} pages (${result.searchPages} searchable, ${result.reusedSkills} skills' pages reused, ${result.cachedScans} of ${result.cachedScans + result.scannedVersions} scans from the cache)`),
    );
    return 0;
  },
};
