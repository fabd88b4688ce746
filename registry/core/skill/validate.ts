import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import semver from "semver";
import { SkillregError } from "../errors.js";
import { formatProblem } from "../schema.js";
import { DEFAULT_LIMITS, readSkillFiles, type SkillFile, type SkillLimits } from "./files.js";
import { parseSkillMd } from "./parse.js";
import { printable, printableProblem, type Problem } from "./problem.js";
import { CLIENT_EXTENSIONS, SPEC_FIELDS, type SkillFrontmatter } from "./schema.js";

export interface ValidateOptions {
  limits?: SkillLimits;
  /** The name the skill must have; default: its folder's name. */
  expectedName?: string;
  /**
   * Whether a missing metadata.version is an error (publishing, the gate: the default) or
   * a warning (`skillreg validate`, which also checks skills written for other registries).
   */
  requireVersion?: boolean;
}

/** What validation found for one skill folder. */
export interface SkillReport {
  dir: string;
  name?: string;
  version?: string;
  valid: boolean;
  errors: Problem[];
  warnings: Problem[];
}

/** A valid skill, read once: what publish, scan and build work from. */
export interface LoadedSkill {
  dir: string;
  name: string;
  version: string;
  frontmatter: SkillFrontmatter;
  body: string;
  bodyLine: number;
  files: SkillFile[];
}

/** The spec's advice: keep SKILL.md under 500 lines and move detail into referenced files. */
const MAX_BODY_LINES = 500;

/**
 * Validate the skill in `dir`: its files against the registry limits and SKILL.md against
 * the Agent Skills spec. Content problems are returned, never thrown; only a `dir` that is
 * missing or unreadable throws (SkillregError, exit 2).
 */
export async function validateSkillDir(dir: string, opts: ValidateOptions = {}): Promise<SkillReport> {
  return (await inspectSkill(dir, opts)).report;
}

/**
 * Read and validate a skill for publishing: a version is always required (a LoadedSkill has
 * one, so `requireVersion: false` is overridden). Throws a
 * SkillregError naming the first problems when the skill is not valid.
 */
export async function loadSkill(dir: string, opts: ValidateOptions = {}): Promise<LoadedSkill> {
  const { report, loaded } = await inspectSkill(dir, { ...opts, requireVersion: true });
  if (!report.valid || !loaded) {
    const shown = report.errors.slice(0, 3).map(formatProblem).join("; ");
    const more = report.errors.length > 3 ? ` (and ${report.errors.length - 3} more; run 'skillreg validate ${dir}')` : "";
    throw new SkillregError(`invalid skill ${dir}: ${shown}${more}`);
  }
  return loaded;
}

async function inspectSkill(dir: string, opts: ValidateOptions): Promise<{ report: SkillReport; loaded?: LoadedSkill }> {
  const { files, problems } = await readSkillFiles(dir, opts.limits ?? DEFAULT_LIMITS);
  return checkSkill(dir, files, problems, opts);
}

/**
 * Validate a skill whose files were already read (from a Git tree, as the publish gate does):
 * pure. `dir` names the skill in messages; the files' limits are the caller's to check.
 */
export function checkSkillFiles(dir: string, files: SkillFile[], opts: ValidateOptions = {}): SkillReport {
  return checkSkill(dir, files, [], opts).report;
}

