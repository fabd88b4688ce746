import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SkillregError } from "./errors.js";

/**
 * The skillreg package folder: found by walking up from this module, so it works both from
 * the sources (tsx, tests) and from the compiled dist/ (which ships without templates and
 * examples of its own).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "skillreg") {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new SkillregError(`the skillreg package folder was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The version of the running skillreg (new registries pin it in their workflows). */
export function skillregVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}
