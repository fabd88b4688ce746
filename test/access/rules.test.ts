import { describe, expect, it } from "vitest";
import { approverRefusals, controlPathOwner, editScopeText, revokeKeyText, scopeChangeRefusals, scopeForRules } from "../../registry/publish/access.js";
import { parseRegistryConfig, parseScopes } from "../../registry/core/config/load.js";
import { parseAllowedSigners } from "../../registry/trust/allowed-signers.js";

const config = parseRegistryConfig("name: acme\nadmins: [admin]\n");
const SCOPE = "# who is who\nscope: acme\nmembers:\n  alice: owner # founder\n  bob: maintainer\n  dave: reader\n";
const path = "scopes/acme.yaml";
const acme = scopeForRules(SCOPE, path)!;
const after = (text: string) => scopeForRules(text, path);

describe("scope change rules", () => {
  it("lets owners and admins manage members, visibility and flags", () => {
    const grant = editScopeText(SCOPE, path, { kind: "grant", principal: "carol", role: "owner" });
    expect(scopeChangeRefusals("acme", acme, after(grant), "alice", config)).toEqual([]);
    expect(scopeChangeRefusals("acme", acme, after(grant), "admin", config)).toEqual([]);
    const yank = editScopeText(SCOPE, path, { kind: "flag", flag: "yanked", skill: "deploy", version: "1.0.0", reason: "broken" });
    expect(scopeChangeRefusals("acme", acme, after(yank), "alice", config)).toEqual([]);
  });

  it("refuses maintainers and readers, naming what they tried", () => {
    const owner = editScopeText(SCOPE, path, { kind: "grant", principal: "bob", role: "owner" });
    expect(scopeChangeRefusals("acme", acme, after(owner), "bob", config)).toEqual([
      "only an owner of @acme may grant the owner role (to bob); bob is a maintainer",
    ]);
    const reader = editScopeText(SCOPE, path, { kind: "grant", principal: "erin", role: "reader" });
    expect(scopeChangeRefusals("acme", acme, after(reader), "dave", config)).toEqual(["only owners of @acme manage its members; dave is a reader"]);
    const pub = editScopeText(SCOPE, path, { kind: "visibility", skill: "deploy", visibility: "public" });
    expect(scopeChangeRefusals("acme", acme, after(pub), "mallory", config)).toEqual(["only owners of @acme change its visibility; mallory is not a member"]);
  });

  it("keeps the last owner, even against an admin", () => {
    const text = editScopeText(SCOPE, path, { kind: "revoke", principal: "alice" });
    expect(scopeChangeRefusals("acme", acme, after(text), "admin", config)).toEqual([
      "@acme would have no owner: alice cannot be removed as the last owner; add another owner first",
    ]);
  });

  it("leaves creating and deleting scopes to admins", () => {
    expect(scopeChangeRefusals("new", undefined, acme, "alice", config)).toEqual(["only a registry admin may create scope @new; alice is not one"]);
    expect(scopeChangeRefusals("acme", acme, undefined, "alice", config)).toEqual(["only a registry admin may delete scope @acme; alice is not one"]);
    expect(scopeChangeRefusals("acme", acme, undefined, "admin", config)).toEqual([]);
  });

  it("lets owners of the scope or admins approve, nobody else", () => {
    const trusted = { config, scopes: parseScopes([{ path, content: SCOPE }]) };
    expect(approverRefusals(["acme"], "alice", trusted)).toEqual([]);
    expect(approverRefusals(["acme"], "admin", trusted)).toEqual([]);
    expect(approverRefusals(["acme"], "bob", trusted)).toEqual(["bob is not an owner of @acme or a registry admin, so cannot approve changes to scopes/acme.yaml"]);
    expect(approverRefusals(["other"], "alice", trusted)).toEqual(["only a registry admin may approve creating scope @other"]);
  });

  it("says who owns each control path", () => {
    expect(controlPathOwner("scopes/acme.yaml")).toEqual({ kind: "scope", scope: "acme" });
    expect(controlPathOwner(".github/CODEOWNERS")).toEqual({ kind: "generated" });
    expect(controlPathOwner("allowed_signers")).toEqual({ kind: "admin" });
    expect(controlPathOwner(".github/workflows/skillreg-check.yml")).toEqual({ kind: "admin" });
  });
});

describe("scope file edits", () => {
  it("keep comments and order, and refuse no-op edits", () => {
    const text = editScopeText(SCOPE, path, { kind: "grant", principal: "bob", role: "owner" });
    expect(text).toBe("# who is who\nscope: acme\nmembers:\n  alice: owner # founder\n  bob: owner\n  dave: reader\n");
    expect(() => editScopeText(SCOPE, path, { kind: "grant", principal: "alice", role: "owner" })).toThrow("alice is already an owner of @acme");
    expect(() => editScopeText(SCOPE, path, { kind: "revoke", principal: "zed" })).toThrow("zed is not a member of @acme");
    const yanked = editScopeText(SCOPE, path, { kind: "flag", flag: "yanked", skill: "deploy", version: "1.0.0", reason: "broken: see #4" });
    expect(scopeForRules(yanked, path)!.skills).toEqual({ deploy: { yanked: { "1.0.0": "broken: see #4" } } });
    expect(() => editScopeText(yanked, path, { kind: "flag", flag: "yanked", skill: "deploy", version: "1.0.0", reason: "again" })).toThrow("already yanked");
  });
});

describe("key revocation", () => {
  const KEY_A = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOJ9Ep6sY1wBSRkZ4xK1GS3gQqflgxJpmZ4vL5a4rGa5";
  const KEY_B = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKq2r5Y2q6lG6o2mJ2lqV0t0p3y3b7m1xXo8sQ3xWq7e";
  const text = `# keys\nbob namespaces="git" ${KEY_A} bob@laptop\nbob ${KEY_B}\nalice namespaces="git" ${KEY_B.replace("Kq2", "Kq3")}\n`;
  const at = new Date("2030-01-07T12:00:00Z");

  it("keeps every line and adds valid-before the second before the revocation", () => {
    const { text: next, revoked } = revokeKeyText(text, "bob", undefined, at);
    expect(revoked).toHaveLength(2);
    expect(next.split("\n")).toEqual([
      "# keys",
      `bob namespaces="git",valid-before="20300107115959Z" ${KEY_A} bob@laptop`,
      `bob valid-before="20300107115959Z" ${KEY_B}`,
      `alice namespaces="git" ${KEY_B.replace("Kq2", "Kq3")}`,
      "",
    ]);
    expect(parseAllowedSigners(next).map((s) => s.validBefore?.toISOString())).toEqual(["2030-01-07T11:59:59.000Z", "2030-01-07T11:59:59.000Z", undefined]);
  });

  it("revokes one key by fingerprint, and refuses what is not there or already revoked", () => {
    const fingerprint = parseAllowedSigners(text)[1]!.key.fingerprint;
    const { text: next, revoked } = revokeKeyText(text, "bob", fingerprint, at);
    expect(revoked).toEqual([fingerprint]);
    expect(next).toContain(`bob namespaces="git" ${KEY_A}`);
    expect(() => revokeKeyText(text, "carol", undefined, at)).toThrow("allowed_signers has no key for carol");
    expect(() => revokeKeyText(next, "bob", fingerprint, at)).toThrow("every matching key of bob is already revoked");
  });
});
