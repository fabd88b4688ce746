import { DEFAULT_LIMITS } from "../../core/index.js";
import { parseRegistryConfig } from "../../core/index.js";
import { SkillregError } from "../../core/index.js";
import { isCleanMerge, runGit } from "../../git/index.js";
import { MODE_SYMLINK, listTags, lsTree, readBlobs, readFileAt, readObjects } from "../../git/index.js";
import { ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, CONFIG_FILE, PUBLISH_DIR, SCOPES_DIR, TAG_FILE_SUFFIX, parseScopeFile, parseScopeFilePath, parseSealedEnvelopePath, scopeFilePath, sealedEnvelopePath, skillPath, skillVisibility } from "../../core/index.js";
import { isSealedTree, openSealedTree, readStoredSealedVersion, type SealEnvelope, type SealIdentity } from "../../seal/index.js";
import { SIGNERS_PATH, TRUST_DIR, rootPathInRepo } from "../../trust/index.js";
import { classifyPath } from "./decide.js";
import type { ChangeCommit, ChangeStatus, ControlFiles, ExistingTag, GateFacts, PathChange, ScopeFileEdit, SkillFacts, TagFileChange, TreeFile } from "./facts-types.js";

/**
 * Read everything the gate needs about base..head from git objects (never the work tree, which
 * may hold anything), once, into plain values for decideGate.
 */

async function revParse(repo: string, rev: string, what: string): Promise<string> {
  if (rev.startsWith("-")) throw new SkillregError(`invalid ${what} revision '${rev}'`);
  const r = await runGit(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd: repo, okCodes: [1] });
  if (r.code !== 0 || r.stdout === "") throw new SkillregError(`${what} revision '${rev}' is not a commit in ${repo}`);
  return r.stdout;
}

const STATUS: Record<string, ChangeStatus> = { A: "added", M: "modified", D: "deleted", T: "type-changed" };

async function diffPaths(repo: string, from: string, to: string): Promise<PathChange[]> {
  const out = (await runGit(["diff", "--no-renames", "--no-ext-diff", "--name-status", "-z", from, to], { cwd: repo, raw: true })).bytes.toString("utf8");
  const parts = out.split("\0").filter((p) => p !== "");
  const changes: PathChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    changes.push({ path: parts[i + 1]!, status: STATUS[parts[i]!.charAt(0)] ?? "modified" });
  }
  return changes;
}

/** More commits than any publish or access change needs: a longer branch is refused, not read. */
const MAX_CHANGE_COMMITS = 500;

/**
 * The commits of fork point..head, oldest first, each with the paths it changes against its
 * first parent (a merge is judged by what it adds to its own line), kept to the paths of the
 * whole change, and the scope files among them before and after the commit.
 */
async function changeCommits(repo: string, forkPoint: string, head: string, changed: ReadonlySet<string>): Promise<ChangeCommit[]> {
  const out = (
    await runGit(
      ["log", "-z", "--reverse", "--topo-order", "--no-renames", "--diff-merges=first-parent", "--format=%x01%H %T %P", "--name-only", `${forkPoint}..${head}`],
      { cwd: repo, raw: true },
    )
  ).bytes.toString("utf8");
  const listed: { id: string; tree: string; parents: string[]; paths: string[] }[] = [];
  for (const chunk of out.split("\x01")) {
    if (chunk === "") continue;
    const [ids = "", ...rest] = chunk.split("\0");
    const [id = "", tree = "", ...parents] = ids.split(" ").filter((p) => p !== "");
    const paths = rest.map((p) => p.replace(/^\n/, "")).filter((p) => p !== "" && changed.has(p));
    listed.push({ id, tree, parents, paths });
  }
  if (listed.length > MAX_CHANGE_COMMITS) {
    throw new SkillregError(`the change holds ${listed.length} commits, more than the gate reads (${MAX_CHANGE_COMMITS}); split it or squash it`);
  }
  const raws = await readObjects(repo, listed.map((c) => c.id));
  const commits: ChangeCommit[] = [];
  for (const c of listed) {
    const parent = c.parents[0];
    const scopeFiles: ScopeFileEdit[] = [];
    for (const path of c.paths.filter((p) => parseScopeFilePath(p) !== undefined)) {
      const [before, after] = await Promise.all([parent ? readFileAt(repo, parent, path) : undefined, readFileAt(repo, c.id, path)]);
      scopeFiles.push({ path, ...(before !== undefined && { before: before.toString("utf8") }), ...(after !== undefined && { after: after.toString("utf8") }) });
    }
    const cleanMerge = c.paths.length > 0 && (await isCleanMerge(repo, c.tree, c.parents));
    commits.push({ id: c.id, raw: raws.get(c.id)?.bytes.toString("utf8") ?? "", paths: c.paths, scopeFiles, ...(cleanMerge && { cleanMerge: true as const }) });
  }
  return commits;
}

