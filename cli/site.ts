import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_BRANCH, UsageError } from "../registry/core/index.js";
import { loadSigningKey, readRootChain, signIndex } from "../registry/trust/index.js";
import { resolveRegistry } from "../registry/client/index.js";
import { openRepo } from "../registry/git/index.js";
import type { Audience } from "../registry/index/index.js";
import { buildSite, serveStatic, type SiteBuildResult } from "../registry/site-build/index.js";
import { noExtraArguments, registryArg, seeHelp, str, type CommandContext, type ParsedArgs } from "./command.js";

/** Building and serving the catalog: shared by build, serve and demo. */

function audienceArg(args: ParsedArgs): Audience {
  const audience = str(args, "audience") ?? "public";
  if (audience !== "public" && audience !== "internal") throw new UsageError(`--audience must be public or internal, not '${audience}'`);
  return audience;
}

/** Open --registry, build the site into `outDir` with progress on stderr (shared with serve). */
export async function buildFromArgs(args: ParsedArgs, ctx: CommandContext, outDir: string): Promise<SiteBuildResult> {
  const audience = audienceArg(args);
  const onlineKey = str(args, "online-key");
  const online = onlineKey === undefined ? undefined : await loadSigningKey(resolve(ctx.cwd, onlineKey));
  const repo = await openRepo(registryArg(args), ctx.cwd);
  try {
    const roots = online ? await readRootChain(repo.dir, DEFAULT_BRANCH) : [];
    return await buildSite(repo.dir, {
      ...(online ? { signIndex: (files: ReadonlyMap<string, string>) => signIndex(files, { roots, online, now: new Date() }) } : {}),
      outDir,
      audience,
      baseUrl: str(args, "base-url"),
      onProgress: (step) => ctx.out.progress(step),
      onProblem: (message) => ctx.out.warn(message),
    });
  } finally {
    repo.close();
  }
}

/** `skillreg serve`: build the site, serve it on 127.0.0.1 until Ctrl-C. */
export async function serveSite(args: ParsedArgs, ctx: CommandContext): Promise<number> {
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
    if (result.newest) ctx.out.line(`Try: skillreg pull ${result.newest} --registry ${resolveRegistry(registryArg(args), ctx.cwd)}`);
    await new Promise<void>((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await server.close();
    return 0;
  } finally {
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}
