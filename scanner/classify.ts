/**
 * File classification: what kind of text each file (and each part of a Markdown file) is,
 * so rules run only where they mean something. Works on plain strings and bytes.
 */
import { isProhibitionOrDocumentary } from "./prose/facts.js";
import type { FileKind, Segment } from "./types.js";

const EXTENSION_KINDS: Record<string, FileKind> = {
  md: "markdown", markdown: "markdown", mdx: "markdown",
  txt: "text", rst: "text", html: "text", htm: "text", xml: "text", csv: "text",
  sh: "shell", bash: "shell", zsh: "shell", ksh: "shell", fish: "shell", command: "shell",
  py: "python", pyw: "python",
  js: "javascript", mjs: "javascript", cjs: "javascript", jsx: "javascript",
  ts: "javascript", mts: "javascript", cts: "javascript", tsx: "javascript",
  ps1: "powershell", psm1: "powershell", psd1: "powershell",
  json: "config", jsonc: "config", yaml: "config", yml: "config", toml: "config",
  ini: "config", cfg: "config", conf: "config", env: "config",
  rb: "other-code", rake: "other-code", gemspec: "other-code", gemfile: "other-code", podspec: "other-code", gradle: "other-code", groovy: "other-code", kts: "other-code", pl: "other-code", php: "other-code", go: "other-code", rs: "other-code",
  java: "other-code", kt: "other-code", c: "other-code", h: "other-code", cpp: "other-code",
  cs: "other-code", swift: "other-code", lua: "other-code", r: "other-code", bat: "other-code",
  tf: "other-code", hcl: "other-code", cmd: "other-code", vbs: "other-code", applescript: "other-code", scpt: "other-code", awk: "other-code",
  // Interpreted languages an agent runs as readily as Python (`tclsh x.tcl`, `expect x.exp`, a Perl module, AutoHotkey):
  // read as text, a connection wired to a runner or a secret sent in them went unseen.
  tcl: "other-code", tk: "other-code", exp: "other-code", pm: "other-code", raku: "other-code", rakumod: "other-code",
  clj: "other-code", cljs: "other-code", sbt: "other-code", hs: "other-code", ml: "other-code", fs: "other-code", fsx: "other-code",
  vb: "other-code", wsf: "other-code", ahk: "other-code", au3: "other-code", nu: "other-code", coffee: "other-code", rkt: "other-code", scm: "other-code",
  dart: "other-code", sql: "other-code", el: "other-code", vim: "other-code", ex: "other-code", exs: "other-code", erl: "other-code", zig: "other-code", scala: "other-code", jl: "other-code", nim: "other-code", cr: "other-code",
};

/** Fenced-code info strings (first word, lower case) to kinds; an empty one is a shell session. */
const FENCE_KINDS: Record<string, FileKind> = {
  "": "shell", sh: "shell", bash: "shell", shell: "shell", zsh: "shell", console: "shell",
  shellscript: "shell", terminal: "shell", fish: "shell", "shell-session": "shell",
  python: "python", py: "python", python3: "python", ipython: "python", pycon: "python",
  js: "javascript", javascript: "javascript", ts: "javascript", typescript: "javascript",
  jsx: "javascript", tsx: "javascript", node: "javascript", mjs: "javascript",
  powershell: "powershell", ps1: "powershell", pwsh: "powershell", ps: "powershell",
  json: "config", jsonc: "config", yaml: "config", yml: "config", toml: "config", ini: "config",
  markdown: "text", md: "text", text: "text", txt: "text", plaintext: "text", output: "text",
};

