import { describe, expect, it } from "vitest";
import type { IndexAll, IndexConfig, IndexSkill } from "../../registry/index/schema.js";
import { runCli, type CliResult } from "../helpers/cli.js";
import { writeFiles } from "../helpers/registry-fixture.js";
import { serveRegistry } from "../pull/served-registry.js";

/**
 * Issue #11, lower item: terminal escapes in index text reached `pull` output. Every text an
 * index carries is written by someone else (a scope owner, a publisher, or whoever serves the
 * site): descriptions, yank and deprecation reasons, signer names, file names, findings. Here a
 * served site's index carries escape sequences (retitle the window, clear the screen, move the
 * cursor up and fake a line), a C1 CSI and a right-to-left override in each of them, and every
 * command that prints index text shows them as visible escapes.
 */

const HOSTILE = "\u001b]0;owned\u0007\u001b[2J\u001b[1A\u001b[2K+ installed fine\u009b2J\u202etxt.sh";
const SHOWN = "\\x1b]0;owned\\x07\\x1b[2J\\x1b[1A\\x1b[2K+ installed fine\\x9b2J\\u202etxt.sh";
const RAW = /[\u001b\u0007\u009b\u202e]/;
const PRINCIPAL = `alice${HOSTILE.replace(/\s/g, "")}`;
const PRINCIPAL_SHOWN = `alice${SHOWN.replace(/\s/g, "")}`;

function edit<T>(files: Map<string, string>, path: string, change: (value: T) => void): void {
  const value = JSON.parse(files.get(path)!) as T;
  change(value);
  files.set(path, JSON.stringify(value));
}

/** Every byte printed is free of the raw controls, and the hostile text is there, escaped. */
function expectEscaped(r: CliResult, what: string, shown: string[]): void {
  const all = r.stdout + r.stderr;
  expect(all, what).not.toMatch(RAW);
  for (const s of shown) expect(all, what).toContain(s);
}

describe("index text from a served site is printed escaped by every command", () => {
  it("pull, search, info and outdated", async () => {
    const s = await serveRegistry();
    const files = await s.reindex();
    edit<IndexConfig>(files, "index/v1/config.json", (c) => {
      for (const signer of c.signers) if (signer.principal === "alice@acme.example") signer.principal = PRINCIPAL;
      c.scopes.acme!.publishers = [PRINCIPAL];
    });
    edit<IndexAll>(files, "index/v1/all.json", (all) => {
      for (const skill of all.skills) skill.description = HOSTILE;
    });
    for (const name of ["deploy", "pusher"]) {
      edit<IndexSkill>(files, `index/v1/skills/acme/${name}.json`, (skill) => {
        skill.description = HOSTILE;
        for (const v of skill.versions) {
          v.signer.principal = PRINCIPAL;
          v.files.push({ path: HOSTILE, size: 1 });
          for (const flag of v.scan.flags) {
            flag.file = HOSTILE;
            flag.message = HOSTILE;
          }
          if (v.version === "1.2.0") v.deprecated = { reason: HOSTILE };
        }
      });
    }
    writeFiles(s.siteDir, files);
    const p = s.project();

    const pull = await runCli(["pull", "@acme/deploy@1.2.0", "@acme/pusher", "--registry", s.url], p);
    expect(pull.code, pull.stderr).toBe(0);
    expectEscaped(pull, "pull", [`is deprecated: ${SHOWN}`, `signed by ${PRINCIPAL_SHOWN}`, `medium SR-DESTROY-005 ${SHOWN}:2 ${SHOWN}`]);

    const search = await runCli(["search", "deploy", "--registry", s.url], p);
    expect(search.code).toBe(0);
    expectEscaped(search, "search", ["\\x1b]0;owned\\x07"]);

    const info = await runCli(["info", "@acme/deploy@1.2.0", "--registry", s.url], p);
    expect(info.code).toBe(0);
    expectEscaped(info, "info", [SHOWN, `signed by: ${PRINCIPAL_SHOWN}`, `deprecated: ${SHOWN}`, `files: `]);
    const flagged = await runCli(["info", "@acme/pusher", "--registry", s.url], p);
    expect(flagged.code).toBe(0);
    expectEscaped(flagged, "info (flags)", [`medium SR-DESTROY-005 ${SHOWN}:2 ${SHOWN}`, `files: SKILL.md, push.sh, ${SHOWN}`]);

    // A newer version exists, so outdated prints the row and its deprecation note.
    writeFiles(p.cwd, [[".skillreg.yaml", `registry: ${s.url}\n`]]);
    const outdated = await runCli(["outdated"], p);
    expect(outdated.code, outdated.stderr).toBe(1);
    expectEscaped(outdated, "outdated", [`deprecated: ${SHOWN}`]);
  });
});
