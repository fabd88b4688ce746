import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import semver from "semver";
import { parseDocument } from "yaml";
import type { SkillScan } from "@skillreg/scanner";
import type { ScopeEdit } from "./publish/index.js";
import { addScope, addSigningKey } from "./publish/index.js";
import { loadScopes } from "./core/index.js";
import { SkillregError, scanCacheFor } from "./core/index.js";
import { runGate } from "./publish/index.js";
import { git } from "./git/index.js";
import { initRegistry } from "./publish/index.js";
import { DECISION_WORDS } from "@skillreg/scanner";
import { CONFIG_FILE, DEFAULT_BRANCH, skillKey } from "./core/index.js";
import { mergeBranch, type MergeResult } from "./publish/index.js";
import { planScopeChange, proposeChange } from "./publish/index.js";
import { pushSkill } from "./publish/index.js";
import { packageRoot } from "./core/index.js";
import { SIGNERS_PATH, createRoot, loadPublicKey, loadSigningKey, parseTagName, rootPathInRepo, signSignerSet } from "./trust/index.js";
import { readRegistryFacts } from "./index/index.js";

/**
 * The quick start: a throwaway registry where the whole product happens once, through the
 * same functions the commands call (push, registry check, registry merge, access grant,
 * visibility, yank, deprecate), so every change below passed the gate and a second person's
 * signed review. Nothing here writes to the registry directly except the bootstrap that
 * `skillreg init`, `keys add` and `scope add` do before pull requests can carry changes.
 */

export const DEMO_PEOPLE = ["alice", "bob", "carol", "admin"] as const;
export type DemoPerson = (typeof DEMO_PEOPLE)[number];

/** Owners at bootstrap; everything else about access happens through the pull-request path. */
const BOOTSTRAP_SCOPES: Record<string, DemoPerson[]> = {
  "acme-corp": ["alice", "carol"],
  alice: ["alice"],
};
const SECURITY_REVIEWER: DemoPerson = "carol";
/** The skill that gets several versions, a yank and a deprecation. */
const VERSIONED = { scope: "acme-corp", name: "changelog-writer" } as const;

/** A version of VERSIONED made from its example (2.0.1): metadata.version and one real edit of SKILL.md. */
interface VersionDraft {
  version: string;
  what: string;
  find: string;
  replace: string;
  publisher: DemoPerson;
  reviewer: DemoPerson;
}
const VERSION_DRAFTS: Record<"before" | "after", VersionDraft> = {
  // The example before its fix: with no [Unreleased] section it had nowhere to write (yanked below).
  before: {
    version: "2.0.0",
    what: "before its fix to step 5",
    find: "`## [Unreleased]` (or as a new section below the title if there is none), dated today.",
    replace: "`## [Unreleased]`, dated today.",
    publisher: "alice",
    reviewer: "bob",
  },
  // A new feature, published by the new maintainer and reviewed by an owner.
  after: {
    version: "2.1.0",
    what: "with a new Security section; published by the new maintainer, bob",
    find: "`deprecate` → Deprecated,",
    replace: "`deprecate` → Deprecated, security fixes (a `security` scope or a CVE id) → Security,",
    publisher: "bob",
    reviewer: "alice",
  },
};

export interface DemoOptions {
  /** Where to work; a new temporary folder when absent. Must be missing or empty. */
  dir?: string;
  env: NodeJS.ProcessEnv;
  skillregVersion: string;
  /** One line of the story, as it happens. */
  say: (line: string) => void;
  progress: (step: string) => void;
  renderScan: (scan: SkillScan) => string;
}

export interface DemoPublished {
  tag: string;
  publisher: string;
  reviewer: string;
  decision: string;
  commit: string;
}

export interface DemoChange {
  /** The command that proposed it, as a person would type it in the demo folder. */
  command: string;
  branch: string;
  by: string;
  approver: string;
  commit: string;
}

export interface DemoTag {
  tag: string;
  decision: string;
  visibility: "public" | "private";
  yanked?: string;
  deprecated?: string;
}

