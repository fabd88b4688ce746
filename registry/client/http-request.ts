import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/**
 * One HTTP request on node:http(s), for what a pull asks of a registry site and its Git
 * server. Not fetch(): Node's fetch loads and compiles undici (its HTTP parser is WebAssembly)
 * on first use, which cost a pull more CPU than its requests. Redirects are never followed
 * here (the callers decide, with their own origin rules) and bodies are not decoded (nothing
 * asks for compression); the caller reads the body, bounded, or discards it.
 */
export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: AsyncIterable<Buffer>;
  /** Drop the body unread and close the connection (a hostile server may send without end). */
  discard(): void;
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  return out;
}

export function requestHttp(url: string, init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : target.protocol === "http:" ? httpRequest : undefined;
    if (!send) {
      reject(new Error(`${target.protocol} is not http or https`));
      return;
    }
    // As fetch does: a password written into a URL is never sent (credentials come from the helpers).
    if (target.username || target.password) {
      reject(new Error("Request cannot be constructed from a URL that includes credentials"));
      return;
    }
    const req = send(target, { method: init.method ?? "GET", headers: init.headers ?? {} }, (res) => {
      resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: flatHeaders(res), body: res, discard: () => res.destroy() });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The whole body, abandoned (and the connection closed) as soon as it passes `max` bytes. */
export async function readBodyCapped(res: HttpResponse, max: number, tooLarge: () => Error): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > max) {
      res.discard();
      throw tooLarge();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}
