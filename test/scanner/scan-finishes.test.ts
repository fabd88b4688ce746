/**
 * A scan ends. A skill whose README stages a secret file (`cp .env.example .env`) makes the scanner
 * parse, once more, every script that may send it; a script no bundled grammar reads (a SQL
 * migration, Ruby) found no flow on that parse either, put itself back on the list being walked,
 * and the scan never finished (seen on a real skill with a schema file). The scan runs in a child
 * process so that a hang fails the test instead of stalling the test run. Long hostile lines must not
 * make a line pattern backtrack for minutes either (a framework wipe's words repeated, a loop header
 * padded with spaces, an ssh setting repeated).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

const README = "# Orders board\n\n## Setup\n\n```bash\nnpm install\n# your keys go here\ncp .env.example .env\nnpm run migrate\nnpm start\n```\n";

/** The CLI's exit status on a skill made of `files`, or null when it had not finished after 60 s. */
function scanStatus(files: Record<string, string>): number | null {
  const root = mkdtempSync(join(tmpdir(), "scan-finishes-"));
  roots.push(root);
  const all = { "SKILL.md": "---\nname: orders\ndescription: Keeps an orders board.\n---\n# Orders\n\nSee README.md to set it up.\n", "README.md": README, ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return spawnSync(tsx, ["scanner/cli.ts", root], { encoding: "utf8", timeout: 60_000, killSignal: "SIGKILL" }).status;
}

describe("a scan of a skill whose README stages a secret file ends", () => {
  it("beside a SQL migration", () => {
    const schema = "-- Orders schema\nCREATE TABLE IF NOT EXISTS request_log (\n  id SERIAL PRIMARY KEY,\n  customer_id INTEGER REFERENCES customers(id) ON DELETE CASCADE,\n  body TEXT NOT NULL,\n  written_at TIMESTAMP DEFAULT NOW()\n);\nCREATE INDEX idx_request_log_customer ON request_log(customer_id);\n";
    expect(scanStatus({ "db/001_schema.sql": schema })).toBe(0);
  }, 90_000);
  it("beside a Ruby helper that writes a request", () => {
    expect(scanStatus({ "lib/log.rb": "class RequestLog\n  def write(request)\n    File.write('log/requests.log', request.to_s, mode: 'a')\n  end\nend\n" })).toBe(0);
  }, 90_000);
});

describe("long hostile lines scan in seconds", () => {
  it("a script and an ssh config of repeated words and padding", () => {
    const script = `#!/bin/sh\n${"flyway clean ".repeat(2000)}\n${"FLYWAY_CLEAN_DISABLED=false flyway ".repeat(600)}\nfor x in a${" ".repeat(3000)}z\n${"schtasks ".repeat(2000)}\n`;
    expect(scanStatus({ "tools/wipe.sh": script, "tools/ssh_config": `Host *\n  ${"RemoteForward ".repeat(2000)}\n` })).not.toBeNull();
  }, 90_000);
});