export interface DemoResult {
  dir: string;
  registry: string;
  keysDir: string;
  keys: Record<DemoPerson, string>;
  /** The release workflow's online key (private half), which signs the index the demo serves. */
  onlineKey: string;
  published: DemoPublished[];
  changes: DemoChange[];
  /** Every released tag with what the registry now says about it. */
  tags: DemoTag[];
}

async function requireEmptyDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    if (e.code === "ENOTDIR") throw new SkillregError(`${dir} is not a folder`);
    throw e;
  });
  if (entries.length > 0) throw new SkillregError(`${dir} is not empty; the demo needs a new or empty folder (it never overwrites anything)`);
  await mkdir(dir, { recursive: true });
}

function sshKeygen(path: string, comment: string): Promise<void> {
  return new Promise((done, fail) => {
    execFile("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], (error) => {
      if (!error) done();
      else if ((error as NodeJS.ErrnoException).code === "ENOENT") fail(new SkillregError("the demo makes its keys with ssh-keygen, which is not installed (install OpenSSH)"));
      else fail(new SkillregError(`ssh-keygen failed to make ${path}: ${error.message}`));
    });
  });
}

/** Every <scope>/<name> folder under the examples, sorted. */
async function exampleSkills(root: string): Promise<{ scope: string; name: string; dir: string }[]> {
  const found: { scope: string; name: string; dir: string }[] = [];
  for (const scope of (await readdir(root)).sort()) {
    for (const name of (await readdir(join(root, scope))).sort()) {
      if (existsSync(join(root, scope, name, "SKILL.md"))) found.push({ scope, name, dir: join(root, scope, name) });
    }
  }
  return found;
}

