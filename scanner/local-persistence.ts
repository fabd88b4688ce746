/**
 * A backup cron job, a systemd user service for the user's own app or a PATH line in the
 * PowerShell profile is persistence with nothing to carry: medium, not review. The demotion
 * rests on the whole skill, not on anything the persisting line says, so an attacker cannot
 * buy it with wording: no file of the skill may reach the network, no other finding may be
 * medium or above (what a startup entry keeps alive, such as TLS checks turned off, counts
 * too; only the guardrails notes on the skill's own declarations do not), nothing may
 * download, send, decode-and-run or open a shell to a host, and
 * every file must be one the scanner reads (no binaries or languages it does not analyse). The
 * file that persists must run no path in the home, temp or shared folders, name no hidden or
 * temporary path other than the startup file it writes (a backup of `$HOME/Documents` is data,
 * `sh ~/.cache/w.sh` is not), and every script it names must be one the skill ships: what is
 * scheduled is then a fixed local command or a script of the skill whose own scan is clean,
 * never a file something else drops later (`sh ~/.cache/w.sh`). A script the same file writes
 * in full (a heredoc, a PowerShell here-string) counts as shipped: its text is scanned here, and
 * a log redirected into a hidden folder is output, not a drop. A payload persisted
 * (SR-PERSIST-009), an authorized_keys backdoor (SR-PERSIST-007), git hooks other than
 * `core.hooksPath` set to a folder of the repository (purpose.ts knows the shipped ones), a
 * suppressed finding (the reviewer sees it) and any critical are never lowered.
 */
import { isOfficialInstaller } from "./allowlist.js";
import type { CapabilityUse, Category, FileKind, Finding } from "./types.js";
import { urlsIn } from "./urls.js";
import { weighs } from "./weighs.js";

/**
 * Startup and scheduling entries that are high only for what they could run: cron, systemd
 * user units, shell profiles, scheduled tasks, launch agents (a plist the same file writes in
 * full; a shipped one is purpose.ts's) and editor tasks that run when a folder opens.
 */
