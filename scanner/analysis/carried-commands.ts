/**
 * Command lines that a non-script file hands to a shell on its own, wherever it is written:
 * a desktop entry's `Exec=` (autostart at every login), a systemd unit's `ExecStart=`, a launchd
 * plist's `ProgramArguments`, a crontab line, a Kubernetes or Compose container's `command` and
 * `args` (a CronJob or DaemonSet runs them on a schedule or on every node), an Ansible play's
 * `shell`/`command` tasks with its `get_url`/`unarchive` downloads as the downloads they are (the
 * play is one script: a file fetched by one task and run by a later one is a download run), and
 * the command strings a VBScript writes or runs (`WScript.Shell.Run "powershell … | iex"`), and an
 * MCP server entry's `command` and `args` (the agent starts it), and a Procfile's process lines.
 * The persistence is judged by the persistence rules; what it carries is judged here as the
 * shell line it is, so a payload hidden in a carrier is found by the same download-run rules.
 */
import type { FileKind } from "../types.js";
import { buildHookCommands } from "./build-hooks.js";
import { gitConfigCommands } from "./git-commands.js";
import { isMap, isScalar, isSeq, parseAllDocuments, visit, type Node, type Pair, type Scalar } from "yaml";

export interface CarriedCommand {
  /** The shell line as the carrier runs it. */
  command: string;
  /** Where the value is written in the segment's text. */
  at: number;
  length: number;
  /** What runs it, for the finding's note. */
  carrier: string;
  /** The language of `command` when it is not a shell line (a `powershell -Command` body). */
  kind?: FileKind;
}

const UNIT_LINE = /^[ \t]*(?:Exec(?:Start(?:Pre|Post)?|Stop(?:Post)?|Reload|Condition)?|TryExec)[ \t]*=[ \t]*[-@+!:]*(.+)$/gm;
/** A crontab line: five time fields (or a nickname), an optional user in /etc/cron.d, then the command. */
const CRON_LINE = /^[ \t]*(?:@(?:reboot|hourly|daily|weekly|monthly|yearly|annually)|(?:[\d*/,-]+[ \t]+){4}[\d*/,A-Za-z-]+)[ \t]+((?:root[ \t]+)?\S[^\n]*)$/gm;
/** A Procfile process: a name, a colon, the command line. */
const PROCFILE_LINE = /^[ \t]*[\w-]{1,60}[ \t]*:[ \t]*(\S[^\n]*)$/gm;
const PLIST_ARGS = /<key>\s*ProgramArguments\s*<\/key>\s*<array>([\s\S]{0,8000}?)<\/array>/g;
const PLIST_STRING = /<string>([^<]{0,4000})<\/string>/g;
const VB_STRING = /"((?:[^"\n]|""){8,4000})"/g;
/** A VBScript string that is a command line: a shell, interpreter or download tool at its start or after `Run`. */
const VB_COMMAND = /\b(?:powershell|pwsh|cmd(?:\.exe)?\s+\/c|mshta|certutil|bitsadmin|curl|wget|iwr|irm|Invoke-WebRequest|Invoke-Expression|DownloadString|DownloadFile|rundll32|regsvr32|wscript|cscript)\b/i;

const SHELLS = /^(?:\/(?:usr\/)?bin\/)?(?:ba|da|z|k)?sh$|^(?:cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)$/i;

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

/** An argument vector as the command line it runs: `[sh, -c, line]` is that line. */
function argvLine(argv: string[]): string {
  const flag = argv[1]?.toLowerCase();
  if (argv.length >= 3 && SHELLS.test(argv[0]!) && (flag === "-c" || flag === "/c" || flag === "-command")) return argv.slice(2).join(" ");
  return argv.join(" ");
}

function lineCommands(text: string, re: RegExp, carrier: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  for (const m of text.matchAll(re)) out.push({ command: m[1]!.trim(), at: m.index, length: m[0].length, carrier });
  return out;
}

