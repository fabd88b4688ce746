import fc from "fast-check";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTagOverHttp } from "../../registry/client/index.js";
import { DELIM_PKT, FLUSH_PKT, MAX_PKT_LENGTH, pktLine, readPktLines } from "../../registry/git/index.js";
import { SkillregError } from "../../registry/core/index.js";

type Packet = { kind: "data"; payload: Uint8Array } | { kind: "flush" } | { kind: "delim" };

const packet: fc.Arbitrary<Packet> = fc.oneof(
  fc.record({ kind: fc.constant("data" as const), payload: fc.uint8Array({ minLength: 0, maxLength: 300 }) }),
  fc.constant({ kind: "flush" as const }),
  fc.constant({ kind: "delim" as const }),
);

const encode = (packets: Packet[]) => Buffer.concat(packets.map((p) => (p.kind === "data" ? pktLine(Buffer.from(p.payload)) : p.kind === "flush" ? FLUSH_PKT : DELIM_PKT)));

describe("pkt-line reading", () => {
  it("reads back exactly what was framed", () => {
    fc.assert(
      fc.property(fc.array(packet, { maxLength: 40 }), (packets) => {
        const lines = readPktLines(encode(packets), "test stream");
        expect(lines.map((l) => (l.kind === "data" ? { kind: "data", payload: new Uint8Array(l.payload) } : { kind: l.kind }))).toEqual(
          packets.map((p) => (p.kind === "data" ? { kind: "data", payload: new Uint8Array(p.payload) } : p)),
        );
      }),
    );
  });

  it("on hostile bytes either reads every byte or refuses with one SkillregError line, never anything else", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          // Valid framing with one byte changed or the tail cut: the interesting cases.
          fc.tuple(fc.array(packet, { minLength: 1, maxLength: 10 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([ps, at, byte, cut]) => {
            const b = Buffer.from(encode(ps));
            if (b.length === 0) return b;
            if (cut) return b.subarray(0, at % b.length);
            b[at % b.length] = byte;
            return b;
          }),
        ),
        (bytes) => {
          try {
            const lines = readPktLines(bytes, "test stream");
            expect(Buffer.concat(lines.map((l) => l.raw)).equals(bytes)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(SkillregError);
            expect((e as Error).message).not.toContain("\n");
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses a truncated line, a bad length and an over-long line by name", () => {
    expect(() => readPktLines(Buffer.from("000ahel"), "ref advertisement")).toThrow("truncated ref advertisement");
    expect(() => readPktLines(Buffer.from("zzzzhello"), "ref advertisement")).toThrow("bad pkt-line length");
    expect(() => readPktLines(Buffer.from("0003"), "ref advertisement")).toThrow("pkt-line length 3");
    expect(() => readPktLines(Buffer.from("fff5" + "x".repeat(65521)), "pack response")).toThrow("pkt-line length 65525");
    expect(() => pktLine(Buffer.alloc(MAX_PKT_LENGTH))).toThrow("too long");
  });
});

describe("a hostile Git server", () => {
  let server: Server;
  let url: string;
  const answers: Record<string, Buffer> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const body = answers[req.url!.includes("info/refs") ? "advert" : "upload"];
      res.writeHead(200, { "content-type": req.url!.includes("info/refs") ? "application/x-git-upload-pack-advertisement" : "application/x-git-upload-pack-result" });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reg.git`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ["a truncated advertisement", Buffer.from("001e# service=git-upload-pack\n0000003f0123"), "truncated ref advertisement"],
    ["a bad pkt-line length", Buffer.from("001e# service=git-upload-pack\n0000zzzz"), "malformed ref advertisement"],
    ["an over-long pkt-line", Buffer.from("001e# service=git-upload-pack\n0000fff9" + "a".repeat(70000)), "pkt-line length 65529"],
  ])("sending %s is refused in one line", async (_what, advert, message) => {
    answers.advert = advert;
    answers.upload = Buffer.alloc(0);
    const error = await fetchTagOverHttp(url, "@acme/x@1.0.0").then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(SkillregError);
    expect(error!.message).toContain(message);
    expect(error!.message).not.toContain("\n");
  });
});