/** A draft's folder: the example copied, then edited. Fails loudly when the example changed under it. */
async function exampleVersion(exampleDir: string, into: string, { version, find, replace }: VersionDraft): Promise<string> {
  const dir = join(into, version, VERSIONED.name);
  await cp(exampleDir, dir, { recursive: true });
  const path = join(dir, "SKILL.md");
  const text = await readFile(path, "utf8");
  const versioned = text.replace(/^(\s+version:\s*)"?[^"\n]*"?\s*$/m, `$1"${version}"`);
  if (versioned === text || !versioned.includes(find)) {
    throw new SkillregError(`${path}: the demo cannot make version ${version} of this example (its metadata.version or text changed); update registry/demo.ts`);
  }
  await writeFile(path, versioned.replace(find, replace));
  return dir;
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const { say, progress, env } = opts;
  const dir = opts.dir !== undefined ? resolve(opts.dir) : await mkdtemp(join(tmpdir(), "skillreg-demo-"));
  if (opts.dir !== undefined) await requireEmptyDir(dir);
  const registry = join(dir, "registry");
  const keysDir = join(dir, "keys");
  await mkdir(keysDir, { recursive: true });
  // Inside the demo's folder, so whoever removes that folder (the CLI on Ctrl-C) removes these too.
  const drafts = await mkdtemp(join(dir, "drafts-"));
  const rel = (path: string) => relative(dir, path) || ".";
  const regArg = `--registry ${rel(registry)}`;

  say(`Working in ${dir} (the commands below are shown as you would type them there).`);
  say(`1. Keys: an ed25519 key for each of ${DEMO_PEOPLE.join(", ")}, and the release workflow's online key (release), made with ssh-keygen in ${rel(keysDir)}/`);
  const keys = {} as Record<DemoPerson, string>;
  for (const person of DEMO_PEOPLE) {
    keys[person] = join(keysDir, person);
    await sshKeygen(keys[person], `${person}@demo`);
  }
  const onlineKey = join(keysDir, "release");
  await sshKeygen(onlineKey, "release@demo");
  const keyArg = (who: DemoPerson) => `--key ${rel(keys[who])}`;

  say(`2. Bootstrap by the admin: skillreg init, keys add, scope add (security reviewer: ${SECURITY_REVIEWER})`);
  await initRegistry(registry, { name: "demo-registry", admins: ["admin"], skillregVersion: opts.skillregVersion });
  await setSecurityReviewers(registry, [SECURITY_REVIEWER]);
  for (const person of DEMO_PEOPLE) {
    await addSigningKey(registry, person, await readFile(`${keys[person]}.pub`, "utf8"), `${keys[person]}.pub`);
  }
  for (const [scope, owners] of Object.entries(BOOTSTRAP_SCOPES)) {
    await addScope(registry, scope, owners, "private");
    say(`   scope @${scope}: owner${owners.length > 1 ? "s" : ""} ${owners.join(", ")}, private`);
  }
  say(`   $ skillreg registry trust init --admin-key ${rel(keys.admin)} --online-key ${rel(onlineKey)}.pub ${regArg}   (the root clients pin)`);
  await commitTrustFile(registry, rootPathInRepo(1), await demoRoot(keys.admin, onlineKey), "trust: the admin's root; the release key signs the index");

  const published: DemoPublished[] = [];
  const changes: DemoChange[] = [];

  const merge = async (branch: string, reviewer: DemoPerson): Promise<MergeResult> => {
    say(`   $ skillreg registry merge ${branch} ${keyArg(reviewer)} ${regArg}`);
    return mergeBranch({ registry, branch, keyPath: keys[reviewer], env, progress });
  };

  /** A scope-file change through the pull-request path: proposed by one person, merged by another. */
  const change = async (command: string, scope: string, edit: ScopeEdit, by: DemoPerson, approver: DemoPerson): Promise<void> => {
    say(`   $ skillreg ${command} ${keyArg(by)} ${regArg}`);
    const proposed = await proposeChange({ registry, keyPath: keys[by], cwd: dir, env, progress, plan: (state, actor) => planScopeChange(state, scope, edit, actor) });
    const merged = await merge(proposed.branch, approver);
    changes.push({ command: `skillreg ${command}`, branch: proposed.branch, by: proposed.actor, approver: merged.reviewer, commit: merged.commit });
    say(`     merged by ${merged.reviewer} (signed merge ${merged.commit.slice(0, 12)})`);
  };

  /**
   * push, registry check, then the merge. `firstTry`, when given, is a reviewer the merge
   * refuses (to show why), before `reviewer` merges.
   */
  const publish = async (skillDir: string, scope: string, publisher: DemoPerson, reviewer: DemoPerson, firstTry?: DemoPerson): Promise<void> => {
    say(`   $ skillreg push ${skillDir} --scope @${scope} ${keyArg(publisher)} ${regArg}`);
    const pushed = await pushSkill({ skillDir, scope, registry, keyPath: keys[publisher], env, progress, renderScan: opts.renderScan }, dir);
    const findings = pushed.scan.findings.map((f) => `${f.ruleId} (${f.severity}) at ${f.file}:${f.line}`);
    say(`     ${pushed.tag}: signed by ${pushed.publisher}, tree ${pushed.treeId.slice(0, 12)}, scan: ${DECISION_WORDS[pushed.scan.decision]}${findings.length ? `: ${findings.join(", ")}` : ""}`);
    const { decision: gate } = await runGate(registry, DEFAULT_BRANCH, pushed.branch, new Date(), undefined, scanCacheFor(env));
    if (!gate.ok) throw new SkillregError(`the demo's ${pushed.tag} should pass the gate but is blocked: ${gate.blocks.map((b) => b.message).join("; ")}`);
    say(`   $ skillreg registry check --base ${DEFAULT_BRANCH} --head ${pushed.branch} ${regArg}   → passes (${DECISION_WORDS[gate.decision]})`);
    if (firstTry !== undefined) {
      const refused = await merge(pushed.branch, firstTry).then(
        () => undefined,
        (e: unknown) => (e instanceof SkillregError ? e.message : Promise.reject(e)),
      );
      if (refused === undefined) throw new SkillregError(`the demo expected ${firstTry}'s merge of ${pushed.branch} to be refused`);
      say(`     refused: ${refused.replace(/^merge refused: /, "")}`);
    }
    const merged = await merge(pushed.branch, reviewer);
    published.push({ tag: pushed.tag, publisher: pushed.publisher, reviewer: merged.reviewer, decision: gate.decision, commit: merged.commit });
    say(`     merged by ${merged.reviewer} (signed merge ${merged.commit.slice(0, 12)}), released ${merged.release.created.join(", ") || "nothing new"}`);
  };

  try {
    say("3. Access through pull requests: an owner proposes, another owner (or, for members, the admin) merges");
    // A member change regenerates CODEOWNERS, so an admin approves it (as on GitHub).
    await change("access grant @acme-corp bob --role maintainer", "acme-corp", { kind: "grant", principal: "bob", role: "maintainer" }, "alice", "admin");
    // @alice has one owner, so the registry admin approves changes to it.
    await change("access grant @alice carol --role maintainer", "alice", { kind: "grant", principal: "carol", role: "maintainer" }, "alice", "admin");

    const examples = await exampleSkills(join(packageRoot(), "examples", "skills"));
    const versioned = examples.find((e) => e.scope === VERSIONED.scope && e.name === VERSIONED.name);
    if (versioned === undefined) throw new SkillregError(`the demo needs the example ${skillKey(VERSIONED.scope, VERSIONED.name)}`);
    say(`4. Publishing ${examples.length} example skills, and three versions of ${skillKey(VERSIONED.scope, VERSIONED.name)}`);
    const publishDraft = async (draft: VersionDraft) => {
      say(`   (${draft.version}: a copy of the example, ${draft.what})`);
      await publish(await exampleVersion(versioned.dir, drafts, draft), VERSIONED.scope, draft.publisher, draft.reviewer);
    };
    await publishDraft(VERSION_DRAFTS.before);
    for (const example of examples) {
      if (example.scope === "acme-corp") {
        // A high finding needs a security reviewer: bob publishes, alice (an owner, not a
        // security reviewer) is refused, carol merges.
        const high = example.name === "nightly-db-backup";
        await publish(example.dir, example.scope, high ? "bob" : "alice", high ? SECURITY_REVIEWER : "bob", high ? "alice" : undefined);
      } else {
        await publish(example.dir, example.scope, "alice", "carol");
      }
    }
    await publishDraft(VERSION_DRAFTS.after);

    const id = skillKey(VERSIONED.scope, VERSIONED.name);
    say("5. Yank, deprecate and visibility, through pull requests too");
    const yankReason = "writes nothing when CHANGELOG.md has no [Unreleased] section; fixed in 2.0.1";
    await change(`yank ${id}@2.0.0 --reason '${yankReason}'`, VERSIONED.scope, { kind: "flag", flag: "yanked", skill: VERSIONED.name, version: "2.0.0", reason: yankReason }, "alice", "carol");
    const deprecateReason = "2.0.x gets no more fixes; use ^2.1.0";
    await change(`deprecate ${id}@2.0.1 --reason '${deprecateReason}'`, VERSIONED.scope, { kind: "flag", flag: "deprecated", skill: VERSIONED.name, version: "2.0.1", reason: deprecateReason }, "alice", "carol");
    for (const name of [VERSIONED.name, "deploy-checklist"]) {
      await change(`visibility @acme-corp/${name} public`, "acme-corp", { kind: "visibility", skill: name, visibility: "public" }, "alice", "carol");
    }
    await change("visibility @alice public", "alice", { kind: "visibility", visibility: "public" }, "alice", "admin");
    // Clients reading the registry from its folder or Git URL pin the root through the signer
    // set. Signed once here, at the end: in a registry that has one, the admins sign it again in
    // every change to members or flags, and the demo's single admin also approves some of them.
    say(`   $ skillreg registry trust sign --sign-key ${rel(keys.admin)} ${regArg}   (members, keys and flags, for clients of the registry's folder or Git URL)`);
    await commitTrustFile(registry, SIGNERS_PATH, await demoSignerSet(registry, keys.admin), "trust: the admin signs the signer set");
  } finally {
    await rm(drafts, { recursive: true, force: true });
  }

  return { dir, registry, keysDir, keys, onlineKey, published, changes, tags: await describeTags(registry, published) };
}