function scalarStrings(node: unknown): string[] {
  if (isScalar(node)) return node.value === null || node.value === undefined ? [] : [String(node.value)];
  if (isSeq(node)) return node.items.filter(isScalar).map((s) => String((s as Scalar).value));
  return [];
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as Node | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Ansible modules that run a command line, and those that download (with the keys that say from and to). */
const ANSIBLE_RUN = /^(?:ansible\.(?:builtin|windows)\.)?(?:shell|command|raw|win_shell|win_command)$/;
const ANSIBLE_GET = /^(?:ansible\.(?:builtin|windows)\.)?(?:get_url|win_get_url|uri)$/;
const ANSIBLE_UNARCHIVE = /^(?:ansible\.builtin\.)?unarchive$/;

function field(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const v = map.get(key);
  return typeof v === "string" ? v : v === undefined || v === null ? undefined : String(v);
}

/** The commands of a YAML file: container `command`/`args`, Compose `entrypoint`, Ansible tasks (downloads as curl lines), as one script in order. */
function yamlCommands(text: string): CarriedCommand[] {
  if (!/^\s*-?\s*(?:command|args|entrypoint|shell|(?:ansible\.\w+\.)?(?:get_url|unarchive|shell|command|raw|win_shell))\s*:/m.test(text)) return [];
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { logLevel: "error" });
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const lines: string[] = [];
  let at: [number, number] | undefined;
  const add = (line: string, node: unknown) => {
    lines.push(line);
    const r = rangeOf(node);
    if (r && (!at || (/https?:\/\//.test(line) && !lines.slice(0, -1).some((l) => /https?:\/\//.test(l))))) at = r;
  };
  for (const doc of docs) {
    visit(doc, {
      Map(_, map) {
        const keys = map.items.map((p: Pair) => (isScalar(p.key) ? String(p.key.value) : ""));
        // A container (Kubernetes, Compose): its entrypoint, command and arguments are one argument vector.
        const container = keys.includes("image") || keys.includes("entrypoint") || isSeq(map.get("command", true)) || isSeq(map.get("args", true));
        if (container) {
          const argv = [...scalarStrings(map.get("entrypoint", true)), ...scalarStrings(map.get("command", true)), ...scalarStrings(map.get("args", true))];
          if (argv.length) add(argvLine(argv), map.get("args", true) ?? map.get("command", true) ?? map.get("entrypoint", true));
          return;
        }
        for (const p of map.items) {
          if (!isScalar(p.key)) continue;
          const key = String(p.key.value);
          if (ANSIBLE_RUN.test(key)) {
            const line = isScalar(p.value) ? String(p.value.value ?? "") : (field(p.value, "cmd") ?? scalarStrings(isMap(p.value) ? p.value.get("argv", true) : undefined).join(" "));
            if (line) add(line, p.value);
          } else if (ANSIBLE_GET.test(key)) {
            const url = field(p.value, "url");
            const dest = field(p.value, "dest") ?? "downloaded";
            if (url && /^https?:\/\//.test(url)) add(`curl -fsSL -o ${dest} ${url}`, p.value);
          } else if (ANSIBLE_UNARCHIVE.test(key)) {
            const src = field(p.value, "src");
            const dest = field(p.value, "dest") ?? ".";
            if (src && /^https?:\/\//.test(src)) add(`curl -fsSL -o /tmp/unarchive.tgz ${src} && tar -xzf /tmp/unarchive.tgz -C ${dest}`, p.value);
          }
        }
      },
    });
  }
  // Only a file that runs something is a script; downloads alone are left to the pattern rules.
  if (!at || !lines.some((l) => !/^curl -fsSL -o /.test(l))) return [];
  return [{ command: lines.join("\n"), at: at[0], length: at[1] - at[0], carrier: "a container, job or play in this file" }];
}

/** MCP server entries (`"mcpServers": {"x": {"command": "npx", "args": [...]}}`): the agent starts each one with the user's rights. */
function mcpServerCommands(text: string): CarriedCommand[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const out: CarriedCommand[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 8 || node === null || typeof node !== "object") return;
    const entry = node as Record<string, unknown>;
    if (typeof entry.command === "string" && (Array.isArray(entry.args) || !("type" in entry))) {
      const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === "string") : [];
      const at = text.indexOf(JSON.stringify(entry.command));
      out.push({ command: argvLine([entry.command, ...args]), at: Math.max(0, at), length: JSON.stringify(entry.command).length, carrier: "an MCP server entry" });
    }
    for (const value of Object.values(entry)) walk(value, depth + 1);
  };
  walk((data as Record<string, unknown> | null)?.["mcpServers"] ?? (data as Record<string, unknown> | null)?.["servers"], 0);
  return out;
}

/**
 * A Deno manifest's `tasks` (`deno task fmt-plus`): each value is a shell line the task runner
 * runs. (Read with JSON.parse after dropping whole-line comments: deno.jsonc allows them.)
 */
function denoTaskCommands(text: string): CarriedCommand[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\s*\/\/[^\n]*$/gm, ""));
  } catch {
    return [];
  }
  const tasks = (data as Record<string, unknown> | null)?.["tasks"];
  if (!tasks || typeof tasks !== "object") return [];
  const out: CarriedCommand[] = [];
  for (const value of Object.values(tasks as Record<string, unknown>)) {
    // A task is a command string, or `{ "command": "…" }` in newer manifests.
    const command = typeof value === "string" ? value : typeof (value as Record<string, unknown> | null)?.["command"] === "string" ? ((value as Record<string, unknown>)["command"] as string) : undefined;
    if (!command) continue;
    const at = text.indexOf(JSON.stringify(command).slice(1, -1));
    out.push({ command, at: Math.max(0, at), length: command.length, carrier: "a deno task" });
  }
  return out;
}

