import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_BRANCH, WORKFLOWS_DIR } from "../core/index.js";
import { packageRoot } from "../core/index.js";

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

/** Fill a template's placeholders. Pure. */
export function renderWorkflow(template: string, settings: WorkflowSettings): string {
  return template
    .replaceAll("__SKILLREG_VERSION__", settings.skillregVersion)
    .replaceAll("__DEFAULT_BRANCH__", settings.defaultBranch ?? DEFAULT_BRANCH);
}

/** Every workflow file as it goes into a registry: path relative to the root, and text. */
export function workflowFiles(settings: WorkflowSettings): { path: string; content: string }[] {
  const dir = join(packageRoot(), "registry", "publish", "workflows");
  return WORKFLOW_FILES.map((name) => ({
    path: `${WORKFLOWS_DIR}/${name}`,
    content: renderWorkflow(readFileSync(join(dir, name), "utf8"), settings),
  }));
}
