/**
 * A credential read that stays on the machine: git's plain-text store moved into the OS
 * keychain, the Solana CLI keypair used to sign a transaction locally. The read is medium
 * (shown, not reviewed) only when the file hands what it reads to a local keeper or signer and
 * the rest of the skill gives it no way out:
 *
 * - git credentials: the file feeds them to `git credential approve/store` or a keychain tool,
 *   sets git's credential helper to the OS keychain's (git moves them on the next use), or only tests that the file exists and prints a message about it (every line naming it),
 *   no file of the skill reaches the network, and every file is one the scanner reads;
 * - a Wi-Fi password (`security find-generic-password -D 'AirPort network password'`) shown to
 *   the user, with no file of the skill reaching the network;
 * - a Solana keypair (already high in a Solana skill, purpose.ts): the file builds a signer
 *   from it (`Keypair.fromSecretKey`), builds or sends no transaction that moves funds (a
 *   transfer signed with the user's key leaves the machine as money), and nothing in the skill
 *   sends, harvests or decodes;
 *
 * and in both cases no other finding of the skill is medium or above (guardrails notes aside).
 * A read the data-flow analysis sees reach a send is a separate critical finding, never lowered.
 */
import type { CapabilityUse, Category, FileKind, Finding } from "./types.js";
import { weighs } from "./weighs.js";

/** A file that moves git credentials into a local keeper. */
const KEEPS_LOCALLY = /\bgit\s+credential(?:-[\w-]+)?\s+(?:approve|store)\b|\bsecurity\s+add-internet-password\b|\bsecret-tool\s+store\b|\bcmdkey\s+\/add/;
/** `git config --global credential.helper "$helper"` with the OS keychain's helper named in the file: git moves the entries there itself. */
const KEYCHAIN_HELPER = /\bgit\s+config\s+(?:--(?:global|system)\s+)?credential\.helper\b/;
const KEYCHAIN_HELPER_NAME = /\b(?:osxkeychain|git-credential-libsecret|libsecret|manager(?:-core)?|wincred)\b/;
/** A file's line that only checks the store exists or names it in a message: `[ -f ~/.git-credentials ]`, `echo "… ~/.git-credentials …"`. */
const ONLY_NAMES_STORE = /^\s*(?:(?:if|elif|while|then)\s+)?(?:\[\[?\s+-[efs]\s+["']?[~\w$/{}.-]*git-credentials["']?\s+\]\]?|test\s+-[efs]\s+["']?[~\w$/{}.-]*git-credentials["']?)\s*(?:;\s*then)?\s*$|^\s*echo\s+"[^"$`\\]*"\s*$/;
/** A Wi-Fi network's password read from the macOS keychain: the password of the network the user is on, not an account's. */
const WIFI_PASSWORD = /\bsecurity\s+find-generic-password\b[^\n|;&]*?\s-D\s+(["'])AirPort network password\1/;
/** A file that signs with the keypair it read. */
const SIGNS_LOCALLY = /\bKeypair\.fromSecretKey\s*\(|\bKeypair\.from_(?:bytes|secret_key|json)\s*\(/;
/** A transfer built or a transaction sent with the signer: funds leave, whoever the recipient is. */
const MOVES_FUNDS = /\btransfer(?:_checked|Checked)?\s*\(|\bcreateTransfer\w*Instruction\b|\bTransferParams\b|\bsend(?:_and_confirm)?_transaction\b|\bsend(?:AndConfirm)?(?:Raw)?Transaction\b|\bsolana\s+transfer\b/;
/** A finding of these at any severity means something could leave. */
const CARRIERS = new Set<Category>(["exfiltration", "send-instructions", "env-harvesting", "decode-execute", "download-execute", "reverse-shell", "remote-instructions"]);
const OPAQUE = new Set<FileKind>(["binary", "other-code"]);

/** Whether every line of the file naming git's plain-text store only tests that it exists or prints a message about it. */
function onlyNamesStore(text: string): boolean {
  return text.split("\n").every((line) => !line.includes("git-credentials") || ONLY_NAMES_STORE.test(line));
}

function isLocalUse(f: Finding, text: string | undefined, noNetwork: boolean): boolean {
  if (text === undefined || f.suppressed || f.severity !== "high") return false;
  if (f.ruleId === "SR-CRED-004") return noNetwork && /git-credentials/.test(f.evidence) && (KEEPS_LOCALLY.test(text) || (KEYCHAIN_HELPER.test(text) && KEYCHAIN_HELPER_NAME.test(text)) || onlyNamesStore(text));
  if (f.ruleId === "SR-CRED-009") return noNetwork && WIFI_PASSWORD.test(f.evidence);
  return f.ruleId === "SR-CRED-007" && f.demoted !== undefined && /solana/i.test(f.demoted) && SIGNS_LOCALLY.test(text) && !MOVES_FUNDS.test(text);
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteLocalCredentialUse(findings: Finding[], capabilities: CapabilityUse[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const noNetwork = !capabilities.some((u) => u.capability === "network") && !files.some((f) => OPAQUE.has(f.kind));
  const reads = findings.filter((f) => f.category === "credential-access" && f.severity === "high");
  if (reads.length === 0 || findings.some((f) => CARRIERS.has(f.category))) return findings;
  // Every credential read of the skill must be a local use: SKILL.md naming the store counts as its script's read.
  const scripts = reads.filter((f) => f.file !== "SKILL.md");
  if (scripts.length === 0 || !scripts.every((f) => isLocalUse(f, textOf(f.file), noNetwork))) return findings;
  const named = reads.filter((f) => f.file === "SKILL.md");
  if (!named.every((f) => scripts.some((s) => s.ruleId === f.ruleId))) return findings;
  if (findings.some((f) => !reads.includes(f) && weighs(f))) return findings;
  const reason = "a credential used on this machine only: handed to a local keychain or signer, with no way out in the skill";
  return findings.map((f) => (reads.includes(f) ? { ...f, severity: "medium", demoted: reason } : f));
}