/** What the registry now says about each released tag (visibility, yank, deprecation). */
async function describeTags(registry: string, published: DemoPublished[]): Promise<DemoTag[]> {
  const scopes = await loadScopes(registry);
  const released = new Set((await git(["tag", "-l"], { cwd: registry })).split("\n"));
  return published
    .filter((p) => released.has(p.tag))
    .sort((a, b) => byTag(a.tag, b.tag))
    .map((p) => {
      const { scope, name, version } = parseTagName(p.tag);
      const file = scopes.get(scope);
      const settings = file?.skills[name];
      return {
        tag: p.tag,
        decision: p.decision,
        visibility: settings?.visibility ?? file?.visibility ?? "private",
        ...(settings?.yanked?.[version] !== undefined && { yanked: settings.yanked[version] }),
        ...(settings?.deprecated?.[version] !== undefined && { deprecated: settings.deprecated[version] }),
      };
    });
}

/** Tags by skill, then by version (semver order). */
function byTag(a: string, b: string): number {
  const split = (t: string) => [t.slice(0, t.lastIndexOf("@")), t.slice(t.lastIndexOf("@") + 1)] as const;
  const [skillA, versionA] = split(a);
  const [skillB, versionB] = split(b);
  return skillA === skillB ? semver.compare(versionA, versionB) : skillA < skillB ? -1 : 1;
}

