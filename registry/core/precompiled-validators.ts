import type { ValidateFunction } from "ajv";

/**
 * Validators compiled ahead of time, by the sha256 of their schema's JSON (schemaKey in
 * ./schema.ts). Empty here: `npm run build` (scripts/bundle.mjs) replaces this module in the
 * CLI bundle with ajv's standalone code for the schemas scripts/precompile-schemas.ts lists,
 * because compiling them at run time cost a pull a few hundred milliseconds. A schema whose
 * text changed after the build has another key, so it is compiled as before, never checked by
 * a stale validator.
 */
export const precompiledValidators: ReadonlyMap<string, ValidateFunction> = new Map();
