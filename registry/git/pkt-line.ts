import { SkillregError } from "../core/index.js";

/**
 * Git's pkt-line framing (gitprotocol-common): a 4-digit hex length that counts itself, then
 * the payload; 0000 flush, 0001 delimiter (v2), 0002 response end (v2). Every answer a Git
 * server sends the client is read through `readPktLines`, which refuses anything malformed or
 * truncated instead of guessing. Written here because isomorphic-git's own reader is internal
 * and the client must filter and rewrite advertisements before isomorphic-git sees them.
 */

/** The largest pkt-line git itself sends (LARGE_PACKET_MAX). */
export const MAX_PKT_LENGTH = 65520;

export type PktLine =
  | { kind: "data"; payload: Buffer; raw: Buffer }
  | { kind: "flush" | "delim" | "end"; raw: Buffer };

const SPECIAL = { 0: "flush", 1: "delim", 2: "end" } as const;

/** Split `body` into pkt-lines; throws a SkillregError naming `what` on malformed input. */
export function readPktLines(body: Buffer, what: string): PktLine[] {
  const lines: PktLine[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 4 > body.length) throw new SkillregError(`the Git server sent a truncated ${what}`);
    const header = body.subarray(at, at + 4).toString("latin1");
    if (!/^[0-9a-f]{4}$/i.test(header)) throw new SkillregError(`the Git server sent a malformed ${what} (bad pkt-line length)`);
    const length = parseInt(header, 16);
    if (length in SPECIAL) {
      lines.push({ kind: SPECIAL[length as 0 | 1 | 2], raw: body.subarray(at, at + 4) });
      at += 4;
      continue;
    }
    if (length < 4 || length > MAX_PKT_LENGTH) throw new SkillregError(`the Git server sent a malformed ${what} (pkt-line length ${length})`);
    if (at + length > body.length) throw new SkillregError(`the Git server sent a truncated ${what}`);
    lines.push({ kind: "data", payload: body.subarray(at + 4, at + length), raw: body.subarray(at, at + length) });
    at += length;
  }
  return lines;
}

/** One data pkt-line holding `payload`. */
export function pktLine(payload: string | Buffer): Buffer {
  const bytes = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  if (bytes.length + 4 > MAX_PKT_LENGTH) throw new SkillregError(`a pkt-line of ${bytes.length} bytes is too long`);
  return Buffer.concat([Buffer.from((bytes.length + 4).toString(16).padStart(4, "0"), "latin1"), bytes]);
}

export const FLUSH_PKT = Buffer.from("0000", "latin1");
export const DELIM_PKT = Buffer.from("0001", "latin1");
