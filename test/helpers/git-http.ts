import { join } from "node:path";
import { realpath } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serveGitRequest } from "../../registry/git/index.js";
import { serveSiteRequest } from "../../registry/site-build/serve.js";

/**
 * A real Git smart-HTTP server for tests and benches: git's own `git http-backend` (through
 * the same read-only handler `skillreg serve` uses) behind node:http on 127.0.0.1, plus the site's static file server for index output.
 *
 *   http://127.0.0.1:<port>/git/<repo path under gitRoot>   -> git http-backend
 *   http://127.0.0.1:<port>/<anything else>                 -> files under staticRoot
 *
 * `token` makes every request need `Authorization: Bearer <token>` (or Basic with the token
 * as password), answering 401 otherwise, to test that credentials reach the right host.
 */

export interface GitHttpOptions {
  /** GIT_PROJECT_ROOT: repositories are served at /git/<path relative to this>. */
  gitRoot?: string;
  /** Folder served as static files (the built site or index). */
  staticRoot?: string;
  token?: string;
  /** false: behave like a server without Git protocol v2 (the Git-Protocol header is dropped). */
  protocolV2?: boolean;
}

export interface LoggedRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface GitHttpServer {
  url: string;
  /** URL of a repository under gitRoot, e.g. gitUrl("registry/.git"). */
  gitUrl(repoPath: string): string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? "";
  if (header === `Bearer ${token}`) return true;
  if (header.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    return decoded.slice(decoded.indexOf(":") + 1) === token;
  }
  return false;
}

/** Split "/reg/.git/info/refs" into the repository under gitRoot and the path below it. */
function splitRepoPath(gitRoot: string, path: string): { gitDir: string; pathInfo: string } | undefined {
  const m = /^(\/.+?)(\/info\/refs|\/git-upload-pack|\/git-receive-pack)$/.exec(path);
  if (!m || m[1]!.split("/").includes("..")) return undefined;
  return { gitDir: join(gitRoot, m[1]!), pathInfo: m[2]! };
}

export async function startGitHttp(opts: GitHttpOptions): Promise<GitHttpServer> {
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ method: req.method ?? "GET", url: url.pathname + url.search, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (!authorized(req, opts.token)) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="skillreg test"' }).end();
      return;
    }
    if (opts.gitRoot && url.pathname.startsWith("/git/")) {
      const repo = splitRepoPath(opts.gitRoot, url.pathname.slice("/git".length));
      if (!repo) res.writeHead(404).end();
      else serveGitRequest(req, res, { ...repo, query: url.search.replace(/^\?/, ""), protocolV2: opts.protocolV2 !== false });
    } else if (opts.staticRoot) {
      // The site server `skillreg serve` uses; the folder may be created after the server starts.
      void realpath(opts.staticRoot)
        .then((root) => serveSiteRequest(root, req, res))
        .catch(() => (res.headersSent ? res.destroy() : res.writeHead(404).end()));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    gitUrl: (repoPath) => `${base}/git/${repoPath.replace(/^\/+/, "")}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
