import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { onTestFinished } from "vitest";

/**
 * GitHub's API at the HTTP layer, from recorded exchanges: a server on 127.0.0.1 answers each
 * request with the recorded response for its method and path, so Octokit runs for real (URLs,
 * headers, pagination, errors) with no network. A recorded path with a query matches only that
 * query; one without matches any. When a path repeats, responses come in recording order and
 * the last one repeats. Every request is recorded, so tests assert exactly which calls (and
 * which mutating calls) happened; one with no recording gets a 501, so the code cannot take it
 * for a real answer, and is listed in `unmatched` as well.
 */

export interface Exchange {
  request: { method: string; path: string };
  response: { status: number; headers?: Record<string, string>; body?: unknown };
}

export interface RecordedRequest {
  method: string;
  /** The path as requested, with its query if any. */
  path: string;
  body?: unknown;
  authorization?: string;
}

export interface Replay {
  /** Base URL to give Octokit (GITHUB_API_URL). */
  url: string;
  requests: RecordedRequest[];
  /** Requests no exchange answered. */
  unmatched: RecordedRequest[];
  /** The requests other than GET: what the code changed. */
  mutations(): RecordedRequest[];
}

const FIXTURES = new URL("../fixtures/", import.meta.url);

/**
 * The exchanges of a fixture file under test/fixtures/ (e.g. "github/pull-7.json"), with every
 * `{{name}}` replaced by vars[name] (values of the test's own world: commit ids, dates).
 */
export function loadExchanges(file: string, vars: Record<string, string> = {}): Exchange[] {
  let text = readFileSync(new URL(file, FIXTURES), "utf8");
  // Inserted into JSON strings, so escaped as JSON string content.
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{{${k}}}`, JSON.stringify(v).slice(1, -1));
  return (JSON.parse(text) as { exchanges: Exchange[] }).exchanges;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** Start the replay; it stops when the test that started it ends. */
export async function startReplay(exchanges: Exchange[]): Promise<Replay> {
  const pending = exchanges.map((e) => ({ ...e, used: false }));
  const requests: RecordedRequest[] = [];
  const unmatched: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname + url.search,
      ...(text ? { body: JSON.parse(text) as unknown } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    requests.push(recorded);
    const same = pending.filter(
      (e) => e.request.method === recorded.method && e.request.path === (e.request.path.includes("?") ? recorded.path : url.pathname),
    );
    const match = same.find((e) => !e.used) ?? same.at(-1);
    if (!match) {
      unmatched.push(recorded);
      res.writeHead(501, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `no recorded exchange for ${recorded.method} ${recorded.path}` }));
      return;
    }
    match.used = true;
    const body = match.response.body === undefined ? "" : JSON.stringify(match.response.body);
    res.writeHead(match.response.status, { ...(body ? { "content-type": "application/json; charset=utf-8" } : {}), ...match.response.headers });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unmatched,
    mutations: () => requests.filter((r) => r.method !== "GET"),
  };
}
