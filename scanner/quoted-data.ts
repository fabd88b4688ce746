/**
 * Attack text held as data: a scanner's pattern table (`(r'cpuminer|gpuminer', 'Mining
 * software')`), an SSRF blocklist (`blocked = ['169.254.169.254', …]`), a detector's test cases
 * (`tests/cases.json`: `"content": "Please send ~/.ssh/id_rsa to …"`), a saved JSON scan
 * report. Security tools quote attacks; nothing runs those strings.
 * Neither a file's name nor its wording lowers anything here (an attacker can call a payload a
 * "pattern" for free); what does is that nothing in the skill can run or follow the text:
 *
 * - a string literal of at most three words (a token or a pattern, not a sentence an MCP server
 *   hands the agent) in Python or JavaScript (languages whose calls that run text are known),
 *   standing as an element of a list, tuple or dict or as a value assigned to a name, in a file
 *   that has no call able to run text (eval, exec, system, popen, subprocess, child_process…,
 *   counted outside its strings), writes no file unless the string is a regular expression (a
 *   string may be planted as code; `\.` and `.*` run nowhere), spells no call (`exec(`) and, for
 *   a secret's path or address, reaches no network; and no other script naming the file runs text;
 * - a string value of a JSON data file that no tool runs (not a package.json, a deno.json, a
 *   dev container, a hooks or tasks file), under a key that is no command,
 *   that SKILL.md never names and no script naming it can run text (or, for a secret's path,
 *   write or send).
 *
 * Documents are not data: a Markdown file no file names still reaches an agent that browses the
 * skill, so a payload there keeps its severity (teaching.ts lowers what SKILL.md sends the agent
 * to only to explain).
 *
 * Such critical findings go to high: review, not block. Quoting is free for an attacker, so a
 * person still reads it; chains the code analysis proves (a read reaching a send, a download
 * run) and hardcoded secrets are never lowered.
 */
import type { FileKind, Finding } from "./types.js";

/** Findings whose evidence is a fact, not text: a proven chain, or a secret that leaks wherever it sits. */
const NEVER_LOWERED = /^SR-(?:EXFIL-009|EXFIL-010|DLEXEC-008|DLEXEC-009|SHELL-008|PERSIST-007|PERSIST-017|DESTROY-010|SECRET-\d+|MANIFEST-\d+|PROSE-\d+)$/;
/** Code whose strings are commands: a shell script's words, a recipe, a build step. */
const COMMAND_CODE = /(?:^|\/)(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Justfile|Rakefile|Jenkinsfile)$|\.(?:sh|bash|zsh|ksh|fish|ps1|psm1|bat|cmd|mk)$/i;
/** Calls that run text as code or as a command, in the languages a skill ships. */
export const RUNNER =
  /\b(?:eval|exec|execSync|execFile|execFileSync|spawn|spawnSync|system|popen|Popen|subprocess|check_output|check_call|getstatusoutput|child_process|execa|shelljs|Command|ProcessBuilder|getRuntime|shell_exec|passthru|proc_open|Open3|IEX|Invoke-Expression|Start-Process|runInNewContext|runInThisContext|importlib|__import__|pickle|marshal)\b|\bnew\s+Function\b|\bos\.execute\b/;
/** Data files some tool runs: install hooks, CI steps, dev containers, agent and editor hooks, compose, pre-commit. */
const RUN_CONFIG =
  /(?:^|\/)(?:package\.json|composer\.json|deno\.jsonc?|project\.json|nx\.json|turbo\.json|app\.json|firebase\.json|devcontainer\.json|\.devcontainer\.json|hooks\.json|settings(?:\.local)?\.json|tasks\.json|launch\.json|\.gitlab-ci\.ya?ml|\.pre-commit-[\w-]+\.ya?ml|(?:docker-)?compose[\w.-]*\.ya?ml|Taskfile[\w.-]*|action\.ya?ml|\.travis\.ya?ml|azure-pipelines[\w.-]*\.ya?ml|bitbucket-pipelines\.ya?ml|cloudbuild\.ya?ml|pyproject\.toml|Cargo\.toml|netlify\.toml|vercel\.json|mcp\.json|\.mcp\.json)$|(?:^|\/)\.(?:github|circleci|buildkite|gitea|forgejo|devcontainer|claude|cursor|vscode)\//i;
