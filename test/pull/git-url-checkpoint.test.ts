import { copyFileSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Checkpoint } from "../../registry/client/checkpoint.js";
import { runCli } from "../helpers/cli.js";
import { messages } from "../trust/signed-registry.js";
import { serveRegistry, type ServedRegistry } from "./served-registry.js";

/**
 * Issue #11: a registry named by its Git URL has no site, so no root signs it: its keys are
 * whatever allowed_signers its main holds. A first pull says so in one line, and the
 * checkpoint records the commit it verified; a main rewritten so that it no longer descends
 * from that commit is refused, also on a machine with an empty cache (a fresh CI runner).
 */

let s: ServedRegistry;
let gitUrl: string;
beforeAll(async () => {
  s = await serveRegistry();
  gitUrl = s.server.gitUrl("reg/.git");
});

const checkpointOf = (cwd: string) => JSON.parse(readFileSync(join(cwd, "skillreg.checkpoint.json"), "utf8")) as Checkpoint;

describe("a registry named by its Git URL", () => {
  it("says at first contact that no root is pinned, records the commit, and refuses a rewound main", async () => {
    const p = s.project();
    const main = await s.reg.git(["rev-parse", "main"]);
    const first = await runCli(["pull", "@acme/deploy@1.2.0", "--registry", gitUrl], p);
    expect(first.code, first.stderr).toBe(0);
    expect(messages(first.stderr)).toEqual([
      `warning: first contact with ${gitUrl}: no trust root pinned, and its admins signed no signer set (trust/signers.json); its signing keys are its own allowed_signers at commit ${main.slice(0, 12)}, trusted as served. Later reads must descend from that commit (${join(p.cwd, "skillreg.checkpoint.json")})`,
    ]);
    expect(checkpointOf(p.cwd).registries[gitUrl]?.commit).toBe(main);

    // Main moves on: no notice, and the checkpoint follows it.
    s.reg.write("NOTES.md", "a registry note\n");
    const moved = await s.reg.commit("registry: a note");
    const again = await runCli(["pull", "@acme/lint", "--registry", gitUrl], p);
    expect(again.code, again.stderr).toBe(0);
    expect(messages(again.stderr)).toEqual([]);
    expect(checkpointOf(p.cwd).registries[gitUrl]?.commit).toBe(moved);

    // The host force-pushes a main that drops the last commit and adds another.
    await s.reg.git(["reset", "--quiet", "--hard", "HEAD~1"]);
    s.reg.write("NOTES.md", "another history\n");
    const rewritten = await s.reg.commit("registry: another history");
    const fresh = s.project(); // a CI runner: empty cache, the project's lock and checkpoint
    for (const file of ["skillreg.lock", "skillreg.checkpoint.json"]) copyFileSync(join(p.cwd, file), join(fresh.cwd, file));
    for (const project of [p, fresh]) {
      const before = readdirSync(project.cwd).sort();
      const lock = readFileSync(join(project.cwd, "skillreg.lock"), "utf8");
      const r = await runCli(["pull", "@acme/pusher", "--registry", gitUrl], project);
      expect(r.code).toBe(2);
      expect(messages(r.stderr)).toEqual([
        `skillreg: error: the registry's history was rewritten since the last checkpoint (${join(project.cwd, "skillreg.checkpoint.json")}): rewound main: ${gitUrl}: main is now ${rewritten}, which does not descend from commit ${moved} of the last checkpoint; nothing was installed`,
      ]);
      expect(readdirSync(project.cwd).sort()).toEqual(before);
      expect(readFileSync(join(project.cwd, "skillreg.lock"), "utf8")).toBe(lock);
    }

    // verify --registry on the registry's own checkout names it too.
    const verify = await runCli(["verify", "--registry", s.reg.dir], p);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(
      `violation: main: rewound main since the checkpoint ${join(p.cwd, "skillreg.checkpoint.json")}: main ${rewritten} does not descend from commit ${moved}, the main of ${gitUrl} at the last checkpoint`,
    );
  });
});