/** skillreg.yaml, scopes/*, allowed_signers and CODEOWNERS at one revision. */
async function controlFiles(repo: string, rev: string): Promise<ControlFiles> {
  const entries = (await lsTree(repo, rev, [CONFIG_FILE, SCOPES_DIR, ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, TRUST_DIR], true)).filter((e) => e.type === "blob");
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  const text = (path: string) => {
    const e = entries.find((x) => x.path === path);
    return e ? blobs.get(e.oid)!.toString("utf8") : undefined;
  };
  const scopes: Record<string, string> = {};
  for (const e of entries) if (e.path.startsWith(`${SCOPES_DIR}/`)) scopes[e.path] = blobs.get(e.oid)!.toString("utf8");
  // The root chain as a client walks it: trust/1.root.json, trust/2.root.json, ... up to the first gap.
  const roots: string[] = [];
  for (let root = text(rootPathInRepo(1)); root !== undefined; root = text(rootPathInRepo(roots.length + 1))) roots.push(root);
  const files: ControlFiles = { scopes, roots };
  const config = text(CONFIG_FILE);
  const allowedSigners = text(ALLOWED_SIGNERS_FILE);
  const codeowners = text(CODEOWNERS_FILE);
  const signerSet = text(SIGNERS_PATH);
  if (config !== undefined) files.config = config;
  if (allowedSigners !== undefined) files.allowedSigners = allowedSigners;
  if (codeowners !== undefined) files.codeowners = codeowners;
  if (signerSet !== undefined) files.signerSet = signerSet;
  return files;
}

/** The per-file cap to read with: the base's limit when its config parses, else the default. */
function fileCap(trusted: ControlFiles): { maxFileBytes: number; maxFiles: number } {
  try {
    if (trusted.config !== undefined) return parseRegistryConfig(trusted.config).limits;
  } catch {
    // decideGate reports an invalid base config; reading stays capped at the defaults.
  }
  return DEFAULT_LIMITS;
}

async function skillFacts(
  repo: string,
  ids: { base: string; head: string; forkPoint: string },
  scope: string,
  name: string,
  changes: PathChange[],
  tags: ExistingTag[],
  cap: { maxFileBytes: number; maxFiles: number },
): Promise<SkillFacts> {
  const folder = skillPath(scope, name);
  const publishFolder = `${PUBLISH_DIR}/${scope}/${name}/`;
  const tagChanges = changes.filter((c) => c.path.startsWith(publishFolder));
  const tagPaths = tagChanges.map((c) => c.path);
  const [[headEntry], [forkEntry], [baseEntry], beforeEntries, afterEntries, baseTagFiles] = await Promise.all([
    lsTree(repo, ids.head, [folder], false),
    lsTree(repo, ids.forkPoint, [folder], false),
    lsTree(repo, ids.base, [folder], false),
    tagPaths.length > 0 ? lsTree(repo, ids.forkPoint, tagPaths, false) : [],
    tagPaths.length > 0 ? lsTree(repo, ids.head, tagPaths, false) : [],
    lsTree(repo, ids.base, [publishFolder], false),
  ]);
  const headEntries = headEntry?.type === "tree" ? await lsTree(repo, ids.head, [`${folder}/`], true) : [];
  const readable = headEntries.filter((e) => e.type === "blob" && e.mode !== MODE_SYMLINK && e.size <= cap.maxFileBytes).slice(0, cap.maxFiles);
  const tagBlobs = [...beforeEntries, ...afterEntries].filter((e) => e.type === "blob" && e.size <= cap.maxFileBytes);
  const blobs = await readBlobs(repo, [...readable.map((e) => e.oid), ...tagBlobs.map((e) => e.oid)]);

  const headFiles: TreeFile[] = headEntries.map((e) => {
    const file: TreeFile = { path: e.path.slice(folder.length + 1), mode: e.mode, size: e.size };
    const bytes = blobs.get(e.oid);
    if (bytes !== undefined && readable.includes(e)) file.bytes = bytes;
    return file;
  });
  const tagFiles: TagFileChange[] = tagChanges.map((c) => {
    const fileName = c.path.slice(publishFolder.length);
    const t: TagFileChange = {
      path: c.path,
      version: fileName.endsWith(TAG_FILE_SUFFIX) ? fileName.slice(0, -TAG_FILE_SUFFIX.length) : fileName,
      status: c.status,
    };
    const before = beforeEntries.find((e) => e.path === c.path);
    const after = afterEntries.find((e) => e.path === c.path);
    if (before && blobs.has(before.oid)) t.before = blobs.get(before.oid)!;
    if (after && blobs.has(after.oid)) t.after = blobs.get(after.oid)!;
    return t;
  });
  const facts: SkillFacts = {
    scope,
    name,
    headFiles,
    baseVersions: baseTagFiles
      .map((e) => e.path.slice(publishFolder.length))
      .filter((f) => f.endsWith(TAG_FILE_SUFFIX))
      .map((f) => f.slice(0, -TAG_FILE_SUFFIX.length)),
    existingTags: tags.filter((t) => t.name.startsWith(`@${scope}/${name}@`)),
    tagFiles,
  };
  if (headEntry) facts.headTree = headEntry.oid;
  if (forkEntry) facts.forkTree = forkEntry.oid;
  if (baseEntry) facts.baseTree = baseEntry.oid;
  return facts;
}