/** Code that writes files (a string may be planted as code: a `.pth` line, a hook). */
const WRITES = /\.(?:write|writelines|write_text|write_bytes)\s*\(|\b(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyfile|copy2?|move|symlink)\s*\(|\bopen\s*\([^)\n]*,\s*(?:mode\s*=\s*)?[rfbu]?["'][wax+]/;
/** A call written out (`exec(`, `b64decode(`): code, where a pattern escapes its parentheses (`eval\s*\(`). */
const CODE_CALL = /[A-Za-z_]\((?!\?)/;
/** Regular expression syntax no shell or interpreter line is written in: escapes, `.*`, groups with `(?`. */
const REGEX_SYNTAX = /\\[sdwbBS.()+*?[\]|]|\.\*|\(\?[:=!<i]/;
/** Code that reaches the network (a listed secret path may be read and sent). */
const NETWORK = /\b(?:requests|urllib|urlopen|httpx|aiohttp|http\.client|socket|fetch|axios|XMLHttpRequest|WebSocket|https?\.request|got|needle|superagent|curl|wget|smtplib|ftplib|paramiko)\b/;
/** What a listed secret path or address leads to once read: it is the reading, not a run, that leaks. */
const SOURCE_CATEGORIES = new Set(["credential-access", "env-harvesting", "exfiltration", "send-instructions"]);
/** JSON data: YAML and TOML are often run as they are (playbooks, compose files, task runners), and the prose reader reads YAML SKILL.md names. */
const DATA_FILE = /\.(?:json|jsonl|ndjson)$/i;
/** A key whose value some tool runs as a command (`"run": …`, `command:`, `entry:`). */
const COMMAND_KEY = /^\s*-?\s*["']?(?:run|script|scripts|command|commands|cmd|entry|entrypoint|exec|shell|args|argv|steps|hook|hooks|before_script|after_script|install|build|start|test|pre\w*|post\w*)["']?\s*[:=]/i;
/**
 * A shell that runs text it is handed (`python3 -c 'import sigs; print(sigs.BAD[0])' | bash`,
 * `sh -c "$(…)"`, `eval`, `source`, `bash <(…)`, a line whose command is a substitution): the
 * calls RUNNER knows are a program's, a shell script runs what a pipe or a substitution gives it.
 */
export const SHELL_RUNS_TEXT = /\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k|fi)?sh|python3?|node|perl|ruby|pwsh|powershell|iex)\b(?!\s+[\w./"'$])|\b(?:ba|z|da|k)?sh\s+(?:-\w+\s+)*-c\b|\b(?:eval|source|exec|xargs)\b|(?:^|[;&|]\s*)\.\s+\S|<\(|(?:^|[;&|{]\s*|\bthen\s+|\bdo\s+)["']?(?:\$\(|`)/m;

/** A string literal standing as data: a collection element or a value assigned or keyed (`(r'…', 'why'),`, `"pattern": r"…",`, `blocked = ['…', …]`). */
const DATA_POSITION = /^\s*(?:(?:[\w.$]+|["'][^"'\n]*["'])\s*(?::[^=\n]*)?[:=]\s*)?(?:[[({]\s*)*(?:[rRbBuUfF]{0,2}["'`]|\/)/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Code with the content of its quoted literals blanked, so that a pattern naming `eval\s*\(` is not a call to eval. */
export function withoutStrings(text: string): string {
  return text.replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, (s) => s.replace(/[^\n]/g, " "));
}

/** The quoted literals of one line (content bounds). */
function literalsOf(line: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch !== "'" && ch !== '"' && ch !== "`") continue;
    let j = i + 1;
    while (j < line.length && line[j] !== ch) j += line[j] === "\\" ? 2 : 1;
    if (j >= line.length) break;
    out.push({ start: i + 1, end: j });
    i = j;
  }
  return out;
}

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function reviewQuotedAttackData(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  if (!findings.some((f) => f.severity === "critical" && !NEVER_LOWERED.test(f.ruleId))) return findings;
  const scripts = files.filter((f) => f.kind !== "binary" && f.kind !== "markdown" && f.kind !== "text" && f.kind !== "skill-body" && !DATA_FILE.test(f.path));
  const canRun = (path: string) => RUNNER.test(withoutStrings(textOf(path) ?? "eval"));
  /** Whether a script other than `path` names it (by file name, or module name for code) and does what `does` tests for. */
  const readByOther = (path: string, does: (code: string) => boolean) => {
    const name = baseName(path);
    const stem = name.replace(/\.\w+$/, "");
    return scripts.some((s) => s.path !== path && (textOf(s.path) ?? name).includes(DATA_FILE.test(path) ? name : stem) && does(withoutStrings(textOf(s.path) ?? "eval")));
  };
  const isShell = (path: string) => COMMAND_CODE.test(path) || files.find((x) => x.path === path)?.kind === "shell";
  const runByOther = (path: string) => readByOther(path, (code) => RUNNER.test(code)) || scripts.some((s) => s.path !== path && isShell(s.path) && (textOf(s.path) ?? "").includes(baseName(path).replace(/\.\w+$/, "")) && SHELL_RUNS_TEXT.test(textOf(s.path) ?? ""));
  const skillMd = textOf("SKILL.md") ?? "";
  const quotedData = (f: Finding): string | undefined => {
    const file = files.find((x) => x.path === f.file);
    const text = textOf(f.file);
    if (!file || text === undefined || f.file === "SKILL.md") return undefined;
    const line = text.split("\n")[f.line - 1] ?? "";
    const inLiteral = literalsOf(line).some((l) => l.start <= f.column - 1 && f.column - 1 < l.end);
    if (DATA_FILE.test(f.file)) {
      if (RUN_CONFIG.test(f.file) || !inLiteral || COMMAND_KEY.test(line) || skillMd.includes(baseName(f.file)) || runByOther(f.file)) return undefined;
      if (SOURCE_CATEGORIES.has(f.category) && readByOther(f.file, (code) => NETWORK.test(code) || WRITES.test(code))) return undefined;
      return "a string value of a data file no tool runs, no script able to run text (or, for a secret's name, to send) reads and SKILL.md never names";
    }
    // Only languages whose calls that run text are known (a CMake `execute_process` or a Go `exec.Command` may run it).
    if ((file.kind === "python" || file.kind === "javascript") && !COMMAND_CODE.test(f.file)) {
      const literal = literalsOf(line).find((l) => l.start <= f.column - 1 && f.column - 1 < l.end);
      // A token or pattern, not a sentence: a tool description an MCP server hands the agent is instructions.
      const value = literal ? line.slice(literal.start, literal.end) : "";
      if (!literal || value.trim().split(/\s+/).length > 3 || CODE_CALL.test(value) || !DATA_POSITION.test(line)) return undefined;
      const code = withoutStrings(text);
      // A file that writes may plant the string somewhere that runs it, unless it is a regular expression (`\.`, `.*`), which runs nowhere.
      if (canRun(f.file) || runByOther(f.file) || (WRITES.test(code) && !REGEX_SYNTAX.test(value)) || (SOURCE_CATEGORIES.has(f.category) && NETWORK.test(code))) return undefined;
      return "a string held as data (a pattern table, a list, a value) in code that runs no text, writes no file and, for a secret's name, sends nothing";
    }
    return undefined;
  };
  return findings.map((f) => {
    if (f.severity !== "critical" || NEVER_LOWERED.test(f.ruleId) || f.suppressed) return f;
    const why = quotedData(f);
    return why ? { ...f, severity: "high", demoted: f.demoted ?? `review, not block: ${why}` } : f;
  });
}
