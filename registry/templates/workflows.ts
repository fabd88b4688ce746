import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BRANCH, WORKFLOWS_DIR } from "../layout.js";

/**
 * The GitHub Actions workflows `skillreg init` writes into a registry. They live as plain
 * .yml files next to this module's source (readable, and linted by actionlint in the tests);
 * placeholders are filled when a registry is created.
 */
export const WORKFLOW_FILES = ["skillreg-check.yml", "skillreg-review.yml", "skillreg-release.yml"] as const;

export interface WorkflowSettings {
  /** The skillreg version the workflows run with `npx skillreg@<version>`. */
  skillregVersion: string;
  defaultBranch?: string;
}

/**
 * The skillreg package folder: found by walking up from this module, so it works both from
 * the sources (tsx, tests) and from the compiled dist/ that ships without the .yml files.
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "skillreg") {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("the skillreg package folder was not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The version of the running skillreg, which new registries pin in their workflows. */
export function skillregVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

/** Fill a template's placeholders. Pure. */
export function renderWorkflow(template: string, settings: WorkflowSettings): string {
  return template
    .replaceAll("__SKILLREG_VERSION__", settings.skillregVersion)
    .replaceAll("__DEFAULT_BRANCH__", settings.defaultBranch ?? DEFAULT_BRANCH);
}

/** Every workflow file as it goes into a registry: path relative to the root, and text. */
export function workflowFiles(settings: WorkflowSettings): { path: string; content: string }[] {
  const dir = join(packageRoot(), "registry", "templates", "workflows");
  return WORKFLOW_FILES.map((name) => ({
    path: `${WORKFLOWS_DIR}/${name}`,
    content: renderWorkflow(readFileSync(join(dir, name), "utf8"), settings),
  }));
}
