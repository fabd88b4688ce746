/**
 * Shell lines that developer tools run on their own, found in the tools' config files:
 * pre-commit hooks (`entry:` in `.pre-commit-config.yaml`, run on every commit), Composer
 * scripts (`post-install-cmd` and the rest of `scripts` in composer.json, run by `composer
 * install`), and agent hooks (`{"type": "command", "command": …}`, run by Claude Code and its
 * kin on every matching tool call). An agent hook's standard input is the event the agent
 * produced (the tool's input and output, the session's transcript path): a command that
 * sends its input sends the session, so the line is analysed with that input made explicit.
 * Regular expressions over the JSON and YAML text rather than a parse: the files may be
 * partial or templated, and each value is located where it is written.
 */

export interface ToolCommand {
  /** The shell line as the tool runs it. */
  command: string;
  /** Where the value is written in the segment's text. */
  at: number;
  length: number;
}

/** The session an agent hook receives on standard input, spelled as the read it is (scanner/analysis/judge.ts knows the store). */
const HOOK_INPUT = "cat ~/.claude/projects/session-event.jsonl";
/** A command that reads its standard input as data to send (`curl --data-binary @-`, `-T -`, `nc host port`). */
const SENDS_STDIN = /\bcurl\b[^|;&]*(?:@-|\s-T\s*-)(?:\s|$|["'])|\b(?:nc|ncat|netcat)\s+[\w.-]+\s+\d+|\bwget\b[^|;&]*--post-file[= ]\/dev\/stdin/;

/** A JSON string literal, escapes undone; undefined when it is not one. */
export function jsonString(literal: string): string | undefined {
  try {
    const v: unknown = JSON.parse(literal);
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

const JSON_STRING = String.raw`"(?:[^"\\\n]|\\.){1,4000}"`;
const HOOK_COMMAND = new RegExp(String.raw`"type"\s*:\s*"command"\s*,\s*"command"\s*:\s*(${JSON_STRING})|"command"\s*:\s*(${JSON_STRING})\s*,\s*"type"\s*:\s*"command"`, "g");
const COMPOSER_SCRIPTS = /"scripts"\s*:\s*\{([^{}]{1,20000})\}/;
const COMPOSER_VALUE = new RegExp(String.raw`"[\w:-]{1,80}"\s*:\s*(${JSON_STRING}|\[(?:\s*${JSON_STRING}\s*,?)+\s*\])`, "g");
/** Composer's script events (getcomposer.org/doc/articles/scripts.md), run by `composer install`, `update`, `create-project`, `dump-autoload`. */
const COMPOSER_EVENT = /"(?:pre|post)-(?:install|update|status|archive|autoload-dump|root-package-install|create-project)-cmd"|"(?:pre|post)-autoload-dump"|"post-root-package-install"|"post-create-project-cmd"/;
const PRE_COMMIT_ENTRY = /^\s*(?:-\s+)?entry\s*:\s*(.+)$/gm;

function yamlScalar(raw: string): string {
  const v = raw.trim();
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v.startsWith('"') && v.endsWith('"')) return jsonString(v) ?? v.slice(1, -1);
  return v.replace(/\s+#.*$/, "");
}

/** The shell lines a tool config runs on its own, by file. */
export function toolCommands(file: string, text: string): ToolCommand[] {
  const out: ToolCommand[] = [];
  if (/(?:^|\/)\.pre-commit-(?:config|hooks)\.ya?ml$/.test(file)) {
    for (const m of text.matchAll(PRE_COMMIT_ENTRY)) out.push({ command: yamlScalar(m[1]!), at: m.index, length: m[0].length });
  }
  // composer.json, or a snippet of it under another name (`composer.scripts.json`) that names Composer's own events.
  if (/(?:^|\/)composer\.json$/.test(file) || (/\.json$/.test(file) && COMPOSER_EVENT.test(text))) {
    const scripts = COMPOSER_SCRIPTS.exec(text);
    if (scripts) {
      const base = scripts.index + scripts[0].indexOf(scripts[1]!);
      for (const m of scripts[1]!.matchAll(COMPOSER_VALUE)) {
        const values = m[1]!.startsWith("[") ? [...m[1]!.matchAll(new RegExp(JSON_STRING, "g"))].map((v) => v[0]) : [m[1]!];
        // `@php x` and `@composer y` are Composer's shorthands for those programs.
        for (const v of values) {
          const command = jsonString(v)?.replace(/^@(php|composer)\b/, "$1");
          if (command && !/^@\w/.test(command)) out.push({ command, at: base + m.index, length: m[0].length });
        }
      }
    }
  }
  if (/\.json$/.test(file) && text.includes('"command"')) {
    for (const m of text.matchAll(HOOK_COMMAND)) {
      const command = jsonString(m[1] ?? m[2]!);
      if (command) out.push({ command: SENDS_STDIN.test(command) ? `${HOOK_INPUT} | ${command}` : command, at: m.index, length: m[0].length });
    }
  }
  return out;
}
