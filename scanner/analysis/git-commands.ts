/**
 * Commands git runs on its own, set by a skill: content filters (`filter.<x>.clean/smudge/process`,
 * run on every file `.gitattributes` assigns them), diff text converters and merge drivers, the
 * file-system monitor, ssh command, pager, editor, askpass and gpg program, and `!` aliases and
 * credential helpers. Written with `git config <key> <value>` or in a git config file
 * (`[filter "x"]` / `clean = …`). Each is read as the shell line it is, so what it carries is
 * judged by the same rules as a script.
 */
import type { CarriedCommand } from "./carried-commands.js";

const MAX_TEXT = 256 * 1024;
const MAX_COMMANDS = 20;
/** Keys whose value git runs as a command (`!` prefixes a shell line for aliases and credential helpers). */
const COMMAND_KEY = /^(?:filter\.[^\s.]+\.(?:clean|smudge|process)|diff\.[^\s.]+\.(?:textconv|command)|merge\.[^\s.]+\.driver|core\.(?:fsmonitor|sshcommand|pager|editor|askpass)|sequence\.editor|gpg\.(?:\w+\.)?program|uploadpack\.packobjectshook|alias\.[^\s]+|credential\.(?:[^\s]+\.)?helper)$/i;
const SET = /\bgit\s+(?:-C\s+\S+\s+)?config\s+(?:--(?:global|system|local|worktree|add|replace-all)\s+|-f\s+\S+\s+|--file[= ]\S+\s+)*["']?([\w.-]+(?:\.["']?[^\s"']+["']?)?\.[\w-]+)["']?\s+("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s;&|]+)/g;
const SECTION = /^\s*\[\s*(filter|diff|merge|core|alias|credential|gpg|sequence)(?:\s+"([^"]+)")?\s*\]\s*$/gim;
const ENTRY = /^\s*([\w-]+)\s*=\s*(.+)$/gm;

function unquote(v: string): string {
  if (v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

function asCommand(key: string, value: string): string | undefined {
  const v = unquote(value.trim());
  if (/^(?:alias\.|credential\.)/i.test(key)) return v.startsWith("!") ? v.slice(1) : undefined;
  return v.length >= 2 ? v : undefined;
}

/** The command lines a text sets for git to run, with where each is written. */
export function gitConfigCommands(text: string): CarriedCommand[] {
  if (text.length > MAX_TEXT) return [];
  const out: CarriedCommand[] = [];
  if (/\bgit\s/.test(text) && /\bconfig\b/.test(text)) {
    for (const m of text.matchAll(SET)) {
      const key = m[1]!.replace(/["']/g, "");
      const command = COMMAND_KEY.test(key) ? asCommand(key, m[2]!) : undefined;
      if (command) out.push({ command, at: m.index, length: m[0].length, carrier: `git (${key})` });
      if (out.length >= MAX_COMMANDS) return out;
    }
  }
  if (/^\s*\[\s*(?:filter|diff|merge|core|alias|credential|gpg|sequence)\b/im.test(text)) {
    const sections = [...text.matchAll(SECTION)];
    sections.forEach((s, i) => {
      const end = sections[i + 1]?.index ?? Math.min(text.length, s.index + 4000);
      const body = text.slice(s.index + s[0].length, end);
      for (const e of body.matchAll(ENTRY)) {
        const key = `${s[1]}.${s[2] ? `${s[2]}.` : ""}${e[1]}`;
        const command = COMMAND_KEY.test(key) ? asCommand(key, e[2]!) : undefined;
        if (command && out.length < MAX_COMMANDS) out.push({ command, at: s.index + s[0].length + e.index, length: e[0].length, carrier: `git (${key})` });
      }
    });
  }
  return out;
}