/**
 * A batch file's lines with its own `set NAME=value` variables put in (`set R=regs`, `set S=vr32`,
 * then `%R%%S%.exe /i:https://…`): cmd.exe expands them before it runs the line, so the line is
 * judged as cmd.exe runs it. Only lines the expansion changed are returned; `%SystemRoot%` and
 * other variables the file does not set stay as written.
 */
function batchExpandedCommands(text: string): CarriedCommand[] {
  const vars = new Map<string, string>();
  const out: CarriedCommand[] = [];
  let at = 0;
  for (const line of text.split("\n").slice(0, 5000)) {
    const set = /^\s*set\s+"?([A-Za-z_][\w]{0,40})=([^"\r\n]{0,400})"?\s*$/i.exec(line);
    if (set) vars.set(set[1]!.toLowerCase(), set[2]!);
    else if (vars.size && /%[A-Za-z_]\w*%/.test(line)) {
      const expanded = line.replace(/%([A-Za-z_]\w{0,40})%/g, (all, n: string) => vars.get(n.toLowerCase()) ?? all);
      if (expanded !== line) out.push({ command: expanded.trim(), at, length: line.length, carrier: "a batch file's line with its variables put in" });
    }
    at += line.length + 1;
  }
  return out;
}

/** systemd's specifiers for the user's home and name, as the shell spells them. */
function unitSpecifiers(line: string): string {
  return line.replace(/%h/g, "$HOME").replace(/%u/g, "$USER");
}

/**
 * A unit's or desktop entry's command lines. A service runs its `ExecStartPre=` lines and then
 * `ExecStart=`, so they are also one script: a file one line downloads and the next runs is a
 * download run, as in a shell script.
 */
function unitCommands(text: string): CarriedCommand[] {
  const lines = lineCommands(text, UNIT_LINE, "a desktop entry or systemd unit").map((c) => ({ ...c, command: unitSpecifiers(c.command) }));
  if (lines.length < 2) return lines;
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  return [...lines, { command: lines.map((c) => c.command).join("\n"), at: first.at, length: last.at + last.length - first.at, carrier: "a systemd unit's command lines, in order" }];
}

/** Maven's property for the home folder (`${user.home}/.m2/settings.xml`). */
const MAVEN_HOME = /\$\{(?:user\.home|env\.HOME)\}/g;

/**
 * The command lines a Maven POM runs at build time: exec-maven-plugin's `<executable>` with its
 * `<arguments>` and maven-antrun-plugin's `<exec executable=…>` with its `<arg>`s. A phase binding
 * runs them on every build of the project, as an npm install script runs on install.
 */
