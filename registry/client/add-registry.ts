import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Document, isMap, parseDocument } from "yaml";
import { SkillregError, parseYamlWithSchema, scopeFromArg, writeFileAtomic } from "../core/index.js";
import { PROJECT_CONFIG_FILE, clientConfigSchema, findProjectRoot, resolveRegistry } from "./config.js";
import { openSource } from "./sources/index.js";

/**
 * `skillreg registry add`: the project's one-time setup, as `npm config set @scope:registry`
 * is for npm. It checks that the URL answers as a SkillReg registry first, then sets the
 * default registry or one scope's registry in the project's .skillreg.yaml (other keys and
 * comments kept), written in one step.
 */

export interface AddRegistryRequest {
  /** A site URL, a Git URL, or a local registry folder. */
  registry: string;
  /** "@scope": only this scope's skills come from this registry. */
  scope?: string;
}

export interface AddRegistryResult {
  file: string;
  registry: string;
  /** The scope without '@', when one was given. */
  scope?: string;
  /** The registry's name, from its index. */
  name: string;
  /** What the file said for this scope (or the default) before, if anything. */
  replaced?: string;
}

export async function addRegistry(at: { cwd: string; env: NodeJS.ProcessEnv }, req: AddRegistryRequest): Promise<AddRegistryResult> {
  const scope = req.scope === undefined ? undefined : scopeFromArg(req.scope);
  const registry = resolveRegistry(req.registry, at.cwd);
  const config = await openSource(registry, at).config();

  const file = join(findProjectRoot(at.cwd), PROJECT_CONFIG_FILE);
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return "";
    throw new SkillregError(`${file}: ${e.message}`);
  });
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) throw new SkillregError(`${file}: not valid YAML (${parsed.errors[0]!.message.split("\n")[0]}); fix it, then run this again`);
  const doc: Document = parsed.contents === null ? new Document({}) : parsed;
  if (!isMap(doc.contents)) throw new SkillregError(`${file}: not a mapping of settings (registry:, scopes:, agent:); fix it, then run this again`);
  const path = scope === undefined ? ["registry"] : ["scopes", `@${scope}`];
  const before = doc.getIn(path);
  doc.setIn(path, registry);
  const updated = doc.toString();
  // The whole file must still be a valid config (a hand-edited key may not be).
  parseYamlWithSchema(updated, clientConfigSchema, file);
  await writeFileAtomic(file, updated);
  return {
    file,
    registry,
    ...(scope !== undefined ? { scope } : {}),
    name: config.name,
    ...(typeof before === "string" && before !== registry ? { replaced: before } : {}),
  };
}
