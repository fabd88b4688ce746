/**
 * The CLI bundle's precompiled validators (registry/core/precompiled-validators.ts): ajv's
 * standalone code for the schemas every client command parses (index files, lock, checkpoint,
 * config, caches), compiled with the options the CLI compiles with at run time and keyed by
 * schemaKey. scripts/bundle.mjs bundles this file, runs it and puts its output in place of
 * that module. A schema missing here is compiled at run time as before, only slower.
 */
import { Ajv } from "ajv";
import * as ajvFormats from "ajv-formats";
import * as ajvStandalone from "ajv/dist/standalone/index.js";
import { AJV_OPTIONS, schemaKey } from "../registry/core/schema.js";
import { indexAllSchema, indexConfigSchema, indexSkillSchema } from "../registry/index/schema.js";
import { checkpointSchema } from "../registry/client/checkpoint.js";
import { clientConfigSchema } from "../registry/client/config.js";
import { credentialsSchema } from "../registry/client/credentials.js";
import { lockFileSchema } from "../registry/client/lock.js";
import { httpCacheEntrySchema } from "../registry/client/sources/http-cache.js";
import { sealedIndexFileSchema } from "../registry/seal/schema.js";

/** The schemas precompiled, by the name their module exports them under. */
export const PRECOMPILED_SCHEMAS: Readonly<Record<string, object>> = {
  indexConfigSchema,
  indexSkillSchema,
  indexAllSchema,
  lockFileSchema,
  checkpointSchema,
  clientConfigSchema,
  credentialsSchema,
  httpCacheEntrySchema,
  sealedIndexFileSchema,
};

/** One ES module exporting `precompiledValidators`, as registry/core/precompiled-validators.ts does. */
export function precompiledValidatorsModule(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  (ajvFormats as unknown as { default: (a: Ajv) => void }).default(ajv);
  const keys = Object.values(PRECOMPILED_SCHEMAS).map((schema, i) => {
    ajv.addSchema(schema, `v${i}`);
    return schemaKey(schema);
  });
  const code = (ajvStandalone as unknown as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default(ajv, Object.fromEntries(keys.map((_, i) => [`v${i}`, `v${i}`])));
  return `${code}\nexport const precompiledValidators = new Map([${keys.map((key, i) => `[${JSON.stringify(key)}, v${i}]`).join(", ")}]);\n`;
}