function checkSkill(dir: string, files: SkillFile[], problems: Problem[], opts: ValidateOptions): { report: SkillReport; loaded?: LoadedSkill } {
  const requireVersion = opts.requireVersion ?? true;
  const expectedName = opts.expectedName ?? basename(resolve(dir));
  const errors: Problem[] = [...problems];
  const warnings: Problem[] = [];
  const skillMdPath = join(dir, "SKILL.md");
  const report = (name?: string, version?: string): SkillReport => ({
    dir,
    name: name === undefined ? undefined : printable(name),
    version: version === undefined ? undefined : printable(version),
    valid: errors.length === 0,
    errors: errors.map(printableProblem),
    warnings: warnings.map(printableProblem),
  });

  const skillMd = files.find((f) => f.path === "SKILL.md");
  if (!skillMd) {
    // A SKILL.md that is a symlink or too large is already reported by the walk, and a walk
    // stopped at the skill's own level (a symlinked folder, a cap) may not have reached it.
    if (!errors.some((p) => p.file === skillMdPath || p.file === dir)) {
      const otherCase = files.find((f) => f.path.toLowerCase() === "skill.md");
      errors.push({
        file: skillMdPath,
        code: "skill-md-missing",
        message: otherCase
          ? `missing; rename ${otherCase.path} to SKILL.md (the name is case-sensitive)`
          : "missing; every skill needs a SKILL.md (run 'skillreg new <name>' to scaffold one)",
      });
    }
    return { report: report() };
  }

  const parts = parseSkillMd(skillMd.bytes, skillMdPath);
  errors.push(...parts.errors);
  warnings.push(...parts.warnings);
  const fm = parts.frontmatter;
  if (fm === null || typeof fm !== "object" || Array.isArray(fm)) return { report: report() };
  const fields = fm as Record<string, unknown>;
  const at = (code: string, path: string, message: string): Problem => ({ file: skillMdPath, line: parts.lineAt(path), code, message });

  const name = typeof fields.name === "string" ? fields.name : undefined;
  const nameIsValid = name !== undefined && !errors.some((p) => p.code.startsWith("name-"));
  if (nameIsValid && name !== expectedName) {
    errors.push(at("name-mismatch", "/name", `name '${name}' does not match the folder name '${expectedName}'; rename the folder to '${name}' or set name: ${expectedName}`));
  }

  // A description is shown in terminals, catalogs and other agents' prompts: a control
  // character (an escape sequence, a C1 CSI) is never text there. Output escapes it anyway;
  // the gate refuses it so that no index or catalog carries it at all.
  const control = typeof fields.description === "string" ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u.exec(fields.description) : null;
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    errors.push(at("description-control", "/description", `description contains the control character U+${code}; descriptions are plain text (line breaks and tabs only)`));
  }

  const metadata = fields.metadata !== null && typeof fields.metadata === "object" ? (fields.metadata as Record<string, unknown>) : undefined;
  const rawVersion = metadata?.version;
  let version: string | undefined;
  if (typeof rawVersion === "string") {
    if (semver.valid(rawVersion) === rawVersion) {
      version = rawVersion;
    } else {
      const clean = semver.valid(semver.clean(rawVersion) ?? "");
      const hint = clean ? `write ${clean}` : "use MAJOR.MINOR.PATCH, e.g. 1.0.0";
      errors.push(at("version-format", "/metadata/version", `metadata.version '${rawVersion}' is not a semantic version; ${hint}`));
    }
  } else if (rawVersion === undefined && !errors.some((p) => p.code.startsWith("metadata-"))) {
    const topLevel = typeof fields.version === "string" || typeof fields.version === "number" ? ` (move the top-level 'version: ${String(fields.version)}' there)` : "";
    const message = `metadata.version is missing; a registry skill needs a semantic version: add 'metadata:' with '  version: "0.1.0"' to the frontmatter${topLevel}`;
    (requireVersion ? errors : warnings).push(at("version-missing", metadata ? "/metadata" : "", message));
  }

  for (const key of Object.keys(fields)) {
    if (SPEC_FIELDS.includes(key)) continue;
    const client = CLIENT_EXTENSIONS[key];
    const path = `/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (client) {
      warnings.push(at("client-extension", path, `'${key}' is a ${client} extension, not part of the Agent Skills spec; other agents ignore it`));
    } else if (key === "version") {
      warnings.push(at("version-top-level", path, "top-level 'version' is not part of the Agent Skills spec; the registry reads metadata.version, move it there"));
    } else {
      warnings.push(at("unknown-field", path, `unknown field '${key}' is not part of the Agent Skills spec and agents ignore it; move custom data under metadata`));
    }
  }

  const tools = fields["allowed-tools"];
  if (tools === undefined) {
    warnings.push(at("allowed-tools-missing", "", "no allowed-tools; declare the tools the skill needs (e.g. allowed-tools: Read Grep) so agents and the scanner know its limits"));
  } else if (Array.isArray(tools)) {
    warnings.push(at("allowed-tools-list", "/allowed-tools", "allowed-tools is a YAML list; the spec defines a space-separated string (Claude Code reads both), e.g. allowed-tools: Read Grep"));
  }

  checkBody(parts.body, parts.bodyLine, skillMdPath, warnings);

  const loaded =
    errors.length === 0 && name !== undefined && version !== undefined
      ? { dir, name, version, frontmatter: fields as SkillFrontmatter, body: parts.body, bodyLine: parts.bodyLine, files }
      : undefined;
  return { report: report(name, version ?? (typeof rawVersion === "string" ? rawVersion : undefined)), loaded };
}

/** The body is advice for agents: warn when it is empty, too long, or has no Guardrails section. */
function checkBody(body: string, bodyLine: number, file: string, warnings: Problem[]): void {
  const lines = body.split("\n");
  if (body.trim() === "") {
    warnings.push({ file, line: bodyLine, code: "body-empty", message: "SKILL.md has no instructions after the frontmatter; write what the agent should do" });
    return;
  }
  const total = bodyLine - 1 + lines.length;
  if (total > MAX_BODY_LINES) {
    warnings.push({ file, code: "body-long", message: `SKILL.md has ${total} lines; keep it under ${MAX_BODY_LINES} and move detail into referenced files (references/...)` });
  }
  if (!hasHeading(lines, /^##\s+Guardrails\s*$/i)) {
    warnings.push({ file, line: bodyLine, code: "guardrails-missing", message: "no '## Guardrails' section; say what the skill must not do (files it may touch, commands, network) so users and the scanner can check it" });
  }
}

/** Whether a Markdown heading line matches, ignoring lines inside fenced code blocks. */
function hasHeading(lines: string[], heading: RegExp): boolean {
  let fence: string | undefined;
  for (const line of lines) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence === undefined && heading.test(line.trimEnd())) return true;
  }
  return false;
}

const SKIPPED_FOLDERS = new Set(["node_modules", ".git"]);

/**
 * Every folder at or below `root` that holds a SKILL.md, sorted. Symlinked folders are not
 * followed, node_modules and .git are skipped, and a skill's own subfolders are not searched
 * (they belong to that skill).
 */
export async function findSkillDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (dir: string, isRoot: boolean): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (isRoot) throw new SkillregError(code === "ENOENT" ? `${dir}: no such folder` : code === "ENOTDIR" ? `${dir}: not a folder` : `${dir}: cannot read it (${code ?? "error"})`);
      return;
    }
    if (entries.some((e) => e.name === "SKILL.md")) {
      found.push(dir);
      return;
    }
    const folders = entries.filter((e) => e.isDirectory() && !SKIPPED_FOLDERS.has(e.name)).map((e) => e.name).sort();
    for (const name of folders) await visit(join(dir, name), false);
  };
  await visit(root, true);
  return found.sort();
}