/**
 * A sealed version being published is judged on its plaintext: open it with the gate key and
 * put the opened files in headFiles. Without the key, or when it does not open, say why.
 */
async function openSealedHead(repo: string, head: string, facts: SkillFacts, gateKey: SealIdentity | undefined): Promise<void> {
  const version = facts.tagFiles.find((t) => t.status === "added")?.version;
  if (version === undefined || !isSealedTree(facts.headFiles)) return;
  const id = { scope: facts.scope, name: facts.name, version };
  if (!gateKey) {
    facts.sealed = { opened: false, problem: `@${id.scope}/${id.name}@${version} is sealed and SKILLREG_GATE_KEY is not set, so the gate cannot open it to check and scan it; run the gate with the registry's gate key` };
    return;
  }
  const [envelopeEntry] = await lsTree(repo, head, [sealedEnvelopePath(id.scope, id.name, version)], false);
  const envelope = envelopeEntry?.type === "blob" ? (await readBlobs(repo, [envelopeEntry.oid])).get(envelopeEntry.oid)?.toString("utf8") : undefined;
  try {
    const opened = await openSealedTree(id, facts.headFiles, envelope, gateKey);
    if (opened.envelope.disclosedFileKey !== undefined) {
      // Only `skillreg visibility ... public` discloses, and only versions already published sealed.
      facts.sealed = {
        opened: false,
        problem: `@${id.scope}/${id.name}@${version} is published with its file key disclosed in its envelope; a new version of a public skill is pushed in plaintext, and a private one's file key stays sealed`,
      };
      return;
    }
    facts.headFiles = opened.files.map((f) => ({ path: f.path, mode: f.executable ? "100755" : "100644", size: f.bytes.length, bytes: f.bytes }));
    facts.sealed = { opened: true, envelope: opened.envelope };
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    facts.sealed = { opened: false, problem: e.message };
  }
}

/**
 * An envelope that discloses its version's file key makes the version readable to everyone:
 * the skill must be public at the head of the change (the visibility change comes with it),
 * and the disclosed key must open the version as published. Undefined when both hold.
 */
async function disclosureProblem(
  repo: string,
  head: string,
  id: { scope: string; name: string; version: string },
  files: { path: string; bytes: Uint8Array }[],
  envelopeText: string | undefined,
): Promise<string | undefined> {
  const label = `@${id.scope}/${id.name}@${id.version}`;
  const scopeText = (await readFileAt(repo, head, scopeFilePath(id.scope)))?.toString("utf8");
  const visibility = scopeText === undefined ? "private" : skillVisibility(parseScopeFile(scopeText, scopeFilePath(id.scope)), id.name);
  if (visibility !== "public") {
    return `${sealedEnvelopePath(id.scope, id.name, id.version)} discloses the file key of ${label}, but @${id.scope}/${id.name} is not public after this change; disclose only with 'skillreg visibility @${id.scope}/${id.name} public'`;
  }
  try {
    await openSealedTree(id, files, envelopeText, undefined);
    return undefined;
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    return `${sealedEnvelopePath(id.scope, id.name, id.version)}: its disclosed file key does not open ${label}: ${e.message}`;
  }
}