const DEMO_TRUST_DAYS = 365;

/** trust/1.root.json: the admin's key (threshold 1) and the release key, as `registry trust init` writes it. */
async function demoRoot(adminKey: string, onlineKey: string): Promise<string> {
  return createRoot({
    admins: [await loadPublicKey(`${adminKey}.pub`)],
    threshold: 1,
    online: await loadPublicKey(`${onlineKey}.pub`),
    expires: new Date(Date.now() + DEMO_TRUST_DAYS * 86_400_000),
    signers: [await loadSigningKey(adminKey)],
  });
}

/** trust/signers.json over main's allowed_signers, skillreg.yaml and scopes, as `registry trust sign` writes it. */
async function demoSignerSet(registry: string, adminKey: string): Promise<string> {
  const facts = await readRegistryFacts(registry, { ref: DEFAULT_BRANCH, only: [] });
  const files = { allowedSigners: facts.allowedSignersText, config: facts.configText, scopes: facts.scopeTexts };
  return signSignerSet(files, { roots: [await readFile(join(registry, rootPathInRepo(1)), "utf8")], signers: [await loadSigningKey(adminKey)], now: new Date() });
}

/** An admin's direct commit of a trust file (bootstrap, as init is). */
async function commitTrustFile(registry: string, path: string, text: string, message: string): Promise<void> {
  await mkdir(join(registry, path, ".."), { recursive: true });
  await writeFile(join(registry, path), text);
  await git(["add", "--", path], { cwd: registry });
  await git(["commit", "--quiet", "-m", message], { cwd: registry });
}

/** The demo's one direct config edit: name the security reviewers (bootstrap, as init is). */
async function setSecurityReviewers(registry: string, reviewers: string[]): Promise<void> {
  const path = join(registry, CONFIG_FILE);
  const doc = parseDocument(await readFile(path, "utf8"));
  doc.setIn(["policy", "securityReviewers"], reviewers);
  await writeFile(path, doc.toString());
  await git(["add", "--", CONFIG_FILE], { cwd: registry });
  await git(["commit", "--quiet", "-m", `Name the security reviewers: ${reviewers.join(", ")}`], { cwd: registry });
}
