import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import type { ValidateFunction } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { PRECOMPILED_SCHEMAS, precompiledValidatorsModule } from "../../scripts/precompile-schemas.js";
import { describeAjvError, schemaKey, validatorFor } from "../../registry/core/index.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { serveRegistry, type ServedRegistry } from "../pull/served-registry.js";

/**
 * The CLI bundle checks the files a pull reads with validators compiled at build time
 * (scripts/precompile-schemas.ts). They must judge every document exactly as the validators
 * compiled at run time do (the sources' path), with the same messages: here both judge real
 * index files, a lock and a checkpoint written by a real pull, and hostile variants of each.
 */

/** The document with one change at each leaf: a wrong type, a bad string, the key dropped, a key added. */
function variants(doc: unknown): unknown[] {
  const out: unknown[] = [null, [], "text", {}, { unknown: true }];
  const walk = (node: unknown, edit: (f: (v: unknown) => unknown) => unknown) => {
    if (node === null || typeof node !== "object") {
      out.push(edit(() => 12345), edit(() => "\u0000 not/valid ../"), edit(() => ({ nested: node })));
      return;
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
    for (const [key, value] of entries) {
      const at = (f: (v: unknown) => unknown) =>
        edit((v) => {
          const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, unknown>;
          copy[key] = f(copy[key]);
          return copy;
        });
      walk(value, at);
      if (!Array.isArray(node)) {
        out.push(edit((v) => Object.fromEntries(Object.entries(v as object).filter(([k]) => k !== key))));
      }
    }
    if (!Array.isArray(node)) out.push(edit((v) => ({ ...(v as object), "extra-field": 1 })));
  };
  walk(doc, (f) => f(structuredClone(doc)));
  return out;
}

describe("the validators compiled at build time", () => {
  let precompiled: ReadonlyMap<string, ValidateFunction>;
  let s: ServedRegistry;
  let project: { cwd: string; env: NodeJS.ProcessEnv };

  beforeAll(async () => {
    // The module the bundle puts in place of registry/core/precompiled-validators.ts, bundled as scripts/bundle.mjs does.
    const dir = tempDir("skillreg-precompiled-");
    const out = await build({ stdin: { contents: precompiledValidatorsModule(), resolveDir: process.cwd(), loader: "js" }, bundle: true, format: "esm", platform: "node", write: false, logLevel: "warning" });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "validators.mjs"), out.outputFiles[0]!.text);
    precompiled = ((await import(pathToFileURL(join(dir, "validators.mjs")).href)) as { precompiledValidators: ReadonlyMap<string, ValidateFunction> }).precompiledValidators;
    s = await serveRegistry();
    project = s.project();
    const r = await runCli(["pull", "@acme/deploy@1.2.3", "--registry", s.url], project);
    expect(r.code).toBe(0);
  });

  it("exist for every schema listed, under its schema's key", () => {
    for (const schema of Object.values(PRECOMPILED_SCHEMAS)) expect(precompiled.get(schemaKey(schema))).toBeTypeOf("function");
    expect(precompiled.size).toBe(Object.keys(PRECOMPILED_SCHEMAS).length);
  });

  it("judge real files and their hostile variants as the run-time validators do, with the same words", () => {
    const files: [keyof typeof PRECOMPILED_SCHEMAS, string][] = [
      ["indexConfigSchema", join(s.siteDir, "index/v1/config.json")],
      ["indexSkillSchema", join(s.siteDir, "index/v1/skills/acme/deploy.json")],
      ["indexAllSchema", join(s.siteDir, "index/v1/all.json")],
      ["lockFileSchema", join(project.cwd, "skillreg.lock")],
      ["checkpointSchema", join(project.cwd, "skillreg.checkpoint.json")],
    ];
    let refused = 0;
    for (const [name, file] of files) {
      const schema = PRECOMPILED_SCHEMAS[name]!;
      const ahead = precompiled.get(schemaKey(schema))!;
      const atRunTime = validatorFor(schema);
      expect(ahead).not.toBe(atRunTime);
      const doc: unknown = JSON.parse(readFileSync(file, "utf8"));
      expect(ahead(doc), `${name}: ${file}`).toBe(true);
      for (const variant of variants(doc)) {
        const verdict = ahead(variant);
        expect(verdict, `${name}: ${JSON.stringify(variant).slice(0, 200)}`).toBe(atRunTime(variant));
        expect((ahead.errors ?? []).map(describeAjvError)).toEqual((atRunTime.errors ?? []).map(describeAjvError));
        if (!verdict) refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });
});