const LOCAL_ENTRY_RULES = new Set(["SR-PERSIST-001", "SR-PERSIST-002", "SR-PERSIST-003", "SR-PERSIST-004", "SR-PERSIST-006", "SR-PERSIST-008", "SR-PERSIST-010"]);
/** `git config core.hooksPath .githooks`: the repository's own versioned hooks, not a folder in the home. */
const REPO_HOOKS = /\bgit\s+config\s+(?:--local\s+)?core\.hooksPath\s+["']?(?![^\s"']*\.\.)\.?[\w-][\w./-]*["']?\s*(?:[`(,;)]|$)/;
/** A finding of these at any severity means something could arrive or leave. */
const CARRIERS = new Set<Category>(["download-execute", "exfiltration", "reverse-shell", "remote-instructions", "decode-execute"]);
/** A request that carries data out (a body, an upload, a copy to another host). */
const SENDS = /\b(?:curl|wget)\b[^\n]*\s(?:-d|-F|-T|--data[\w-]*|--form|--upload-file|--post-\w+)(?=[\s=])|\b(?:curl|wget)\b[^\n]*-X\s*(?:POST|PUT|PATCH)|\b(?:nc|ncat|socat|scp|rsync|sftp|ftp)\b|-Method\s+(?:Post|Put)|\b(?:Invoke-RestMethod|Invoke-WebRequest|iwr|irm)\b[^\n]*-(?:Body|InFile)\b/i;
/** Kinds the scanner cannot see network use in. */
const OPAQUE = new Set<FileKind>(["binary", "other-code"]);
/** A host or address on the persisting line itself. */
const REMOTE = /\b[a-z][\w+.-]*:\/\/|\b\d{1,3}(?:\.\d{1,3}){3}\b|\/dev\/(?:tcp|udp)\//i;
/** A path in the home, temp or shared folders. */
const OUTSIDE_PATH = /(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|%APPDATA%|\$env:(?:USERPROFILE|APPDATA|LOCALAPPDATA|TEMP|TMP))[/\\][^\s'"`;|&)]*|(?<![\w.~$])\/(?:tmp|var\/tmp|dev\/shm|opt|srv|usr\/local|Users|home)\/[^\s'"`;|&)]*/gi;
/** ...that is hidden or temporary: where a dropper keeps what a schedule runs (`sh ~/.cache/w.sh`). */
const DROP_PLACE = /^(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|%APPDATA%|\$env:\w+)[/\\](?:.*[/\\])?\.|^\/(?:tmp|var\/tmp|dev\/shm)\/|\$env:(?:TEMP|TMP)|%APPDATA%/i;
/** ...or that is run: after an interpreter, as a unit's ExecStart, or as a command (after a cron schedule or a separator). */
const RUNS_OUTSIDE = /(?:\b(?:sh|bash|zsh|dash|python3?|node|pwsh|powershell|perl|ruby|source|exec|nohup|env)\s+(?:-\S+\s+)*|ExecStart=\s*|[*;&|]\s*|^\s*)["']?(?:~|\$HOME\b|\$\{HOME\}|%USERPROFILE%|%APPDATA%|\$env:\w+|\/(?:tmp|var\/tmp|dev\/shm|opt|srv|usr\/local|Users|home)\/)/m;
/** The startup places the persistence rules name: writing them is the finding itself. */
const STARTUP_PLACE = /^(?:~|\$HOME|\$\{HOME\})\/(?:\.config\/systemd\/user\/?(?:[\w@.-]+\.(?:service|timer))?|\.config\/autostart\/?(?:[\w@.-]+\.desktop)?|\.(?:bashrc|zshrc|profile|bash_profile|bash_login|zprofile|zshenv|zlogin))$/;
/** A script named by the persisting file. */
const SCRIPT_NAME = /[\w./${}-]*\.(?:sh|bash|zsh|py|js|mjs|cjs|ts|ps1|psm1|rb|pl|php)\b/gi;

/** `cat > ~/bin/x.sh <<'EOF'`, `tee x.sh <<EOF`: a file whose whole text this file writes (and the scanner reads here). */
const HEREDOC_WRITE = /\b(?:cat\s*>>?|tee(?:\s+-a)?)\s*["']?([^\s"'<>|;&]+)["']?\s*<<-?\s*["']?\w+/g;
/** `Set-Content -Path $script -Value @'…'@` or `'@ | Set-Content $script`: the same in PowerShell, with the path possibly held in a variable. */
const HERESTRING_WRITE = /\bSet-Content\s+(?:-Path\s+)?(\S+)\s+-Value\s+@["']|^["']@\s*\|\s*(?:Set-Content|Out-File)\s+(?:-(?:Path|FilePath)\s+)?([^\s|;]+)/gim;

function baseName(path: string): string {
  return path.replace(/["']/g, "").split(/[/\\]/).pop()!.toLowerCase();
}

/** File names this text writes in full (heredocs, here-strings), whose content the scan of this file covers. */
function writtenInline(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(HEREDOC_WRITE)) names.add(baseName(m[1]!));
  for (const m of text.matchAll(HERESTRING_WRITE)) {
    // `@'…'@ | Set-Content $script` writes the here-string that ends on this line.
    const target = m[1] ?? m[2]!;
    const variable = /^\$(\w+)$/.exec(target)?.[1];
    // `$script = Join-Path $env:LOCALAPPDATA 'temp-cleaner.ps1'`: the name is the last literal of the assignment.
    const assigned = variable ? new RegExp(`\\$${variable}\\s*=\\s*[^\\n]*?["']([^"'\\n]+)["']\\s*\\)?\\s*$`, "m").exec(text)?.[1] : target;
    if (assigned) names.add(baseName(assigned));
  }
  return names;
}

/** The persisting file runs only fixed commands or the skill's own scripts (shipped, or written in full here). */
function schedulesOnlyLocal(text: string, files: string[]): boolean {
  const inline = writtenInline(text);
  for (const m of text.matchAll(OUTSIDE_PATH)) {
    // Where a log goes (`>> $HOME/.local/state/backup.log`) and a script written in full here are not hidden drops.
    if (/(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?$/.test(text.slice(Math.max(0, m.index - 8), m.index)) || inline.has(baseName(m[0]))) continue;
    if (!STARTUP_PLACE.test(m[0]) && DROP_PLACE.test(m[0])) return false;
  }
  for (const m of text.matchAll(new RegExp(RUNS_OUTSIDE.source, "gm"))) {
    const rest = /^[^\s'"`;|&)]*/.exec(text.slice(m.index + m[0].length))![0];
    if (!inline.has(baseName(m[0] + rest))) return false;
  }
  const shipped = new Set([...files.map((f) => f.slice(f.lastIndexOf("/") + 1).toLowerCase()), ...inline]);
  for (const m of text.matchAll(SCRIPT_NAME)) if (!shipped.has(m[0].slice(m[0].lastIndexOf("/") + 1).toLowerCase())) return false;
  return true;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteLocalPersistence(findings: Finding[], capabilities: CapabilityUse[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const paths = files.map((f) => f.path);
  const entries = findings.filter((f) => {
    const entry = LOCAL_ENTRY_RULES.has(f.ruleId) || (f.ruleId === "SR-PERSIST-005" && REPO_HOOKS.test(f.evidence));
    if (!entry || f.severity !== "high" || f.suppressed || REMOTE.test(f.evidence)) return false;
    const text = textOf(f.file);
    return text !== undefined && schedulesOnlyLocal(text, paths);
  });
  if (entries.length === 0) return findings;
  const others = findings.filter((f) => !entries.includes(f));
  // The tool's official installer (`curl -sS https://starship.rs/install.sh | sh` beside `eval "$(starship init bash)"`)
  // brings in the program the startup line runs and carries nothing out: it is the only network use allowed.
  const installer = others.filter((f) => f.ruleId === "SR-DLEXEC-002");
  const onlyInstallers = installer.length > 0 && files.every((f) => {
    const text = f.kind === "markdown" || f.kind === "text" || f.kind === "skill-body" ? "" : (textOf(f.path) ?? "");
    return urlsIn(text).every(isOfficialInstaller) && !SENDS.test(text);
  });
  const carries =
    others.some((f) => !(onlyInstallers && installer.includes(f)) && (weighs(f) || CARRIERS.has(f.category))) ||
    (capabilities.some((u) => u.capability === "network") && !onlyInstallers) ||
    files.some((f) => OPAQUE.has(f.kind));
  if (carries) return findings;
  const reason = onlyInstallers
    ? "persistence of a local command: the skill's only network use is an official installer and no other finding is high"
    : "persistence of a local command: nothing in the skill reaches the network and no other finding is high";
  return findings.map((f) => (entries.includes(f) ? { ...f, severity: "medium", demoted: f.demoted ?? reason } : f));
}