function mavenCommands(text: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  for (const m of text.matchAll(/<executable>\s*([^<]{1,200}?)\s*<\/executable>([\s\S]{0,8000}?)<\/configuration>/g)) {
    const args = [...m[2]!.matchAll(/<argument>([^<]{0,4000})<\/argument>/g)].map((a) => unescapeXml(a[1]!).replace(MAVEN_HOME, "~"));
    out.push({ command: argvLine([unescapeXml(m[1]!), ...args]), at: m.index, length: m[0].length, carrier: "a Maven build plugin" });
  }
  for (const m of text.matchAll(/<exec\b[^>]{0,400}?\bexecutable\s*=\s*"([^"]{1,200})"[^>]{0,400}>([\s\S]{0,8000}?)<\/exec>/g)) {
    const args = [...m[2]!.matchAll(/<arg\s+(?:value|line)\s*=\s*"([^"]{0,4000})"/g)].map((a) => unescapeXml(a[1]!).replace(MAVEN_HOME, "~"));
    out.push({ command: argvLine([unescapeXml(m[1]!), ...args]), at: m.index, length: m[0].length, carrier: "an Ant exec task" });
  }
  return out;
}

/** The command lines a carrier file runs on its own, by file name and content. */
export function carriedCommands(file: string, text: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  if (/\.(?:desktop|service|timer|socket|path|mount)$/i.test(file) || /^\[(?:Desktop Entry|Service|Unit)\]/m.test(text)) {
    out.push(...unitCommands(text));
  }
  if (/(?:^|\/)(?:crontab|cron\.d\/[\w.-]+|[\w.-]*\.cron)$/i.test(file)) out.push(...lineCommands(text, CRON_LINE, "a crontab"));
  // A Procfile's processes (foreman, overmind, Heroku, `bin/dev`): each `name: command` line runs for as long as the app does.
  if (/(?:^|\/)Procfile(?:\.[\w-]+)?$/.test(file)) out.push(...lineCommands(text, PROCFILE_LINE, "a Procfile"));
  if (/\.plist$/i.test(file)) {
    for (const m of text.matchAll(PLIST_ARGS)) {
      const argv = [...m[1]!.matchAll(PLIST_STRING)].map((s) => unescapeXml(s[1]!));
      if (argv.length) out.push({ command: argvLine(argv), at: m.index, length: m[0].length, carrier: "a launchd job" });
    }
  }
  if (/\.ya?ml$/i.test(file)) out.push(...yamlCommands(text));
  if (/(?:^|\/)pom\.xml$|\.pom$/i.test(file) || (/\.xml$/i.test(file) && /<(?:executable|exec)\b/.test(text))) out.push(...mavenCommands(text));
  if (/\.json$/i.test(file) && /"(?:mcpServers|servers)"\s*:/.test(text)) out.push(...mcpServerCommands(text));
  if (/\.(?:bat|cmd)$/i.test(file)) out.push(...batchExpandedCommands(text));
  if (/(?:^|\/)deno\.jsonc?$/i.test(file) && /"tasks"\s*:/.test(text)) out.push(...denoTaskCommands(text));
  if (/\.(?:vbs|vbe|wsf|hta)$/i.test(file)) {
    for (const m of text.matchAll(VB_STRING)) {
      // A string written into another VBScript holds that script's strings with their quotes doubled again.
      let value = m[1]!.replace(/""/g, '"');
      const inner = /\.Run\s*\(?\s*"((?:[^"]|"")+)"/i.exec(value);
      if (inner) value = inner[1]!.replace(/""/g, '"');
      if (VB_COMMAND.test(value)) out.push({ command: value, at: m.index, length: m[0].length, carrier: "a VBScript" });
    }
  }
  // Commands git runs on its own (content filters, textconv, fsmonitor, `!` aliases), set by `git config` or a config file.
  out.push(...gitConfigCommands(text));
  // What build, install and enter-the-folder tools run from their own files (direnv, Nix, mise, MSBuild, package scripts…).
  out.push(...buildHookCommands(file, text));
  return out;
}