/**
 * Envelopes the change rewrites for versions published before it (a grant's re-wrap): each
 * must still open the version as published on base, with the gate key, so a forged header or
 * one that drops the gate is caught. Envelopes are never removed.
 */
async function checkEnvelopeChanges(
  repo: string,
  ids: { base: string; head: string },
  facts: SkillFacts,
  changes: PathChange[],
  gateKey: SealIdentity | undefined,
): Promise<void> {
  const publishing = facts.tagFiles.find((t) => t.status === "added")?.version;
  const envelopes: { path: string; problem?: string; envelope?: SealEnvelope }[] = [];
  for (const c of changes) {
    const id = parseSealedEnvelopePath(c.path);
    if (!id || id.scope !== facts.scope || id.name !== facts.name || id.version === publishing) continue;
    const label = `@${id.scope}/${id.name}@${id.version}`;
    if (c.status === "deleted") {
      envelopes.push({ path: c.path, problem: `${c.path} may not be removed: it is how the members of @${id.scope} read ${label}` });
      continue;
    }
    if (!gateKey) {
      envelopes.push({ path: c.path, problem: `${c.path} changes who can read ${label} and SKILLREG_GATE_KEY is not set, so the gate cannot check that it still opens the version` });
      continue;
    }
    const published = await readStoredSealedVersion(repo, ids.base, id);
    if (!published) {
      envelopes.push({ path: c.path, problem: `${c.path}: ${label} is not a sealed version published on the base branch` });
      continue;
    }
    try {
      const envelopeText = (await readFileAt(repo, ids.head, c.path))?.toString("utf8");
      const opened = await openSealedTree(id, published.files, envelopeText, gateKey);
      if (opened.envelope.disclosedFileKey !== undefined) {
        envelopes.push({ path: c.path, problem: await disclosureProblem(repo, ids.head, id, published.files, envelopeText) });
        continue;
      }
      envelopes.push({ path: c.path, envelope: opened.envelope });
    } catch (e) {
      if (!(e instanceof SkillregError)) throw e;
      envelopes.push({ path: c.path, problem: `${c.path} does not open ${label}: ${e.message}` });
    }
  }
  if (envelopes.length > 0) facts.envelopes = envelopes;
}

/**
 * Gather the facts of the change from `baseRev` to `headRev` in the repository at `repo`.
 * The change is what head adds since its fork point (merge-base), while who may do what and
 * which versions exist are read from base, the trusted side.
 */
export async function gatherFacts(repo: string, baseRev: string, headRev: string, gateKey?: SealIdentity): Promise<GateFacts> {
  const base = await revParse(repo, baseRev, "base");
  const head = await revParse(repo, headRev, "head");
  const forkPoint = (await runGit(["merge-base", base, head], { cwd: repo, okCodes: [1] })).stdout;
  if (forkPoint === "") throw new SkillregError(`base '${baseRev}' and head '${headRev}' have no common history`);
  const changes = await diffPaths(repo, forkPoint, head);
  const touched = new Map<string, { scope: string; name: string }>();
  for (const c of changes) {
    const kind = classifyPath(c.path);
    if (kind.kind === "skill") touched.set(`${kind.scope}/${kind.name}`, { scope: kind.scope, name: kind.name });
  }
  // Only the touched skills' tags: a registry holds hundreds of thousands, and the gate's cost
  // must follow the change, not the registry.
  const [trusted, proposed, tags, commits] = await Promise.all([
    controlFiles(repo, base),
    controlFiles(repo, head),
    listTags(repo, [...touched.values()].map((s) => `refs/tags/@${s.scope}/${s.name}@*`)),
    changeCommits(repo, forkPoint, head, new Set(changes.map((c) => c.path))),
  ]);

  const cap = fileCap(trusted);
  const skills: SkillFacts[] = [];
  for (const { scope, name } of [...touched.values()].sort((a, b) => (`${a.scope}/${a.name}` < `${b.scope}/${b.name}` ? -1 : 1))) {
    const facts = await skillFacts(repo, { base, head, forkPoint }, scope, name, changes, tags, cap);
    await openSealedHead(repo, head, facts, gateKey);
    await checkEnvelopeChanges(repo, { base, head }, facts, changes, gateKey);
    skills.push(facts);
  }
  return { base, head, forkPoint, changes, trusted, proposed, commits, skills };
}
