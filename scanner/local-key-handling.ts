/**
 * Key files handled where they are: `ssh-add -t 8h ~/.ssh/id_ed25519`, `ssh-keygen -f
 * ~/.ssh/id_ed25519`, the cluster's kubeconfig copied into `~/.kube/config` and locked with
 * `chmod 600`. Nothing reads the key out: a tool that keeps it local takes the path, or the
 * path is where a write lands. Such a credential finding is medium when:
 *
 * - on its line, every mention of a secret store is an argument of a local key tool (ssh-add,
 *   ssh-keygen, chmod, chown, mkdir, touch, test) or the target of a write (`> path`, `tee
 *   path`, the last argument of cp/mv/install), and the line runs no network tool; in prose,
 *   the sentence names the path without a verb that reads, shows or moves it ("If
 *   `~/.ssh/id_ed25519` exists, do not overwrite it");
 * - no other finding of the skill is medium or above, except an official installer (already
 *   medium) and the guardrails notes, and none carries data out (exfiltration or send steps at
 *   any severity).
 *
 * `cat ~/.ssh/id_rsa`, `cp ~/.kube/config /tmp/k` (a read: the store is the source), `scp -i`
 * beside a send, or any second risky finding keep the full severity.
 */
import type { Category, Finding } from "./types.js";
import { weighs } from "./weighs.js";

const KEY_RULES = new Set(["SR-CRED-001", "SR-CRED-002"]);
/** A secret store's path as a shell word, under `~`, `$HOME` or a variable holding a home folder (`H=$(getent passwd "$U" | cut -d: -f6)`). */
const STORE_PATH = /(?:~|\$\{?[A-Za-z_]\w*\}?)\/\.(?:ssh|kube|aws|docker|azure|config\/gcloud)(?:\/[\w.@-]*)*/g;
/** A command on the line that talks to the network (ssh itself included: it could carry the key). */
const NETWORK = /(?<![./\w-])(?:curl|wget|nc|ncat|netcat|socat|scp|sftp|rsync|ssh|ftp|telnet|http|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b(?!-(?:add|keygen|agent))/i;
/** Commands that keep a key local or only prepare its place. */
const LOCAL_TOOL = /^(?:sudo\s+)?(?:(?:ssh-add|ssh-keygen|chmod|chown|mkdir|touch|test)\b|\[\[?\s)/;
/** Verbs that read a key out, show it or move it somewhere. */
const READS_OUT = /\b(?:cat|read|reads|open|print|prints|show|display|output|copy|cp|send|upload|paste|include|attach|share|encode|base64|echo|contents?|export|post|email)\b/i;
/** What carries data out: a finding of these at any severity ends the demotion. */
const CARRIERS = new Set<Category>(["exfiltration", "send-instructions", "env-harvesting", "reverse-shell", "remote-instructions"]);

/** The shell commands of a line: split at `&&`, `||`, `;` and `|`. */
function commandsOf(line: string): string[] {
  return line.split(/&&|\|\||[;|]/).map((c) => c.trim());
}

/** Whether every store path in one command is handled locally (a local tool's argument or a write target). */
function commandKeepsLocal(command: string): boolean {
  const paths = command.match(STORE_PATH);
  if (!paths) return true;
  if (LOCAL_TOOL.test(command)) return true;
  // `cat src > ~/.kube/config`, `tee ~/.kube/config`, `cp src ~/.kube/config`: the store is written, not read.
  const target = /(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?(\S+?)["']?\s*$/.exec(command) ?? /^(?:sudo\s+)?(?:cp|mv|install)\s+(?:-\S+\s+)*\S+\s+["']?(\S+?)["']?\s*$/.exec(command);
  if (!target) return false;
  return STORE_PATH_IN.test(target[1]!) && !STORE_PATH_IN.test(command.slice(0, target.index));
}

const STORE_PATH_IN = new RegExp(STORE_PATH.source);
/** A code span that is only a key store's path. */
const STORE_PATH_BARE = new RegExp(`^(?:${STORE_PATH.source})$`);

/**
 * How a finding's line handles the key: "command" when a local tool takes it or a write lands
 * on it, "mention" when prose only names it (kept local only if a command line of the skill
 * handles that same path), undefined when it may read the key out.
 */
function handling(line: string): { how: "command" | "mention"; paths: string[] } | undefined {
  if (NETWORK.test(line)) return undefined;
  const paths = line.match(STORE_PATH) ?? [];
  const spans = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
  if (spans.length === 0) return commandsOf(line).every(commandKeepsLocal) ? { how: "command", paths } : undefined;
  // Prose: each code span is a bare path or keeps the key local, and the words around do not read it out.
  const prose = line.replace(/`[^`]*`/g, " ");
  if (READS_OUT.test(prose) || STORE_PATH_IN.test(prose)) return undefined;
  if (!spans.every((c) => STORE_PATH_BARE.test(c) || commandsOf(c).every(commandKeepsLocal))) return undefined;
  return { how: spans.some((c) => STORE_PATH_IN.test(c) && !STORE_PATH_BARE.test(c)) ? "command" : "mention", paths };
}

export function demoteLocalKeyHandling(findings: Finding[]): Finding[] {
  const keys = findings.filter((f) => KEY_RULES.has(f.ruleId) && f.severity === "high" && !f.suppressed);
  const ways = keys.map((f) => handling(f.evidence));
  if (keys.length === 0 || ways.some((w) => w === undefined)) return findings;
  // A path only named in prose ("`~/.aws/credentials` and `~/.kube/config`") is kept local only where a command of the skill handles it.
  // Compared from the store's folder on (`~/.kube/config` and `"$H/.kube/config"` are one store, whichever home names it).
  const inHome = (p: string) => p.slice(p.indexOf("/."));
  const handled = new Set(ways.flatMap((w) => (w!.how === "command" ? w!.paths.map(inHome) : [])));
  if (!ways.every((w) => w!.how === "command" || w!.paths.every((p) => handled.has(inHome(p))))) return findings;
  // An official installer and `sudo` are medium on their own: neither carries the key anywhere.
  const official = (f: Finding) => (f.category === "download-execute" || f.category === "privilege-escalation") && f.severity === "medium";
  if (findings.some((f) => !keys.includes(f) && (CARRIERS.has(f.category) || (weighs(f) && !official(f))))) return findings;
  const reason = "a key file handled on this machine only: a local key tool's argument or the target of a write, with no way out in the skill";
  return findings.map((f) => (keys.includes(f) ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