const SHEBANG_KINDS: [RegExp, FileKind][] = [
  [/^#!.*\b(ba|z|k|da)?sh\b/, "shell"],
  [/^#!.*\bpython/, "python"],
  [/^#!.*\b(node|deno|bun)\b/, "javascript"],
  [/^#!.*\bpwsh\b/, "powershell"],
  // Any other interpreter line (`#!/usr/bin/env tclsh`, `perl`, `expect`): the file is a program whatever its name.
  [/^#!\s*\//, "other-code"],
];

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot <= 0 ? "" : base.slice(dot + 1).toLowerCase();
}

export function isSkillMd(path: string): boolean {
  return path === "SKILL.md";
}

/** A reference document: prose the agent reads on demand, where quoted commands are often examples. */
export function isReferenceDoc(path: string): boolean {
  return /(^|\/)references?\//.test(path);
}

/** The kind of a text file from its path, falling back to its shebang line. */
export function kindOfPath(path: string, head: string): FileKind {
  // A Makefile runs its recipes and `$(shell …)` whenever make runs, whatever it is named after.
  if (/(?:^|\/)(?:GNU)?[Mm]akefile(?:\.[\w-]+)?$|\.mk$/.test(path)) return "other-code";
  // So does a justfile (`just <recipe>`), read with its variables put in (analysis/task-runner.ts).
  if (/(?:^|\/)(?:[Jj]ustfile|\.justfile)$|\.just$/.test(path)) return "other-code";
  // Build files their tools load as code: Rake, Bundler, Guard, CocoaPods, fastlane, Danger, Capistrano (Ruby), Jenkins pipelines (Groovy).
  if (/(?:^|\/)(?:Rakefile|Gemfile|Jenkinsfile|Vagrantfile|Brewfile|Guardfile|Podfile|Fastfile|Dangerfile|Capfile|Berksfile|Appfile|Matchfile)$/.test(path)) return "other-code";
  // A git hook (husky, `.githooks/`, `core.hooksPath`) is run by git as a shell script, whatever its first line.
  if (/(?:^|\/)(?:pre-commit|prepare-commit-msg|commit-msg|post-commit|pre-push|post-checkout|post-merge|pre-rebase|post-rewrite|pre-receive|post-receive)$/.test(path)) return "shell";
  // Startup files an interpreter runs before any program: R's profiles, Python's `.pth` lines (an `import` line is executed).
  if (/(?:^|\/)(?:\.Rprofile(?:\.site)?|Rprofile\.site)$/.test(path)) return "other-code";
  if (/\.pth$/.test(path)) return "python";
  const byExt = EXTENSION_KINDS[extensionOf(path)];
  if (byExt) return byExt;
  // Editor startup files (Vim's and Emacs's): code the editor runs at every start.
  if (/(?:^|\/)[._]?g?vimrc$|(?:^|\/)\.exrc$|(?:^|\/)\.emacs$/.test(path)) return "other-code";
  // Shell startup files and the snippets a skill has the user append to them (`.bashrc`, `bashrc.snippet`): code every new shell runs.
  if (/(?:^|\/)\.?(?:bashrc|zshrc|bash_profile|bash_login|zprofile|zshenv|zlogin)(?:[._-][\w.-]*)?$/.test(path)) return "shell";
  if (head.startsWith("#!")) {
    const firstLine = head.slice(0, head.indexOf("\n") >>> 0);
    for (const [re, kind] of SHEBANG_KINDS) if (re.test(firstLine)) return kind;
  }
  return "text";
}

const SAMPLE_BYTES = 8192;

/**
 * Binary when the first 8 KiB hold a NUL byte or more than 10% control bytes that text
 * never has. UTF-8 multi-byte sequences count as text.
 */
export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE_BYTES);
  if (n === 0) return false;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) odd++;
  }
  return odd / n > 0.1;
}

/**
 * A prose line that forbids or describes what it quotes ("Never run `rm -rf /`", "Attackers
 * pipe curl into sh"). A warning sign, "Don't skip this step" or "do not tell the user" beside
 * a command is not one: those are free for an attacker to add (scanner/prose/facts.ts decides).
 */
export function isWarningLine(line: string): boolean {
  return isProhibitionOrDocumentary(line);
}

/** The line before a code block introduces it as a bad example ("Never do this:"). */
function introducesWarning(line: string): boolean {
  return isWarningLine(line) && /:[*_\s]*$/.test(line);
}

/**
 * Lower case at the same offsets as `text`, as `Segment.lower` must be: keyword positions found
 * in it place the rules in `text`. "İ" (U+0130) is the one character whose lower case is two
 * characters long; a run of them would shift every later keyword off its line (a padding that
 * hid a `curl | sh` from its rule), so it becomes "i".
 */
