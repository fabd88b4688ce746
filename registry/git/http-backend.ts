import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Git's smart HTTP, answered by git's own `git http-backend` run as a CGI program. We do not
 * speak the protocol ourselves: http-backend is the reference server and ships with every git.
 *
 * Read-only by construction: only the two requests a fetch or clone makes are passed on
 * (GET info/refs?service=git-upload-pack, POST git-upload-pack); receive-pack (push), the
 * dumb protocol's raw object paths and everything else are refused before git runs.
 */

export interface GitHttpRequest {
  /** The repository's git folder (a bare repository, or a checkout's .git). */
  gitDir: string;
  /** The request path below the repository's URL: "/info/refs" or "/git-upload-pack". */
  pathInfo: string;
  /** The query string without '?'. */
  query: string;
  /** false: drop the Git-Protocol header, as a server without protocol v2 would. */
  protocolV2?: boolean;
}

/** Whether a request is one of the two a read-only fetch needs. */
export function isUploadPackRequest(method: string | undefined, pathInfo: string, query: string): boolean {
  if (method === "GET" && pathInfo === "/info/refs") return new URLSearchParams(query).get("service") === "git-upload-pack";
  return method === "POST" && pathInfo === "/git-upload-pack";
}

/** Answer one request for the repository in `gitDir`; anything but a fetch gets 403. */
export function serveGitRequest(req: IncomingMessage, res: ServerResponse, r: GitHttpRequest): void {
  if (!isUploadPackRequest(req.method, r.pathInfo, r.query)) {
    res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end("this Git repository is served read-only (fetch and clone only)\n");
    return;
  }
  const gitProtocol = req.headers["git-protocol"];
  const contentEncoding = req.headers["content-encoding"];
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: r.gitDir,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      // A registry owned by another user is still served (read-only): git would refuse it as
      // "dubious ownership" otherwise, and only this one folder is ever reachable.
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "safe.directory",
      GIT_CONFIG_VALUE_0: r.gitDir,
      GIT_CONFIG_KEY_1: "http.receivepack",
      GIT_CONFIG_VALUE_1: "false",
      PATH_INFO: r.pathInfo,
      QUERY_STRING: r.query,
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: req.socket.remoteAddress ?? "",
      ...(typeof gitProtocol === "string" && r.protocolV2 !== false ? { GIT_PROTOCOL: gitProtocol } : {}),
      ...(typeof contentEncoding === "string" ? { HTTP_CONTENT_ENCODING: contentEncoding } : {}),
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  child.on("error", () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
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
