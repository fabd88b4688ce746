import { describe, expect, it } from "vitest";
import { parseRegistryConfig, parseScopeFile } from "../../registry/core/config/load.js";
import type { Scopes } from "../../registry/core/config/schema.js";
import {
  canPublish,
  canReadPrivate,
  isAdmin,
  roleOf,
  scopeFromArg,
  skillVisibility,
  yankReason,
} from "../../registry/core/scopes.js";
import { checkPublishPath, parsePublishPath, parseScopeFilePath, parseSkillFilePath, publishTagPath, scopeFilePath, skillPath } from "../../registry/core/layout.js";

const acme = parseScopeFile(
  `scope: acme
members:
  olive: owner
  max: maintainer
  rae: reader
skills:
  open-tool:
    visibility: public
    yanked:
      1.0.0: leaks tokens
`,
  "scopes/acme.yaml",
);
const web = parseScopeFile("scope: web\nvisibility: public\nmembers:\n  olive: owner\nskills:\n  secret:\n    visibility: private\n", "scopes/web.yaml");
const scopes: Scopes = new Map([["acme", acme], ["web", web]]);

describe("roles", () => {
  it("gives each member their role and nobody else one", () => {
    expect(roleOf(scopes, "acme", "olive")).toBe("owner");
    expect(roleOf(scopes, "acme", "max")).toBe("maintainer");
    expect(roleOf(scopes, "acme", "rae")).toBe("reader");
    expect(roleOf(scopes, "acme", "stranger")).toBeUndefined();
    expect(roleOf(scopes, "nope", "olive")).toBeUndefined();
    // Inherited properties of plain objects are not members.
    expect(roleOf(scopes, "acme", "constructor")).toBeUndefined();
    expect(roleOf(scopes, "acme", "toString")).toBeUndefined();
  });

  it("lets owners and maintainers publish, every member read private skills", () => {
    expect(["olive", "max", "rae", "stranger"].map((p) => canPublish(scopes, "acme", p))).toEqual([true, true, false, false]);
    expect(["olive", "max", "rae", "stranger"].map((p) => canReadPrivate(scopes, "acme", p))).toEqual([true, true, true, false]);
    expect(canPublish(scopes, "web", "max")).toBe(false);
  });

  it("knows the admins", () => {
    const config = parseRegistryConfig("name: r\nadmins: [alice, sec@acme.example]\n");
    expect(isAdmin(config, "alice")).toBe(true);
    expect(isAdmin(config, "sec@acme.example")).toBe(true);
    expect(isAdmin(config, "olive")).toBe(false);
  });

  it("makes skills private unless the skill or its scope says public", () => {
    expect(skillVisibility(acme, "open-tool")).toBe("public");
    expect(skillVisibility(acme, "other")).toBe("private");
    expect(skillVisibility(acme, "constructor")).toBe("private");
    expect(skillVisibility(web, "anything")).toBe("public");
    expect(skillVisibility(web, "secret")).toBe("private");
    expect(yankReason(acme, "open-tool", "1.0.0")).toBe("leaks tokens");
    expect(yankReason(acme, "open-tool", "1.0.1")).toBeUndefined();
  });

  it("reads scopes as written on the command line", () => {
    expect(scopeFromArg("@acme-corp")).toBe("acme-corp");
    expect(scopeFromArg("acme-corp")).toBe("acme-corp");
    expect(() => scopeFromArg("@")).toThrow("'@' is not a scope; write it like @acme-corp");
    expect(() => scopeFromArg("@-acme")).toThrow("'@-acme' is not a valid scope name: use lowercase letters");
    expect(() => scopeFromArg("@acme/x")).toThrow("is not a valid scope name");
    expect(() => scopeFromArg("@" + "a".repeat(65))).toThrow("is longer than 64 characters");
  });
});

describe("layout paths", () => {
  it("builds and parses the paths of the design", () => {
    expect(skillPath("acme", "deploy")).toBe("skills/acme/deploy");
    expect(publishTagPath("acme", "deploy", "1.2.0")).toBe("publish/acme/deploy/1.2.0.tag");
    expect(scopeFilePath("acme")).toBe("scopes/acme.yaml");
    expect(parsePublishPath("publish/acme/deploy/1.2.0-rc.1+b5.tag")).toEqual({ scope: "acme", name: "deploy", version: "1.2.0-rc.1+b5" });
    expect(parseSkillFilePath("skills/acme/deploy/scripts/run.sh")).toEqual({ scope: "acme", name: "deploy", file: "scripts/run.sh" });
    expect(parseSkillFilePath("skills/acme/deploy")).toBeUndefined();
    expect(parseScopeFilePath("scopes/acme.yaml")).toBe("acme");
    expect(parseScopeFilePath("scopes/x/acme.yaml")).toBeUndefined();
  });

  const notPublishPaths: [string, string][] = [
    ["publish/acme/deploy/1.2.tag", "publish/acme/deploy/1.2.tag: '1.2' is not a semantic version like 1.2.3"],
    ["publish/acme/deploy/v1.2.0.tag", "publish/acme/deploy/v1.2.0.tag: 'v1.2.0' is not a semantic version like 1.2.3"],
    ["publish/acme/deploy/1.2.0", "publish/acme/deploy/1.2.0: not a publish path; expected publish/<scope>/<name>/<version>.tag"],
    ["publish/acme/deploy/1.2.0.tag/x", "publish/acme/deploy/1.2.0.tag/x: not a publish path; expected publish/<scope>/<name>/<version>.tag"],
    ["publish/../deploy/1.2.0.tag", "publish/../deploy/1.2.0.tag: '..' is not a valid scope name"],
    ["publish/acme/Deploy/1.2.0.tag", "publish/acme/Deploy/1.2.0.tag: 'Deploy' is not a valid skill name"],
    ["skills/acme/deploy/1.2.0.tag", "skills/acme/deploy/1.2.0.tag: not a publish path; expected publish/<scope>/<name>/<version>.tag"],
  ];
  for (const [path, problem] of notPublishPaths) {
    it(`refuses ${path} as a publish path`, () => {
      expect(parsePublishPath(path)).toBeUndefined();
      expect(checkPublishPath(path)).toEqual({ problem });
    });
  }
});
