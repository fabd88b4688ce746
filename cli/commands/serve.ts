import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { noExtraArguments, registryArg, seeHelp, str, type Command } from "../command.js";
import { UsageError } from "../../registry/errors.js";
import { serveStatic } from "../../registry/site/serve.js";
import { buildFromArgs } from "./build.js";
import { registryFlag } from "./pull.js";

export const command: Command = {
  name: "serve",
  summary: "Build the registry's site and serve it on 127.0.0.1 for preview",
  help: `Usage: skillreg serve [--registry R] [--port P] [--audience public|internal] [--out DIR]

Builds the site as 'skillreg build' does, then serves it on http://127.0.0.1:P/ until you
press Ctrl-C. The index is served too, so 'skillreg pull' and 'npx skills add' work against
the printed URL.

Options:
  --registry R      registry checkout, bare repository or Git URL (default: current folder)
  --port P          port to listen on (default: 4321; 0 picks a free one)
  --audience A      public (default) or internal
  --out DIR         keep the built site in DIR (default: a temporary folder, removed on exit)`,
  options: {
    registry: { type: "string" },
    port: { type: "string" },
    audience: { type: "string" },
    out: { type: "string" },
  },
  async run(args, ctx) {
    noExtraArguments(args, 0, seeHelp("serve"));
    const portText = str(args, "port") ?? "4321";
    const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not '${portText}'`);

    const keep = str(args, "out");
    const temp = keep === undefined ? await mkdtemp(join(tmpdir(), "skillreg-site-")) : undefined;
    try {
      const outDir = keep !== undefined ? resolve(ctx.cwd, keep) : join(temp!, "site");
      await mkdir(outDir, { recursive: true });
      // Listen first: the site names the URL it is served at (index siteUrl, install hints).
      const server = await serveStatic(outDir, { port });
      let result;
      try {
        result = await buildFromArgs({ ...args, values: { ...args.values, "base-url": server.url } }, ctx, outDir);
      } catch (e) {
        await server.close();
        throw e;
      }
      ctx.out.line(`Serving ${result.skills} skills at ${ctx.out.color.bold(server.url)} (Ctrl-C to stop)`);
      if (result.newest) ctx.out.line(`Try: skillreg pull ${result.newest} --registry ${registryFlag(registryArg(args), ctx.cwd)}`);
      await new Promise<void>((done) => {
        process.once("SIGINT", done);
        process.once("SIGTERM", done);
      });
      await server.close();
      return 0;
    } finally {
      if (temp) await rm(temp, { recursive: true, force: true });
    }
  },
};
