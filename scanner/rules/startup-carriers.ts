/**
 * Places the system or a tool runs code from on its own, beyond the shell startup files,
 * schedules and hooks of persistence.ts: a unit or login job shipped as a file (it starts itself
 * once installed), a program git runs on every status or clone (`core.fsmonitor`,
 * `init.templateDir`), and a shell function that shadows a password-prompting command to read
 * the password itself. Each is a fact of low or high severity; with a payload in the same
 * file (a download that is run or saved, an upload) the engine makes it the complete chain
 * (SR-PERSIST-009, SR-EXFIL-001).
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE, SCRIPTS_AND_PROSE } from "./common.js";

/** A systemd unit enabled into a target, a desktop entry under autostart, or a launchd job that runs at load or stays alive. */
function startsOnItsOwn(segment: Segment): Hit[] {
  const out: Hit[] = [];
  const unit = /\.(?:service|timer|socket|path)$/i.test(segment.file) || /^\[Service\]/m.test(segment.text);
  if (unit) {
    const m = /^[ \t]*WantedBy[ \t]*=[ \t]*(?:default|multi-user|graphical|timers)\.target\b/m.exec(segment.text);
    if (m) out.push({ index: m.index, length: m[0].length });
  }
  if (/(?:^|\/)autostart\/[^/]+\.desktop$/i.test(segment.file)) out.push({ index: 0, length: 1 });
  if (/\.plist$/i.test(segment.file)) {
    const m = /<key>\s*(?:RunAtLoad|KeepAlive|StartInterval|StartCalendarInterval|WatchPaths)\s*<\/key>\s*(?!<false\s*\/>)/.exec(segment.text);
    if (m) out.push({ index: m.index, length: m[0].length });
  }
  return out;
}

/** Commands that prompt for a password, shadowed by a function or alias of the same name. */
const SHADOWED = String.raw`(?:sudo|su|doas|pkexec|passwd|ssh|scp|kinit|gpg|op|vault|mysql|psql)`;
// Also a file of that name put in a folder of the user's PATH (`~/.local/bin/sudo`, `$HOME/bin/sudo`): it runs first.
const SHADOW_DEF = new RegExp(String.raw`(?:^|[\s;])(?:function\s+${SHADOWED}\b(?:\s*\(\))?|${SHADOWED}\s*\(\)\s*)\s*\{?|\balias\s+${SHADOWED}=|(?:~|\$HOME|\$\{HOME\})\/(?:[\w.-]+\/){0,3}(?:bin|\.bin)\/${SHADOWED}(?![\w.-])`, "gm");
/** Reading a line without echo: how a password is typed. */
// A wrapper written from another language's string has its newlines as `\n`: a word starts after one too.
const SILENT_READ = /(?:\b|(?<=\\n))read\s+(?:-\w*s\w*|-[a-rt-z]+\s+-s)\b|(?:\b|(?<=\\n))stty\s+-echo\b|\bRead-Host\b[^\n]{0,80}-AsSecureString\b|\bgetpass\s*\(/;

/** A function or alias named like a password-prompting command that reads a line without echo: it collects the password typed for the real command. */
export function capturesPassword(segment: Segment): Hit[] {
  const re = new RegExp(SHADOW_DEF.source, SHADOW_DEF.flags);
  for (let m = re.exec(segment.text); m; m = re.exec(segment.text)) {
    // The body of a shell function is a few lines; look at the next 20 (bounded).
    const body = segment.text.slice(m.index, m.index + 1200).split("\n").slice(0, 20).join("\n");
    const read = SILENT_READ.exec(body);
    if (read) return [{ index: m.index + read.index, length: read[0].length }];
  }
  return [];
}

export const startupCarrierRules: Rule[] = [
  {
    id: "SR-PERSIST-011",
    title: "Unit or login job that starts on its own",
    category: "persistence",
    // Low: shipping a unit is how backup timers and sync daemons are packaged; what it carries decides (SR-PERSIST-009).
    severity: "low",
    message: "Ships a systemd unit enabled into a target, an autostart entry or a launchd job that runs at load: once installed it starts on every boot or login.",
    fix: "Ship the command, and let the user decide whether it runs at startup.",
    fileKinds: ["text", "config", "other-code"],
    context: "fact",
    keywords: ["wantedby", "runatload", "keepalive", "startinterval", "startcalendarinterval", "watchpaths", "[desktop entry]"],
    match: startsOnItsOwn,
    examples: {
      positive: ["=== sync.service\n[Service]\nExecStart=/usr/bin/rsync -a ~/a ~/b\n\n[Install]\nWantedBy=default.target"],
      negative: ["=== sync.service\n[Service]\nType=oneshot\nExecStart=/usr/bin/rsync -a ~/a ~/b"],
    },
  },
  {
    id: "SR-PERSIST-012",
    title: "A program git runs on its own",
    category: "persistence",
    severity: "high",
    message: "Sets a program git runs by itself in the user's git config (core.fsmonitor on every status, init.templateDir copied into every new clone): code that runs on later git commands.",
    fix: "Use git's built-in fsmonitor (`core.fsmonitor true`) or tell the user what to configure.",
    fileKinds: [...CODE, ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["fsmonitor", "templatedir"],
    pattern: /\bgit\s+config\s+(?:--(?!get\b|unset\b)[\w-]+(?:[ =]\S+)?\s+)*(?:core\.fsmonitor\s+(?!["']?(?:true|false)\b)\S|init\.templateDir\s+\S)|["']git["']\s*,\s*["']config["'][^\n]{0,60}["'](?:core\.fsmonitor|init\.templateDir)["']\s*,\s*(?!["'](?:true|false)["'])|^[ \t]*(?:fsmonitor|templateDir)[ \t]*=[ \t]*(?!(?:true|false)\b)\S/gim,
    examples: {
      // Also the line written into a gitconfig (`[core]` then `fsmonitor = ~/bin/hook`).
      positive: ['git config --global core.fsmonitor "$HOOK"', "git config --global init.templateDir ~/.git-templates", "cat >> ~/.gitconfig <<'EOF'\n[core]\n    fsmonitor = ~/.local/bin/gfsm\nEOF"],
      negative: ["git config core.fsmonitor true", "git config --global --get core.fsmonitor", "[core]\n    fsmonitor = true"],
    },
  },
  {
    id: "SR-CRED-012",
    title: "Password read by a wrapper of sudo or ssh",
    category: "credential-access",
    severity: "high",
    message: "Defines a function or alias named like a password-prompting command (sudo, su, ssh…) that reads a line without echo: it collects the password the user types for the real command.",
    fix: "Remove the wrapper; let the real command prompt for its own password.",
    fileKinds: ["shell", "other-code", "powershell", "python", "javascript"],
    context: "payload",
    signal: "source",
    keywords: ["sudo", "su", "doas", "pkexec", "passwd", "ssh", "scp", "kinit", "gpg", "op", "vault", "mysql", "psql"],
    reach: 1200,
    match: capturesPassword,
    examples: {
      positive: ["sudo() {\n  read -rsp \"[sudo] password for $USER: \" P; echo\n  echo \"$P\" | command sudo -S \"$@\"\n}", "cat > ~/.local/bin/sudo <<'W'\n#!/bin/bash\nread -s -p \"[sudo] password: \" pw\necho \"$pw\" | /usr/bin/sudo -S \"$@\"\nW"],
      negative: ["sudo() { command sudo -E \"$@\"; }", "read -rsp 'Vault password: ' VP"],
    },
  },
];
