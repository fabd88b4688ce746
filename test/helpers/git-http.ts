import { spawn } from "node:child_process";
import { realpath } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { serveSiteRequest } from "../../registry/site-build/serve.js";

/**
 * A real Git smart-HTTP server for tests, benches and the demo: git's own `git http-backend`
 * run as CGI behind node:http on 127.0.0.1, plus the site's static file server for index output.
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

function runBackend(req: IncomingMessage, res: ServerResponse, gitRoot: string, pathInfo: string, query: string, protocolV2: boolean): void {
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: gitRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: "127.0.0.1",
      REMOTE_USER: "test",
      ...(req.headers["git-protocol"] && protocolV2 ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  req.pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let end = head.indexOf("\r\n\r\n");
    let sepLength = 4;
    if (end < 0) {
      end = head.indexOf("\n\n");
      sepLength = 2;
    }
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersSent = true;
    res.write(head.subarray(end + sepLength));
  });
  child.on("close", () => {
    if (!headersSent) res.writeHead(502);
    res.end();
  });
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
      runBackend(req, res, opts.gitRoot, url.pathname.slice("/git".length), url.search.replace(/^\?/, ""), opts.protocolV2 !== false);
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
