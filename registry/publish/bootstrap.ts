import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { SkillregError } from "../core/index.js";
import { writeFileAtomic } from "../core/index.js";
import { codeownersDifferences, generateCodeowners } from "./codeowners.js";
import { loadRegistryConfig, loadScopes, parseScopeFile } from "../core/index.js";
import type { ScopeFile, ScopeFileData, Visibility } from "../core/index.js";
import { git } from "../git/index.js";
import { ALLOWED_SIGNERS_FILE, CODEOWNERS_FILE, scopeFilePath } from "../core/index.js";
import { checkPrincipal } from "../core/index.js";
import { parseRegistrySigners } from "../trust/index.js";
import { parsePublicKey, type SshPublicKey } from "../trust/index.js";

/**
 * Direct edits of a registry by its admins, for bootstrapping (before pull requests can
 * carry the change): add a scope, add a signing key, regenerate CODEOWNERS. Each decides
 * the new file contents first (pure), then writes and commits them as one step.
 */

interface FileEdit {
  path: string;
  content: string;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SkillregError(`${path}: cannot be read: ${(e as Error).message}`);
  }
}

/** Replace a file (and make its folder), so a reader never sees half of it. */
async function replaceFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, content);
}

/**
 * Write the files and commit exactly them (other staged work is left alone). If writing or
 * committing fails, the files get their old contents back and the error goes on.
 */
async function writeAndCommit(registryDir: string, edits: FileEdit[], message: string): Promise<string> {
  const before = await Promise.all(edits.map((e) => readOptional(join(registryDir, e.path))));
  try {
    for (const edit of edits) await replaceFile(join(registryDir, edit.path), edit.content);
    const paths = edits.map((e) => e.path);
    await git(["add", "--", ...paths], { cwd: registryDir });
    await git(["commit", "--quiet", "--message", message, "--", ...paths], { cwd: registryDir });
    return await git(["rev-parse", "HEAD"], { cwd: registryDir });
  } catch (e) {
    await Promise.all(
      edits.map(async (edit, i) => {
        const old = before[i];
        const path = join(registryDir, edit.path);
        if (old === undefined) await rm(path, { force: true });
        else await writeFile(path, old);
      }),
    );
    await git(["reset", "--quiet", "--", ...edits.map((e) => e.path)], { cwd: registryDir }).catch(() => undefined);
    throw e;
  }
}

/** A new scope file: its text, and that text parsed and validated as any scope file is. Pure. */
function newScopeFile(scope: string, owners: string[], visibility: Visibility): { text: string; parsed: ScopeFile } {
  if (owners.length === 0) throw new SkillregError("a scope needs at least one owner: pass --owner <principal>");
  for (const owner of owners) checkPrincipal(owner, "--owner");
  const data: ScopeFileData = {
    scope,
    visibility,
    members: Object.fromEntries([...new Set(owners)].sort().map((o) => [o, "owner" as const])),
  };
  const text =
    `# Members of @${scope} and their roles (owner, maintainer, reader); per-skill visibility,\n` +
    "# yanked and deprecated versions under skills:. Changes need a registry admin's review.\n" +
    stringify(data);
  return { text, parsed: parseScopeFile(text, scopeFilePath(scope)) };
}

/** Add `scopes/<scope>.yaml` with its owners, regenerate CODEOWNERS, commit. */
export async function addScope(
  registryDir: string,
  scope: string,
  owners: string[],
  visibility: Visibility,
): Promise<{ commit: string; files: string[] }> {
  const config = await loadRegistryConfig(registryDir);
  const scopes = await loadScopes(registryDir);
  if (scopes.has(scope)) throw new SkillregError(`scope @${scope} already exists (${scopeFilePath(scope)}); edit that file instead`);
  const { text, parsed } = newScopeFile(scope, owners, visibility);
  const next = new Map(scopes).set(scope, parsed);
  const edits = [
    { path: scopeFilePath(scope), content: text },
    { path: CODEOWNERS_FILE, content: generateCodeowners(config, next) },
  ];
  const commit = await writeAndCommit(registryDir, edits, `Add scope @${scope}`);
  return { commit, files: edits.map((e) => e.path) };
}

/**
 * A public key file's key, or a one-line error saying what the file is instead. A private
 * key is named as such: it is the likeliest wrong file, and must not be committed.
 */
export function parsePublicKeyFile(text: string, file: string): SshPublicKey {
  if (text.includes("PRIVATE KEY")) {
    throw new SkillregError(`${file}: this is a private key; pass the public key (the .pub file) instead`);
  }
  return parsePublicKey(text, file);
}

/**
 * allowed_signers with one more line for `principal`, or an error when the key is already
 * there (for anyone: one key, one signer, so a signature always names one person). Pure.
 */
export function withAllowedSigner(current: string, principal: string, key: SshPublicKey): string {
  checkPrincipal(principal, "principal");
  const existing = parseRegistrySigners(current, ALLOWED_SIGNERS_FILE).find((s) => s.key.blob.equals(key.blob));
  if (existing) {
    throw new SkillregError(
      `key ${key.fingerprint} is already in ${ALLOWED_SIGNERS_FILE} (line ${existing.line}, for ${existing.principals.join(",")})`,
    );
  }
  const base = current === "" || current.endsWith("\n") ? current : current + "\n";
  return `${base}${principal} namespaces="git" ${key.line}\n`;
}

/** Add a principal's signing key to allowed_signers and commit. */
export async function addSigningKey(
  registryDir: string,
  principal: string,
  keyText: string,
  keyFile: string,
): Promise<{ commit: string; fingerprint: string }> {
  await loadRegistryConfig(registryDir);
  const key = parsePublicKeyFile(keyText, keyFile);
  const current = (await readOptional(join(registryDir, ALLOWED_SIGNERS_FILE))) ?? "";
  const next = withAllowedSigner(current, principal, key);
  const commit = await writeAndCommit(
    registryDir,
    [{ path: ALLOWED_SIGNERS_FILE, content: next }],
    `Add signing key ${key.fingerprint} for ${principal}`,
  );
  return { commit, fingerprint: key.fingerprint };
}

/** What .github/CODEOWNERS should hold, what it holds, and how they differ. */
export async function codeownersStatus(registryDir: string): Promise<{ expected: string; differences: string[] }> {
  const expected = generateCodeowners(await loadRegistryConfig(registryDir), await loadScopes(registryDir));
  const actual = await readOptional(join(registryDir, CODEOWNERS_FILE));
  return { expected, differences: codeownersDifferences(actual, expected) };
}
