/**
 * A sudoers drop-in that only tunes how sudo asks for the password: `Defaults:alice
 * timestamp_timeout=30` written to /etc/sudoers.d and checked with `visudo -c`. It grants
 * nobody anything; the rule's harm (a standing root backdoor) needs a user specification
 * (`alice ALL=(ALL) NOPASSWD: ALL`) or a setting that opens one (`!authenticate`, `env_keep +=
 * LD_PRELOAD`, `secure_path` with a writable folder). The demotion rests on the whole skill:
 *
 * - every `Defaults` line any file spells sets only options from a short list of prompt and
 *   logging settings (`timestamp_timeout` of zero or more minutes, `passwd_tries`, `pwfeedback`,
 *   `insults`, `lecture`, `use_pty`, `logfile`…), and there is at least one;
 * - no file spells a grant or a dangerous setting (`NOPASSWD`, `ALL`, a user's `host = (runas)
 *   /cmd`, an alias, `!authenticate`, `env_keep`, `secure_path`, `LD_PRELOAD`, `includedir`…);
 * - no file fetches, decodes or evaluates anything (curl, wget, base64, eval…): what reaches
 *   the sudoers file is only what the skill spells out.
 *
 * Its SR-PRIV-002 findings then go to medium, still shown.
 */
import type { Finding } from "./types.js";

const SAFE_OPTION = /^(?:timestamp_timeout=\d+(?:\.\d+)?|passwd_timeout=\d+|passwd_tries=\d+|!?pwfeedback|!?insults|lecture(?:=(?:always|once|never))?|!lecture|!?use_pty|!?requiretty|!?mail_badpass|timestamp_type=(?:global|ppid|tty|kernel)|logfile=\/var\/log\/[\w./-]+|!?log_input|!?log_output|badpass_message=(?:"[^"\n]*"|\S+))$/;
/** `Defaults`, `Defaults:alice`, `Defaults>root`… then its options (group 1). */
const DEFAULTS_LINE = /\bDefaults(?:[:@>!][^\s]+)?\s+([^\n'"\\]+)/g;
const GRANT_OR_OPENER = /\bNOPASSWD\b|\bSETENV\b|\bALL\b|!authenticate|\benv_keep\b|!env_reset|\bsecure_path\b|\bLD_PRELOAD\b|\bLD_LIBRARY_PATH\b|#?@?includedir?\b|\brunas_default\b|\btargetpw\b|\brootpw\b|\bexempt_group\b|\bverifypw\b|\blistpw\b|\b(?:Cmnd|User|Host|Runas)_Alias\b|=\s*\([^)\n]*\)|(?<![\w:@>!%])(?!Defaults\b)%?[\w+]+\s+[\w.,-]+\s*=\s*(?:\w+:\s*)?\//;
const FETCH_OR_DECODE = /\b(?:curl|wget|nc|ncat|socat|base64|xxd|openssl\s+enc|eval|iex|Invoke-WebRequest|Invoke-RestMethod|urllib|requests|fetch|http\.get)\b|\bpython3?\s+-c\b|\bperl\s+-e\b/i;

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteSudoersDefaults(findings: Finding[], paths: string[], textOf: (path: string) => string | undefined): Finding[] {
  const edits = findings.filter((f) => f.ruleId === "SR-PRIV-002" && (f.severity === "critical" || f.severity === "high"));
  if (edits.length === 0) return findings;
  const texts = paths.map(textOf);
  if (texts.some((t) => t === undefined)) return findings;
  const all = texts.join("\n");
  if (GRANT_OR_OPENER.test(all) || FETCH_OR_DECODE.test(all)) return findings;
  const options = [...all.matchAll(DEFAULTS_LINE)].flatMap((m) => m[1]!.replace(/\\n$/, "").split(/[\s,]+/).filter(Boolean));
  if (options.length === 0 || !options.every((o) => SAFE_OPTION.test(o))) return findings;
  const reason = "a sudoers drop-in that only sets prompt and logging Defaults (no user, no command, no NOPASSWD), from text the skill spells out";
  return findings.map((f) => (edits.includes(f) ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
