import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, posix, sep } from "node:path";
import { SkillregError } from "../core/index.js";
import { serveGitRequest } from "../git/index.js";

/**
 * A static file server for a built site: preview, the demo and the tests. It serves files
 * below `root` only (no traversal, no symlinks out), with the content types browsers and the
 * `skills` CLI expect. Skill files published under /.well-known/skills/ are hostile bytes on
 * this origin, so they are always served as plain text in a sandbox, never as HTML.
 * Pages answer at clean URLs too (/browse for browse.html), as static hosts such as GitHub
 * Pages do. Given the registry's git folder, it also serves that repository read-only over
 * smart HTTP at /git/registry.git, so one origin has everything a client needs.
 */

/** Where `serveStatic` serves the registry's Git, below the site's URL. */
export const SERVED_GIT_PATH = "git/registry.git";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webmanifest": "application/manifest+json",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
};

const WELL_KNOWN_FILES = "/.well-known/skills/";

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** The content type of the file at `sitePath` ("/a/b.html", below the site root). */
function contentTypeFor(sitePath: string): string {
  if (isSkillFile(sitePath)) return "text/plain; charset=utf-8";
  return TYPES[extname(sitePath).toLowerCase()] ?? "application/octet-stream";
}

function isSkillFile(sitePath: string): boolean {
  return sitePath.startsWith(WELL_KNOWN_FILES) && sitePath !== `${WELL_KNOWN_FILES}index.json`;
}

/**
 * The file below `root` a request path names, or undefined when it names nothing there.
 * `root` must be a real path (no symlinks in it).
 */
async function resolveFile(root: string, urlPath: string): Promise<{ file: string; sitePath: string; redirect?: string } | undefined> {
  const normal = posix.normalize(urlPath);
  if (!normal.startsWith("/") || normal.split("/").includes("..")) return undefined;
  let sitePath = normal;
  let file = join(root, ...normal.split("/").filter((s) => s !== ""));
  let st = await stat(file).catch(() => undefined);
  if (!st?.isFile() && !urlPath.endsWith("/")) {
    // A clean URL: /browse is browse.html, /skills/a/b is b.html (beside the folder b/ of its
    // version pages), /skills/a/b/1.0.0 is 1.0.0.html.
    const page = `${file}.html`;
    const pageSt = await stat(page).catch(() => undefined);
    if (pageSt?.isFile()) {
      file = page;
      sitePath = `${normal}.html`;
      st = pageSt;
    }
  }
  if (st?.isDirectory()) {
    if (!urlPath.endsWith("/")) return { file, sitePath, redirect: `${urlPath}/` };
    file = join(file, "index.html");
    sitePath = posix.join(normal, "index.html");
    st = await stat(file).catch(() => undefined);
  }
  if (!st?.isFile()) return undefined;
  const real = await realpath(file);
  if (!real.startsWith(root + sep)) return undefined;
  return { file: real, sitePath };
}

/** Answer one request from the built site in `root` (a real path): serveStatic's handler, for servers that route more. */
export async function serveSiteRequest(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let urlPath: string;
  try {
    urlPath = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname);
  } catch {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request path\n");
    return;
  }
  if (urlPath.includes("\0") || urlPath.includes("\\")) {
    res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request path\n");
    return;
  }
  const found = await resolveFile(root, urlPath);
  const headers: Record<string, string> = { "x-content-type-options": "nosniff", "cache-control": "no-cache" };
  if (found?.redirect) {
    res.writeHead(301, { ...headers, location: encodeURI(found.redirect) }).end();
    return;
  }
  const notFoundPage = found ? undefined : await resolveFile(root, "/404.html");
  const file = found?.file ?? notFoundPage?.file;
  const status = found ? 200 : 404;
  if (!file) {
    res.writeHead(404, { ...headers, "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    return;
  }
  const type = found ? contentTypeFor(found.sitePath) : TYPES[".html"]!;
  if (found && isSkillFile(found.sitePath)) headers["content-security-policy"] = "sandbox";
  const size = (await stat(file)).size;
  res.writeHead(status, { ...headers, "content-type": type, "content-length": String(size) });
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file).on("error", () => res.destroy()).pipe(res);
}

/**
 * Serve `dir` on 127.0.0.1:`port` (0 picks a free port), and with `gitDir` that repository
 * read-only at /git/registry.git. Resolves once it listens.
 */
export async function serveStatic(dir: string, opts: { port?: number; gitDir?: string } = {}): Promise<StaticServer> {
  const root = await realpath(dir).catch(() => {
    throw new SkillregError(`${dir}: no built site to serve (run 'skillreg build' first)`);
  });
  const gitPrefix = `/${SERVED_GIT_PATH}`;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (opts.gitDir !== undefined && (url.pathname === gitPrefix || url.pathname.startsWith(`${gitPrefix}/`))) {
      serveGitRequest(req, res, { gitDir: opts.gitDir, pathInfo: url.pathname.slice(gitPrefix.length), query: url.search.replace(/^\?/, "") });
      return;
    }
    serveSiteRequest(root, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(new SkillregError(e.code === "EADDRINUSE" ? `port ${opts.port} is already in use; pick another with --port` : `cannot listen: ${e.message}`)),
    );
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
