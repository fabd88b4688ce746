import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { makeSshKey, type TestKey } from "../helpers/keys.js";
import { tempDir } from "../helpers/tmp.js";
import { loadScopes } from "../../registry/core/config/load.js";
import { gitOut, makeRegistry, oneLineError, snapshot } from "./helpers.js";

describe("skillreg scope add and keys add", () => {
  const root = tempDir();
  let reg: string;
  let bob: TestKey;

  beforeAll(async () => {
    reg = await makeRegistry(root);
    bob = makeSshKey(root, "bob");
  });

  it("adds a scope, regenerates CODEOWNERS and commits both", async () => {
    const r = await runCli(["scope", "add", "@acme-corp", "--owner", "bob", "--owner", "carol@acme.example", "--registry", reg]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(gitOut(reg, "log", "-1", "--format=%s")).toBe("Add scope @acme-corp");
    expect(gitOut(reg, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([".github/CODEOWNERS", "scopes/acme-corp.yaml"]);
    expect(gitOut(reg, "status", "--porcelain")).toBe("");
    const scope = (await loadScopes(reg)).get("acme-corp");
    expect(scope).toEqual({ scope: "acme-corp", visibility: "private", members: { bob: "owner", "carol@acme.example": "owner" }, skills: {} });
    const codeowners = readFileSync(join(reg, ".github/CODEOWNERS"), "utf8");
    expect(codeowners).toContain("\n/skills/acme-corp/ @bob carol@acme.example\n/publish/acme-corp/ @bob carol@acme.example\n");
    expect((await runCli(["registry", "codeowners", "--check", "--registry", reg])).code).toBe(0);
  });

  it("uses the current folder by default and takes --visibility", async () => {
    const r = await runCli(["scope", "add", "@tools", "--owner", "dave", "--visibility", "public"], { cwd: reg });
    expect(r.code).toBe(0);
    expect((await loadScopes(reg)).get("tools")?.visibility).toBe("public");
  });

  it("adds a signing key to allowed_signers and commits", async () => {
    const r = await runCli(["keys", "add", "bob", bob.publicPath, "--registry", reg, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const fingerprint = (JSON.parse(r.stdout) as { fingerprint: string }).fingerprint;
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const [type, blob] = bob.publicKey.split(" ");
    const lines = readFileSync(join(reg, "allowed_signers"), "utf8").split("\n");
    expect(lines.at(-2)).toBe(`bob namespaces="git" ${type} ${blob}`);
    expect(lines.at(-1)).toBe("");
    expect(gitOut(reg, "log", "-1", "--format=%s")).toBe(`Add signing key ${fingerprint} for bob`);
    expect(gitOut(reg, "status", "--porcelain")).toBe("");
  });

  it("writes an allowed_signers file that ssh-keygen accepts", async () => {
    const { execFileSync } = await import("node:child_process");
    writeFileSync(join(root, "msg"), "hello");
    execFileSync("ssh-keygen", ["-Y", "sign", "-q", "-n", "git", "-f", bob.privatePath, join(root, "msg")]);
    const out = execFileSync(
      "ssh-keygen",
      ["-Y", "verify", "-n", "git", "-f", join(reg, "allowed_signers"), "-I", "bob", "-s", join(root, "msg.sig")],
      { input: "hello", encoding: "utf8" },
    );
    expect(out).toContain('Good "git" signature for bob');
  });

  const badKeys: [string, (dir: string) => string, RegExp][] = [
    ["a private key", () => bob.privatePath, /this is a private key; pass the public key \(the \.pub file\) instead$/],
    ["an RSA key", (d) => write(d, "rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 x\n"), /only ed25519 keys are supported, this is an? ssh-rsa key$/],
    ["a key whose blob is another type", (d) => write(d, "swapped.pub", `ssh-ed25519 ${Buffer.concat([lenPrefixed("ssh-rsa"), lenPrefixed("x".repeat(32))]).toString("base64")}\n`), /ssh-rsa/],
    ["garbage", (d) => write(d, "junk.pub", "not a key at all\n"), /junk\.pub/],
    ["a missing file", (d) => join(d, "nope.pub"), /nope\.pub: not found/],
  ];
  for (const [what, file, message] of badKeys) {
    it(`refuses ${what}: exit 2, one line, nothing written`, async () => {
      const before = snapshot(reg);
      expect(oneLineError(await runCli(["keys", "add", "erin", file(root), "--registry", reg]))).toMatch(message);
      expect(snapshot(reg)).toEqual(before);
    });
  }

  it("refuses a key that is already allowed, for anyone", async () => {
    const before = snapshot(reg);
    expect(oneLineError(await runCli(["keys", "add", "mallory", bob.publicPath, "--registry", reg]))).toMatch(
      /^key SHA256:\S+ is already in allowed_signers \(line \d+, for bob\)$/,
    );
    expect(snapshot(reg)).toEqual(before);
  });

  const badScopes: [string, string[], RegExp][] = [
    ["an existing scope", ["@acme-corp", "--owner", "eve"], /^scope @acme-corp already exists \(scopes\/acme-corp\.yaml\); edit that file instead$/],
    ["a bad scope name", ["@Acme_Corp", "--owner", "eve"], /^'@Acme_Corp' is not a valid scope name: use lowercase letters/],
    ["a double hyphen", ["@acme--corp", "--owner", "eve"], /^'@acme--corp' is not a valid scope name/],
    ["a missing owner", ["@new-scope"], /^missing --owner <principal>/],
    ["a bad owner", ["@new-scope", "--owner", "eve smith"], /^--owner 'eve smith' is not a valid principal/],
    ["a bad visibility", ["@new-scope", "--owner", "eve", "--visibility", "secret"], /^--visibility must be private or public, not 'secret'$/],
  ];
  for (const [what, args, message] of badScopes) {
    it(`refuses ${what}: exit 2, one line, nothing written`, async () => {
      const before = snapshot(reg);
      expect(oneLineError(await runCli(["scope", "add", ...args, "--registry", reg]))).toMatch(message);
      expect(snapshot(reg)).toEqual(before);
    });
  }

  it("refuses a folder that is not a registry", async () => {
    expect(oneLineError(await runCli(["scope", "add", "@x", "--owner", "a", "--registry", root]))).toMatch(
      /skillreg\.yaml: not found; is this a registry\?/,
    );
  });
});

function write(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function lenPrefixed(s: string): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(s.length);
  return Buffer.concat([b, Buffer.from(s)]);
}