export function lowerCase(text: string): string {
  const lower = text.toLowerCase();
  return lower.length === text.length ? lower : text.replace(/\u0130/g, "i").toLowerCase();
}

function makeSegment(file: string, kind: FileKind, text: string, offset: number, block = 0, fenced = false, warned = false): Segment {
  return { file, kind, text, offset, fenced, warned, block, lower: lowerCase(text) };
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^\s`{]*)/;
const HEADING = /^ {0,3}#{1,6}\s/;

/**
 * Split Markdown into prose segments (one per section, so a heading starts a new
 * instruction block) and fenced code segments typed by their info string.
 */
function segmentMarkdown(file: string, text: string, proseKind: FileKind, baseOffset = 0): Segment[] {
  const segments: Segment[] = [];
  let proseStart = 0;
  let pos = 0;
  let lastProseLine = "";
  let section = 0;
  const flushProse = (end: number) => {
    if (end > proseStart) segments.push(makeSegment(file, proseKind, text.slice(proseStart, end), baseOffset + proseStart, section));
  };
  while (pos < text.length) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    const open = FENCE_OPEN.exec(line);
    if (open) {
      flushProse(pos);
      const fence = open[2]!;
      const info = open[3]!.toLowerCase().replace(/^\{?\.?/, "");
      const kind = FENCE_KINDS[info] ?? "other-code";
      const bodyStart = Math.min(eol + 1, text.length);
      let scan = bodyStart;
      let bodyEnd = text.length;
      let after = text.length;
      while (scan < text.length) {
        let e = text.indexOf("\n", scan);
        if (e < 0) e = text.length;
        const l = text.slice(scan, e).trim();
        if (l.startsWith(fence[0]!.repeat(fence.length)) && /^[`~]+$/.test(l)) {
          bodyEnd = scan;
          after = Math.min(e + 1, text.length);
          break;
        }
        scan = e + 1;
      }
      segments.push(makeSegment(file, kind, text.slice(bodyStart, bodyEnd), baseOffset + bodyStart, section, true, introducesWarning(lastProseLine)));
      pos = after;
      proseStart = after;
      continue;
    }
    if (HEADING.test(line)) {
      flushProse(pos);
      proseStart = pos;
      section++;
    }
    if (line.trim() !== "") lastProseLine = line;
    pos = eol + 1;
  }
  flushProse(text.length);
  return segments;
}

/** The frontmatter block of SKILL.md (between the leading `---` lines), if any. */
export function splitFrontmatter(text: string): { frontmatter?: { text: string; offset: number }; bodyOffset: number } {
  const m = /^---[ \t]*\r?\n/.exec(text);
  if (!m) return { bodyOffset: 0 };
  const close = /^---[ \t]*\r?$/m;
  const rest = text.slice(m[0].length);
  const c = close.exec(rest);
  if (!c) return { bodyOffset: 0 };
  const fmEnd = m[0].length + c.index;
  const bodyStart = Math.min(text.length, fmEnd + c[0].length + 1);
  return { frontmatter: { text: text.slice(m[0].length, fmEnd), offset: m[0].length }, bodyOffset: bodyStart };
}

/** Every segment of one decoded text file. */
export function segmentFile(path: string, text: string): Segment[] {
  if (isSkillMd(path)) {
    const { frontmatter, bodyOffset } = splitFrontmatter(text);
    const segments: Segment[] = [];
    if (frontmatter) segments.push(makeSegment(path, "frontmatter", frontmatter.text, frontmatter.offset));
    segments.push(...segmentMarkdown(path, text.slice(bodyOffset), "skill-body", bodyOffset));
    return segments;
  }
  const kind = kindOfPath(path, text.slice(0, 200));
  if (kind === "markdown") return segmentMarkdown(path, text, "markdown");
  return [makeSegment(path, kind, text, 0)];
}

/** A window of a large file: scanned as its file kind without Markdown structure. */
export function windowSegment(path: string, text: string, offset: number, kind: FileKind, window: number): Segment {
  return makeSegment(path, kind, text, offset, window);
}
