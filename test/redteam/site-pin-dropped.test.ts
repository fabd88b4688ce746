import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIndex } from "../../registry/index/build.js";
import { readRegistryFacts } from "../../registry/index/gather.js";
import { runCli } from "../helpers/cli.js";
import { type TestKey } from "../helpers/keys.js";
import { RegistryFixture, allowedSignersText } from "../helpers/registry-fixture.js";
import { messages, pullCleanly, signedRegistry, type SignedRegistry } from "../trust/signed-registry.js";

/**
 * Red team: a pull request drops a site's pin from .skillreg.yaml and the roots from
 * skillreg.lock (files anyone can edit in a pull request), and the compromised static host
 * stops signing: it serves an unsigned index listing mallory's key for alice and a 3.0.0 she
 * signed. The project's checkpoint still holds the root it verified the site from; as for a
 * registry read by its Git URL, that root must keep holding the site.
 */

let s: SignedRegistry;

async function unsignedForgedSite(): Promise<Map<string, string>> {
  const box = await RegistryFixture.cloneOf(s.reg, join(s.dir, "forged"));
  const malloryAsAlice: TestKey = { ...s.mallory, principal: s.alice.principal };
  box.write("allowed_signers", allowedSignersText([{ key: s.alice }, { key: malloryAsAlice }]));
  await box.commit("mallory's key for alice");
  await box.publish({ scope: "acme", name: "deploy", version: "3.0.0", signer: malloryAsAlice, files: { "run.sh": "echo mallory was here\n" } });
  return buildIndex(await readRegistryFacts(box.dir), { audience: "internal", gitUrl: s.server.gitUrl(`${relative(s.dir, box.dir)}/.git`) });
}

beforeAll(async () => {
  s = await signedRegistry();
});

describe("red team: a pinned site's pin dropped in a pull request, then the host stops signing", () => {
  it("the checkpoint's root still holds the site: pull refuses the unsigned index, exit 2, nothing installed", async () => {
    const p = await s.pinnedProject();
    await pullCleanly(runCli, p, "@acme/deploy@2.0.0");

    writeFileSync(join(p.cwd, ".skillreg.yaml"), `registry: ${s.url}\n`);
    const lockPath = join(p.cwd, "skillreg.lock");
    const lock = JSON.parse(readFileSync(lockPath, "utf8")) as { skills: Record<string, { root?: unknown }> };
    for (const entry of Object.values(lock.skills)) delete entry.root;
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    s.serveFiles(await unsignedForgedSite());

    const pull = await runCli(["pull", "@acme/deploy@3.0.0"], p);
    expect(messages(pull.stderr)).toEqual([`skillreg: error: ${s.url}: signed index metadata refused: HTTP 404`]);
    expect(pull.code).toBe(2);
    expect(readFileSync(join(p.cwd, ".agents/skills/deploy/run.sh"), "utf8")).toBe("echo deploy 2.0.0\n");
  });
});
