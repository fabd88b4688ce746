import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";

/**
 * A semantic reviewer's endpoint on 127.0.0.1 replaying recorded response bodies (Anthropic
 * Messages and OpenAI chat-completions formats, test/fixtures/scanner/llm/): the HTTP layer
 * is real, only the model's answers are recorded.
 */

const RECORDED = fileURLToPath(new URL("../fixtures/scanner/llm/", import.meta.url));
export const recordedReply = (name: string) => readFileSync(join(RECORDED, name), "utf8");

export interface SeenRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export interface LlmEndpoint {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** A local endpoint answering every POST with `reply` (status and body), or holding it unanswered. */
export async function llmEndpoint(reply: { status?: number; body: string } | "hold"): Promise<LlmEndpoint> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      seen.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(data) as Record<string, unknown> });
      if (reply === "hold") return;
      res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: async () => {
      if (!server.listening) return;
      // Held (timeout) requests keep their sockets: close them so the server stops at once.
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** For a test file: opens endpoints, each closed after the test that opened it. */
export function llmEndpoints(): (reply: { status?: number; body: string } | "hold") => Promise<LlmEndpoint> {
  const open: LlmEndpoint[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((e) => e.close()));
  });
  return async (reply) => {
    const endpoint = await llmEndpoint(reply);
    open.push(endpoint);
    return endpoint;
  };
}
