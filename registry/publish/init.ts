import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { stringify } from "yaml";
import { SkillregError } from "../core/index.js";
import { generateCodeowners } from "./codeowners.js";
import { parseRegistryConfig } from "../core/index.js";
import { DEFAULT_LIMITS, NAME_WORDS, type RegistryConfigFile } from "../core/index.js";
import { git } from "../git/index.js";
import {
  ALLOWED_SIGNERS_FILE,
  CODEOWNERS_FILE,
  CONFIG_FILE,
  DEFAULT_BRANCH,
  LAYOUT_PLACEHOLDERS,
  isValidName,
} from "../core/index.js";
import { checkPrincipal } from "../core/index.js";
import { workflowFiles } from "./workflows.js";

export interface InitOptions {
  name: string;
  admins: string[];
  gitUrl?: string;
  siteUrl?: string;
  /** The skillreg version the workflows pin. */
  skillregVersion: string;
}

export interface RegistryFile {
  path: string;
  content: string;
}

export const ALLOWED_SIGNERS_HEADER = [
  "# SkillReg allowed signers: the SSH keys whose signatures on published versions count.",
  "# One line per key: <principal> namespaces=\"git\" ssh-ed25519 <key>  (ssh-keygen(1), ALLOWED SIGNERS)",
  "# Add a key with `skillreg keys add <principal> <public-key-file>`; changes need an admin's review.",
  "",
].join("\n");

const CONFIG_HEADER =
  "# SkillReg registry configuration. Changes need a registry admin's review (.github/CODEOWNERS).\n";

/** skillreg.yaml for a new registry, every default written out so people see what they can change. */
export function newRegistryConfigText(opts: InitOptions): string {
  const config: RegistryConfigFile = {
    name: opts.name,
    ...(opts.siteUrl !== undefined && { siteUrl: opts.siteUrl }),
    ...(opts.gitUrl !== undefined && { gitUrl: opts.gitUrl }),
    admins: opts.admins,
    limits: { ...DEFAULT_LIMITS },
    // Admins review high findings until the registry names its security reviewers.
    policy: { securityReviewers: [...opts.admins], rules: {} },
  };
  return CONFIG_HEADER + stringify(config, { aliasDuplicateObjects: false });
}

/**
 * Every file of a new registry, checked: the name and admins as the user gave them, and the
 * config as a whole against its schema (URLs). Pure: throws before anything is written.
 */
export function newRegistryFiles(opts: InitOptions): RegistryFile[] {
  if (!isValidName(opts.name)) {
    throw new SkillregError(`--name '${opts.name}' is not a valid registry name: use ${NAME_WORDS}`);
  }
  if (opts.admins.length === 0) throw new SkillregError("a registry needs at least one admin: pass --admin <principal>");
  for (const admin of opts.admins) checkPrincipal(admin, "--admin");
  const configText = newRegistryConfigText({ ...opts, admins: [...new Set(opts.admins)] });
  const config = parseRegistryConfig(configText, CONFIG_FILE);
  return [
    { path: CONFIG_FILE, content: configText },
    // git keeps no empty folders; placeholders make the layout visible in a fresh clone.
    ...LAYOUT_PLACEHOLDERS.map((path) => ({ path, content: "" })),
    { path: ALLOWED_SIGNERS_FILE, content: ALLOWED_SIGNERS_HEADER },
    { path: CODEOWNERS_FILE, content: generateCodeowners(config, new Map()) },
    ...workflowFiles({ skillregVersion: opts.skillregVersion, defaultBranch: DEFAULT_BRANCH }),
  ];
}

async function isMissingOrEmptyDir(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new SkillregError(`${dir} exists and is not a folder`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true;
    throw e;
  }
  return (await readdir(dir)).length === 0;
}

/**
 * Create a registry in `dir` (new or empty): the layout, a git repository on the default
 * branch and its first commit. Built in a sibling temporary folder and renamed into place,
 * so a failure leaves nothing half-written. Returns the commit id and the files.
 */
export async function initRegistry(dir: string, opts: InitOptions): Promise<{ dir: string; commit: string; files: string[] }> {
  const target = resolve(dir);
  if (!(await isMissingOrEmptyDir(target))) {
    throw new SkillregError(`${dir} is not empty; skillreg init needs a new or empty folder`);
  }
  const files = newRegistryFiles(opts);
  await mkdir(dirname(target), { recursive: true });
  const staging = await mkdtemp(join(dirname(target), `.${basename(target)}.skillreg-init-`));
  try {
    // mkdtemp makes the folder private (0700); a registry is an ordinary folder.
    await chmod(staging, 0o755);
    for (const file of files) {
      await mkdir(dirname(join(staging, file.path)), { recursive: true });
      await writeFile(join(staging, file.path), file.content);
    }
    await git(["init", "--quiet", `--initial-branch=${DEFAULT_BRANCH}`], { cwd: staging });
    await git(["add", "--all"], { cwd: staging });
    await git(["commit", "--quiet", "--message", `Initialise registry ${opts.name}`], { cwd: staging });
    const commit = await git(["rev-parse", "HEAD"], { cwd: staging });
    // rename(2) replaces an empty folder; a folder that gained files meanwhile makes it fail.
    await rename(staging, target).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOTEMPTY" || e.code === "EEXIST") {
        throw new SkillregError(`${dir} is not empty; skillreg init needs a new or empty folder`);
      }
      throw e;
    });
    return { dir: target, commit, files: files.map((f) => f.path) };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
