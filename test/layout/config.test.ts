import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";
import { loadRegistryConfig, loadScopes, parseRegistryConfig, parseScopeFile, parseScopes } from "../../registry/core/config/load.js";
import { SkillregError } from "../../registry/core/errors.js";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SkillregError);
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("skillreg.yaml", () => {
  it("fills in the default limits and policy", () => {
    expect(parseRegistryConfig("name: acme\nadmins: [alice]\n")).toEqual({
      name: "acme",
      admins: ["alice"],
      limits: { maxFileBytes: 1048576, maxSkillBytes: 10485760, maxFiles: 500 },
      policy: { securityReviewers: [], rules: {} },
    });
    const custom = parseRegistryConfig("name: acme\nadmins: [alice]\nlimits:\n  maxFiles: 20\npolicy:\n  rules:\n    net-fetch: off\n");
    expect(custom.limits).toEqual({ maxFileBytes: 1048576, maxSkillBytes: 10485760, maxFiles: 20 });
    expect(custom.policy.rules).toEqual({ "net-fetch": "off" });
  });

  const cases: [string, string, string][] = [
    ["a bad name", "admins: [alice]\nname: Acme Skills\n", "skillreg.yaml:2: name: must be lowercase letters, digits and single hyphens, not starting or ending with '-' (like acme-corp)"],
    ["no admins", "name: acme\nadmins: []\n", "skillreg.yaml:2: admins: must NOT have fewer than 1 items"],
    ["a missing field", "name: acme\n", "skillreg.yaml:1: missing required field 'admins'"],
    ["an unknown field", "name: acme\nadmins: [alice]\n\nowner: bob\n", "skillreg.yaml:4: (top level): unknown field 'owner'"],
    ["a bad limit", "name: acme\nadmins: [alice]\nlimits:\n  maxFiles: 0\n", "skillreg.yaml:4: limits.maxFiles: must be >= 1"],
    ["a bad rule severity", "name: acme\nadmins: [alice]\npolicy:\n  rules:\n    net-fetch: severe\n", 'skillreg.yaml:5: policy.rules.net-fetch: must be one of "critical", "high", "medium", "low", "off"'],
    ["a bad security reviewer", "name: acme\nadmins: [alice]\npolicy:\n  securityReviewers:\n    - ok\n    - 'bad one'\n", "skillreg.yaml:6: policy.securityReviewers.1: must be a login, team (org/team) or email without spaces, quotes, commas or a leading '@'"],
    ["a bad site URL", "name: acme\nadmins: [alice]\nsiteUrl: skills.acme.example\n", "skillreg.yaml:3: siteUrl: must be an http:// or https:// URL"],
    ["broken YAML", "name: acme\nadmins: [alice\n", "skillreg.yaml:3: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ["a duplicate key", "name: acme\nname: other\nadmins: [a]\n", "skillreg.yaml:2: invalid YAML: Map keys must be unique"],
    ["an empty file", "\n", "skillreg.yaml: is empty; it needs at least 'name' and 'admins'"],
    ["a list instead of a map", "- name: acme\n", "skillreg.yaml:1: (top level): must be object"],
  ];
  for (const [what, text, message] of cases) {
    it(`reports ${what} as file:line`, () => {
      expect(errorOf(() => parseRegistryConfig(text, "skillreg.yaml"))).toBe(message);
    });
  }

  it("refuses bytes that are not UTF-8 and files over 1 MiB", () => {
    expect(errorOf(() => parseRegistryConfig(Buffer.from([0x6e, 0xff, 0xfe]), "r/skillreg.yaml"))).toBe(
      "r/skillreg.yaml: is not valid UTF-8 text; save it as UTF-8",
    );
    expect(errorOf(() => parseRegistryConfig("#".repeat(1024 * 1024 + 1)))).toMatch(/^skillreg\.yaml: is 1048577 bytes; configuration files may be at most 1048576 bytes$/);
  });
});

describe("scope files", () => {
  it("fills in visibility and skills", () => {
    expect(parseScopeFile("scope: acme\nmembers:\n  alice: owner\n", "scopes/acme.yaml")).toEqual({
      scope: "acme",
      visibility: "private",
      members: { alice: "owner" },
      skills: {},
    });
  });

  const cases: [string, string, string][] = [
    ["a scope that is not the file name", "scope: other\nmembers:\n  alice: owner\n", "scopes/acme.yaml:1: scope: is 'other' but the file is named for 'acme'; they must be the same"],
    ["no owner", "scope: acme\nmembers:\n  alice: maintainer\n  bob: reader\n", "scopes/acme.yaml:3: members: a scope needs at least one owner"],
    ["an unknown role", "scope: acme\nmembers:\n  alice: owner\n  bob: admin\n", 'scopes/acme.yaml:4: members.bob: must be one of "owner", "maintainer", "reader"'],
    ["a bad member principal", "scope: acme\nmembers:\n  alice: owner\n  '@bob': maintainer\n", "scopes/acme.yaml:4: members: key '@bob': must be a login, team (org/team) or email without spaces, quotes, commas or a leading '@'"],
    ["a bad visibility", "scope: acme\nvisibility: internal\nmembers:\n  alice: owner\n", 'scopes/acme.yaml:2: visibility: must be one of "private", "public"'],
    ["a bad skill name", "scope: acme\nmembers:\n  alice: owner\nskills:\n  Deploy_Script: {}\n", "scopes/acme.yaml:5: skills: key 'Deploy_Script': must be lowercase letters, digits and single hyphens, not starting or ending with '-' (like acme-corp)"],
    ["a yanked version that is not semver", "scope: acme\nmembers:\n  alice: owner\nskills:\n  deploy:\n    yanked:\n      v1.0: broken\n", "scopes/acme.yaml:7: skills.deploy.yanked: key 'v1.0': must be a semantic version like 1.2.3 (no leading 'v')"],
    ["a yank without a reason", "scope: acme\nmembers:\n  alice: owner\nskills:\n  deploy:\n    yanked:\n      1.0.0: ''\n", "scopes/acme.yaml:7: skills.deploy.yanked.1.0.0: must NOT have fewer than 1 characters"],
    ["an unknown skill setting", "scope: acme\nmembers:\n  alice: owner\nskills:\n  deploy:\n    hidden: true\n", "scopes/acme.yaml:6: skills.deploy: unknown field 'hidden'"],
  ];
  for (const [what, text, message] of cases) {
    it(`reports ${what} as file:line`, () => {
      expect(errorOf(() => parseScopeFile(text, "scopes/acme.yaml"))).toBe(message);
    });
  }

  it("refuses files under scopes/ that are not <scope>.yaml, and reports every bad file at once", () => {
    expect(
      errorOf(() =>
        parseScopes([
          { path: "scopes/.gitkeep", content: "" },
          { path: "scopes/acme.yml", content: "scope: acme\n" },
          { path: "scopes/web.yaml", content: "scope: web\nmembers:\n  a: reader\n" },
          { path: "scopes/ok.yaml", content: "scope: ok\nmembers:\n  a: owner\n" },
        ]),
      ),
    ).toBe(
      "scopes/acme.yml: not a scope file; scope files are scopes/<scope>.yaml; scopes/web.yaml:3: members: a scope needs at least one owner",
    );
  });

  it("loads from a folder, sorted by scope, with paths in messages", async () => {
    const reg = tempDir();
    mkdirSync(join(reg, "scopes"));
    writeFileSync(join(reg, "scopes/web.yaml"), "scope: web\nmembers:\n  a: owner\n");
    writeFileSync(join(reg, "scopes/acme.yaml"), "scope: acme\nmembers:\n  b: owner\n");
    expect([...(await loadScopes(reg)).keys()]).toEqual(["acme", "web"]);
    writeFileSync(join(reg, "skillreg.yaml"), "name: x\nadmins: [a]\nextra: 1\n");
    await expect(loadRegistryConfig(reg)).rejects.toThrow(`${join(reg, "skillreg.yaml")}:3: (top level): unknown field 'extra'`);
  });
});
