import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { parseRegistryConfig, parseScopeFile } from "../../registry/core/config/load.js";
import { SkillregError } from "../../registry/core/errors.js";

/** Parse, and require that the only way to fail is a SkillregError with a one-line message naming the file. */
function parsesOrExplains(parse: () => unknown, file: string): void {
  try {
    parse();
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    expect(e.message.startsWith(file)).toBe(true);
    expect(e.message).not.toMatch(/\n/);
    expect(e.message.length).toBeGreaterThan(file.length + 5);
  }
}

// Values shaped like the real files, so the generator reaches the schema, not only the YAML parser.
const words = fc.constantFrom("name", "admins", "limits", "policy", "scope", "members", "skills", "visibility",
  "yanked", "owner", "maintainer", "reader", "public", "1.0.0", "maxFiles", "rules", "__proto__", "constructor", "@x");
const yamlValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, fc.string(), words, fc.integer(), fc.boolean(), fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(fc.oneof(words, fc.string()), tie("value"), { maxKeys: 5 })),
})).value;

const runs = { numRuns: 300 };
const files: [string, (content: string | Uint8Array, file: string) => unknown][] = [
  ["skillreg.yaml", parseRegistryConfig],
  ["scopes/acme.yaml", parseScopeFile],
];

describe.each(files)("%s never crashes", (file, parse) => {
  it("on arbitrary bytes", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => parsesOrExplains(() => parse(bytes, file), file)), runs);
  });

  it("on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 2000 }), (text) => parsesOrExplains(() => parse(text, file), file)), runs);
  });

  it("on arbitrary YAML", () => {
    fc.assert(fc.property(yamlValue, (value) => parsesOrExplains(() => parse(stringify(value), file), file)), runs);
  });

  it("on YAML close to a valid file", () => {
    const base = file === "skillreg.yaml"
      ? { name: "acme", admins: ["alice"], limits: { maxFiles: 3 }, policy: { securityReviewers: ["b"], rules: { r: "off" } } }
      : { scope: "acme", members: { alice: "owner" }, skills: { x: { visibility: "public", yanked: { "1.0.0": "why" } } } };
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(base)), yamlValue, (key, value) =>
        parsesOrExplains(() => parse(stringify({ ...base, [key]: value }), file), file)),
      runs,
    );
  });
});
