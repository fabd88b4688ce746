import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_BRANCH, UsageError, userCacheDir } from "../registry/core/index.js";
import { openRepo, type OpenedRepo } from "../registry/git/index.js";
import { loadSigningKey, readRootChain, signIndex } from "../registry/trust/index.js";
import { sealIdentityFor } from "../registry/seal/index.js";
import type { Audience } from "../registry/index/index.js";
import { buildSite, serveStatic, SERVED_GIT_PATH, type SiteBuildResult } from "../registry/site-build/index.js";
import { noExtraArguments, registryArg, seeHelp, str, type CommandContext, type ParsedArgs } from "./command.js";

/** Building and serving the catalog: shared by build, serve and demo. */

function audienceArg(args: ParsedArgs): Audience {
  const audience = str(args, "audience") ?? "public";
  if (audience !== "public" && audience !== "internal") throw new UsageError(`--audience must be public or internal, not '${audience}'`);
  return audience;
}

/** Open --registry, build the site into `outDir` with progress on stderr. */
export async function buildFromArgs(args: ParsedArgs, ctx: CommandContext, outDir: string): Promise<SiteBuildResult> {
  const audience = audienceArg(args);
  const repo = await openRepo(registryArg(args), ctx.cwd);
  try {
    // Scan results and pages are kept between builds (skillreg serve builds once, without them).
    const cacheDir = resolve(ctx.cwd, str(args, "cache-dir") ?? userCacheDir(ctx.env));
    return await buildOpened(repo, args, ctx, outDir, audience, cacheDir);
  } finally {
    repo.close();
  }
}

async function buildOpened(repo: OpenedRepo, args: ParsedArgs, ctx: CommandContext, outDir: string, audience: Audience, cacheDir?: string): Promise<SiteBuildResult> {
  const gitUrl = str(args, "git-url");
  const onlineKey = str(args, "online-key");
  // With the release workflow's online key the index is signed (TUF) under the registry's root chain.
  const online = onlineKey === undefined ? undefined : await loadSigningKey(resolve(ctx.cwd, onlineKey));
  const roots = online ? await readRootChain(repo.dir, DEFAULT_BRANCH) : [];
  // An internal build opens sealed versions with a member's key, else CI's gate key.
  const identity = str(args, "identity");
  const sealIdentity = audience !== "internal" ? undefined : await sealIdentityFor(identity === undefined ? undefined : resolve(ctx.cwd, identity), ctx.env);
  return buildSite(repo.dir, {
    ...(sealIdentity ? { sealIdentity } : {}),
    ...(online ? { signIndex: (files: ReadonlyMap<string, { length: number; sha256: string }>) => signIndex(files, { roots, online, now: new Date() }) } : {}),
    outDir,
    audience,
    baseUrl: str(args, "base-url"),
    ...(gitUrl !== undefined ? { gitUrl } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    onProgress: (step) => ctx.out.progress(step),
    onProblem: (message) => ctx.out.warn(message),
  });
}

/**
 * `skillreg serve`: build the site, serve it and the registry's Git (read-only) on one
 * 127.0.0.1 origin until Ctrl-C; the index names that Git URL, so pulls work against it.
 */
export async function serveSite(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  noExtraArguments(args, 0, seeHelp("serve"));
  const portText = str(args, "port") ?? "4321";
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, not '${portText}'`);

  const audience = audienceArg(args);
  const keep = str(args, "out");
  const repo = await openRepo(registryArg(args), ctx.cwd);
  const temp = keep === undefined ? await mkdtemp(join(tmpdir(), "skillreg-site-")) : undefined;
  try {
    const outDir = keep !== undefined ? resolve(ctx.cwd, keep) : join(temp!, "site");
    await mkdir(outDir, { recursive: true });
    // Listen first: the site names the URL it is served at (index siteUrl and gitUrl, install hints).
    const server = await serveStatic(outDir, { port, gitDir: repo.gitDir });
    let result;
    try {
      const urls = { "base-url": server.url, "git-url": new URL(SERVED_GIT_PATH, server.url).href };
      result = await buildOpened(repo, { ...args, values: { ...args.values, ...urls } }, ctx, outDir, audience);
    } catch (e) {
      await server.close();
      throw e;
    }
    ctx.out.line(`Serving ${result.skills} skills at ${ctx.out.color.bold(server.url)}, the registry's Git read-only at ${new URL(SERVED_GIT_PATH, server.url).href} (Ctrl-C to stop)`);
    if (result.newest) ctx.out.line(`Try: skillreg pull ${result.newest} --registry ${server.url}`);
    await new Promise<void>((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await server.close();
    return 0;
  } finally {
    repo.close();
    if (temp) await rm(temp, { recursive: true, force: true });
  }
}
