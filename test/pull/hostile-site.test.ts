import { createServer, type Server } from "node:http";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";

/**
 * Issue #11: index downloads were read whole before the size check. A site that streams an
 * endless config.json without Content-Length is cut off once it passes the cap.
 */

let server: Server;
let url: string;
let sent = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (!req.url?.includes("/index/v1/")) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && sent < 256 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe("an endless index file", () => {
  it("is refused once it passes the cap, without reading the rest", async () => {
    const cwd = join(tempDir(), "project");
    mkdirSync(cwd);
    const r = await runCli(["pull", "@acme/lint", "--registry", url], { cwd, env: { HOME: cwd, SKILLREG_TOKEN: "", GITHUB_TOKEN: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/index\/v1\/\S+\.json is over 33554432 bytes; refused/);
    expect(sent).toBeLessThan(128 * 1024 * 1024);
  });
});
