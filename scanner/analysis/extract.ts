/**
 * Everything in a skill that can run or instruct, as files to scan: a file any interpreter
 * would run whatever its extension or NUL bytes, the code cells of notebooks, the members of
 * zip/tar/gzip archives (bounded in size, count and depth), and symbolic links judged by
 * their target. Archive readers are written here on top of node:zlib so that every
 * decompression is capped with `maxOutputLength` (a zip bomb stops at the cap).
 */
import { gunzipSync, inflateRawSync } from "node:zlib";
import { extensionOf, isBinary, kindOfPath } from "../classify.js";
import type { FileKind, SkillFile } from "../types.js";
import { submoduleClones } from "./cloned-run.js";
import { patchedFiles } from "./diff-hunks.js";
import { base64Texts, carvedText, dataRunsIn, namedAsData, whitespaceCode } from "./data-run.js";

export interface ExpandedFile extends SkillFile {
  /** Set when the kind is known from outside the file (notebook code, a file run by an interpreter). */
  kind?: FileKind;
  /** Whether the bytes are binary (computed once). */
  binary: boolean;
}

export interface PreFinding {
  ruleId: "SR-CRED-011" | "SR-SUPPLY-006" | "SR-SUPPLY-007" | "SR-MANIFEST-005" | "SR-DECODE-016";
  file: string;
  message: string;
  evidence: string;
}

export interface Expanded {
  files: ExpandedFile[];
  findings: PreFinding[];
  skipped: { file: string; reason: string }[];
}

const MAX_ARCHIVE_DEPTH = 2;
const MAX_MEMBER_BYTES = 8 * 1024 * 1024;
const MAX_EXPANDED_BYTES = 32 * 1024 * 1024;
const MAX_MEMBERS = 500;

const SENSITIVE_TARGET =
  /^\/etc\/(?:shadow|gshadow|passwd|sudoers|ssh\/)|(?:^|\/)\.ssh(?:\/|$)|(?:^|\/)\.aws(?:\/|$)|(?:^|\/)\.kube(?:\/|$)|(?:^|\/)\.docker\/config|(?:^|\/)\.gnupg(?:\/|$)|(?:^|\/)\.config\/gcloud|(?:^|\/)\.(?:npmrc|pypirc|netrc|git-credentials|env|bash_history|zsh_history)$|(?:^|\/)\.claude(?:\/|\.json|$)|Keychains|\/proc\/self\/environ|^\/root(?:\/|$)|^~/;

/** Where a link points, relative to the skill root; undefined when it leaves the skill. */
function insideTarget(linkPath: string, target: string): string | undefined {
  if (target.startsWith("/") || target.startsWith("~") || /^[A-Za-z]:[\\/]/.test(target)) return undefined;
  const parts = linkPath.split("/").slice(0, -1);
  for (const seg of target.split(/[\\/]/)) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join("/");
}

function linkFinding(path: string, target: string): PreFinding | undefined {
  if (insideTarget(path, target) !== undefined) return undefined;
  const evidence = `${path} -> ${target}`.slice(0, 160);
  if (SENSITIVE_TARGET.test(target) || SENSITIVE_TARGET.test(target.replace(/^(?:\.\.\/)+/, "/")))
    return { ruleId: "SR-CRED-011", file: path, message: `Symbolic link to ${target}: a secret store outside the skill.`, evidence };
  return { ruleId: "SR-SUPPLY-006", file: path, message: `Symbolic link to ${target}, outside the skill folder.`, evidence };
}

const SCRIPT_KINDS = new Set<FileKind>(["shell", "python", "javascript", "powershell"]);

/** The kind a shebang names, whatever the extension says. */
function shebangKind(bytes: Uint8Array): FileKind | undefined {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return undefined;
  const line = new TextDecoder().decode(bytes.subarray(0, 200)).split("\n")[0]!;
  const k = kindOfPath("", `${line}\n`);
  return SCRIPT_KINDS.has(k) ? k : undefined;
}

const withoutNul = (bytes: Uint8Array) => bytes.filter((b) => b !== 0);

/** Paths that text in the skill tells an interpreter to run (`bash setup.txt`, `python3 tool.dat`). */
function runReferences(texts: string[]): Map<string, FileKind> {
  const out = new Map<string, FileKind>();
  // The path may start from the script's own folder (`"$(dirname "$0")/../x.txt"`, `"$DIR/x.txt"`): matched by its tail.
  const re = /(?:^|[\s;&|(`"'])(bash|sh|zsh|dash|source|\.|python3?|node|pwsh|powershell(?:\.exe)?)\s+(?:-\w+\s+)*["']?(?:\$\(\s*dirname\s+["']?\$\{?0\}?["']?\s*\)\/|\$\{?\w+\}?\/)?((?:\.\/)?[\w./-]+\.[\w-]+|(?:\.\/)?[\w./-]+\/[\w.-]+)/g;
  for (const t of texts) {
    for (let m = re.exec(t); m; m = re.exec(t)) {
      const interp = m[1]!;
      const kind: FileKind = /python/.test(interp) ? "python" : interp === "node" ? "javascript" : /pwsh|powershell/.test(interp) ? "powershell" : "shell";
      out.set(m[2]!.replace(/^(?:\.\.?\/)+/, ""), kind);
    }
  }
  return out;
}

interface Budget {
  bytes: number;
  members: number;
}

export function expandFiles(input: readonly SkillFile[]): Expanded {
  const out: Expanded = { files: [], findings: [], skipped: [] };
  const budget: Budget = { bytes: MAX_EXPANDED_BYTES, members: MAX_MEMBERS };
  for (const f of input) addFile(out, f, 0, budget);
  addDataRuns(out);
  addSubmoduleClones(out);
  // A file that the skill's prose or scripts run with an interpreter is scanned as that language.
  const kindOf = (f: ExpandedFile) => (f.binary ? "binary" : kindOfPath(f.path, new TextDecoder().decode(f.bytes.subarray(0, 200))));
  const candidates = out.files.filter((f) => !f.kind && !SCRIPT_KINDS.has(kindOf(f)) && kindOf(f) !== "markdown");
  if (candidates.length === 0) return out;
  const instructing = out.files.filter((f) => !f.binary && f.bytes.length < 1024 * 1024 && (SCRIPT_KINDS.has(f.kind ?? kindOf(f)) || kindOf(f) === "markdown"));
  const runs = runReferences(instructing.map((f) => new TextDecoder().decode(f.bytes)));
  if (runs.size === 0) return out;
  for (const f of candidates) {
    const byRef = [...runs].find(([p]) => p === f.path || f.path.endsWith(`/${p}`))?.[1];
    if (!byRef) continue;
    f.kind = byRef;
    if (f.binary) {
      f.bytes = withoutNul(f.bytes);
      f.binary = false;
    }
  }
  return out;
}

/**
 * A file written in UTF-16 (a byte-order mark, or without one every other byte NUL beside
 * printable ASCII in its first 512 bytes), re-encoded as UTF-8; undefined for anything else.
 * Byte scanners see such a file as binary, while PowerShell, cmd and Windows Script Host read it
 * as the script it is.
 */
function utf16AsUtf8(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 4) return undefined;
  let le = bytes[0] === 0xff && bytes[1] === 0xfe;
  let be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (!le && !be) {
    const n = Math.min(bytes.length - (bytes.length % 2), 512);
    let oddNul = 0;
    let evenNul = 0;
    let printable = 0;
    for (let i = 0; i < n; i += 2) {
      if (bytes[i + 1] === 0) oddNul++;
      if (bytes[i] === 0) evenNul++;
      const c = bytes[i + 1] === 0 ? bytes[i]! : bytes[i] === 0 ? bytes[i + 1]! : 0;
      if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x0d || c === 0x09) printable++;
    }
    const pairs = n / 2;
    le = oddNul > pairs * 0.9 && evenNul === 0 && printable > pairs * 0.9;
    be = evenNul > pairs * 0.9 && oddNul === 0 && printable > pairs * 0.9;
    if (!le && !be) return undefined;
  }
  try {
    const text = new TextDecoder(le ? "utf-16le" : "utf-16be", { fatal: true }).decode(bytes);
    return new TextEncoder().encode(text.replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}

function addFile(out: Expanded, f: SkillFile, depth: number, budget: Budget): void {
  if (f.symlink !== undefined) {
    const finding = linkFinding(f.path, f.symlink);
    if (finding) out.findings.push(finding);
    return;
  }
  if (f.size !== undefined && f.size > f.bytes.length) {
    out.findings.push({ ruleId: "SR-MANIFEST-005", file: f.path, message: `Only the first ${f.bytes.length} of ${f.size} bytes were scanned; the rest may hide anything.`, evidence: `${f.size} bytes` });
  }
  const ext = extensionOf(f.path);
  // UTF-16 text (PowerShell and Windows editors write it) is text to its interpreter, NUL bytes and all.
  const bytes = utf16AsUtf8(f.bytes) ?? f.bytes;
  if (ext === "ipynb") {
    out.files.push({ path: f.path, bytes, binary: isBinary(bytes) });
    const nb = notebookParts(bytes);
    const enc = new TextEncoder();
    if (nb?.python) out.files.push({ path: `${f.path}#code.py`, bytes: enc.encode(nb.python), kind: "python", binary: false });
    // Shell escapes and %%bash cells run in a shell: analysed as one shell script (a download then its run spans lines).
    if (nb?.shell) out.files.push({ path: `${f.path}#shell.sh`, bytes: enc.encode(nb.shell), kind: "shell", binary: false });
    // Markdown cells are text the agent reads when it opens the notebook, as it reads a Markdown file.
    if (nb?.markdown) out.files.push({ path: `${f.path}#cells.md`, bytes: enc.encode(nb.markdown), kind: "markdown", binary: false });
    return;
  }
  const archive = archiveKind(bytes);
  if (archive) {
    out.files.push({ path: f.path, bytes, binary: true });
    if (depth >= MAX_ARCHIVE_DEPTH) {
      out.findings.push({ ruleId: "SR-MANIFEST-005", file: f.path, message: `Archive nested deeper than ${MAX_ARCHIVE_DEPTH} levels: its members were not scanned.`, evidence: f.path });
      return;
    }
    try {
      const members = readArchive(archive, bytes, budget);
      if (members.encrypted) out.findings.push({ ruleId: "SR-SUPPLY-007", file: f.path, message: "Encrypted archive: its members can't be scanned.", evidence: f.path });
      for (const link of members.links) {
        const finding = linkFinding(link.path, link.target);
        if (finding) out.findings.push({ ...finding, file: `${f.path}!/${link.path}` });
      }
      for (const m of members.files) addFile(out, { path: `${f.path}!/${m.path}`, bytes: m.bytes }, depth + 1, budget);
      if (members.truncated) out.findings.push({ ruleId: "SR-MANIFEST-005", file: f.path, message: "Archive larger than the scanner expands (or a decompression bomb): only part of it was scanned.", evidence: f.path });
    } catch {
      out.findings.push({ ruleId: "SR-MANIFEST-005", file: f.path, message: "Archive the scanner could not read: its members were not scanned.", evidence: f.path });
    }
    return;
  }
  // A script with NUL bytes still runs (the shell skips them): scan it without them.
  const shebang = shebangKind(bytes);
  const byExt = kindOfPath(f.path, "");
  if (isBinary(bytes)) {
    // Other binaries stay binary (checked as executables without source) unless the skill runs them.
    const script = shebang ?? (SCRIPT_KINDS.has(byExt) ? byExt : undefined);
    if (script) out.files.push({ path: f.path, bytes: withoutNul(bytes), kind: script, binary: false });
    else out.files.push({ path: f.path, bytes, binary: true });
    return;
  }
  if (shebang && !SCRIPT_KINDS.has(byExt) && byExt !== "markdown") out.files.push({ path: f.path, bytes, kind: shebang, binary: false });
  else out.files.push({ path: f.path, bytes, binary: false });
  // A patch's hunks as the files they write once applied (analysis/diff-hunks.ts).
  if (/^(?:patch|diff)$/.test(ext) || (bytes.length < 1024 * 1024 && (ext === "" || ext === "txt"))) {
    const enc = new TextEncoder();
    for (const p of patchedFiles(new TextDecoder().decode(bytes))) out.files.push({ path: `${f.path}!/${p.target}`, bytes: enc.encode(p.text), binary: false });
  }
}

/**
 * Data files a script of the skill reads and runs as code (analysis/data-run.ts), added again as
 * the code they become: the text (or an archive's members) in the sink's language, the code its
 * trailing whitespace spells, a binary's readable runs; a binary named as data with nothing
 * readable is reported as code disguised as data.
 */
function addDataRuns(out: Expanded): void {
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const scripts = out.files
    .filter((f) => !f.binary && f.bytes.length < 256 * 1024)
    .map((f) => ({ path: f.path, kind: f.kind ?? kindOfPath(f.path, decode(f.bytes.subarray(0, 200))), bytes: f.bytes }))
    .filter((f) => SCRIPT_KINDS.has(f.kind) || f.kind === "other-code");
  if (scripts.length === 0) return;
  const enc = new TextEncoder();
  const done = new Set<string>();
  for (const script of scripts) {
    for (const run of dataRunsIn({ path: script.path, kind: script.kind, text: decode(script.bytes) }, out.files)) {
      if (done.has(run.file)) continue;
      done.add(run.file);
      const file = out.files.find((f) => f.path === run.file)!;
      const members = out.files.filter((f) => f.path.startsWith(`${run.file}!/`) && !f.binary);
      const texts = file.binary ? members.map((m) => decode(m.bytes)) : [decode(file.bytes)];
      if (file.binary && members.length === 0) {
        const carved = carvedText(file.bytes);
        if (/[a-z]{2,}[ \t/][^\n]{8,}/i.test(carved)) texts.push(carved);
      }
      for (const text of [...texts]) {
        const hidden = whitespaceCode(text);
        if (hidden) texts.push(hidden);
        texts.push(...base64Texts(text));
      }
      texts.forEach((text, i) => out.files.push({ path: `${run.file}#run-as-${run.kind}${i ? `-${i}` : ""}`, bytes: enc.encode(text), kind: run.kind, binary: false }));
      if (texts.length === 0 && namedAsData(run.file)) {
        out.findings.push({ ruleId: "SR-DECODE-016", file: run.file, message: `${script.path} runs as ${run.kind} code what ${run.file} holds: a file named as data whose content no reviewer can read.`, evidence: `${script.path} -> ${run.file}` });
      }
    }
  }
}

/**
 * A script that checks out submodules (`git submodule update --init`), read with the clones that
 * makes written out from `.gitmodules` before the rest of it: what it runs from them is then a
 * clone run (analysis/cloned-run.ts).
 */
function addSubmoduleClones(out: Expanded): void {
  const modules = out.files.find((f) => /(?:^|\/)\.gitmodules$/.test(f.path) && !f.binary);
  if (!modules) return;
  const clones = submoduleClones(new TextDecoder().decode(modules.bytes));
  if (!clones) return;
  for (const f of [...out.files]) {
    if (f.binary || f.bytes.length > 256 * 1024) continue;
    const text = new TextDecoder().decode(f.bytes);
    const at = text.search(/\bgit\s+submodule\s+(?:update|init|foreach)\b/);
    if (at < 0 || (f.kind ?? kindOfPath(f.path, text.slice(0, 200))) !== "shell") continue;
    out.files.push({ path: `${f.path}#with-submodules.sh`, bytes: new TextEncoder().encode(`${clones}\n${text.slice(at)}`), kind: "shell", binary: false });
  }
}

/** Cell magics whose body a shell runs. */
const SHELL_CELL = /^\s*%%(?:bash|sh|script\s+(?:ba|z)?sh|system)\b[^\n]*\n?/;
/** A line IPython hands to a shell: `!cmd`, `%system cmd`, `%sx cmd`, `x = !cmd`. */
const SHELL_LINE = /^\s*(?:[\w.]+\s*=\s*)?(?:!+|%(?:system|sx)\s)(.*)$/;

/** A notebook's Python code, the shell its escapes and shell cells run, and its Markdown cells. */
function notebookParts(bytes: Uint8Array): { python?: string; shell?: string; markdown?: string } | undefined {
  try {
    const nb = JSON.parse(new TextDecoder().decode(bytes)) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    const text = (c: { source?: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : typeof c.source === "string" ? c.source : "");
    const python: string[] = [];
    const shell: string[] = [];
    const markdown: string[] = [];
    for (const cell of nb.cells ?? []) {
      const src = text(cell);
      if (cell.cell_type === "markdown") markdown.push(src);
      if (cell.cell_type !== "code") continue;
      if (SHELL_CELL.test(src)) {
        shell.push(src.replace(SHELL_CELL, ""));
        continue;
      }
      const lines = src.split("\n");
      for (const line of lines) {
        const m = SHELL_LINE.exec(line);
        if (m) shell.push(m[1]!);
      }
      // Other magics (`%pip`, `%%time`) are blanked, so the rest still parses as Python.
      python.push(lines.map((l) => (/^\s*[!%]/.test(l) || SHELL_LINE.test(l) ? "" : l)).join("\n"));
    }
    const join = (parts: string[]) => (parts.some((p) => p.trim()) ? parts.join("\n\n") : undefined);
    return { python: join(python), shell: join(shell), markdown: join(markdown) };
  } catch {
    return undefined;
  }
}

type ArchiveKind = "zip" | "tar" | "gzip";

function archiveKind(b: Uint8Array): ArchiveKind | undefined {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return "zip";
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) return "gzip";
  if (b.length >= 262 && new TextDecoder().decode(b.subarray(257, 262)) === "ustar") return "tar";
  return undefined;
}

interface Members {
  files: { path: string; bytes: Uint8Array }[];
  links: { path: string; target: string }[];
  encrypted: boolean;
  truncated: boolean;
}

function readArchive(kind: ArchiveKind, bytes: Uint8Array, budget: Budget): Members {
  if (kind === "zip") return readZip(bytes, budget);
  if (kind === "tar") return readTar(bytes, budget);
  const cap = Math.min(MAX_MEMBER_BYTES, budget.bytes);
  let inner: Uint8Array;
  let truncated = false;
  try {
    inner = gunzipSync(bytes, { maxOutputLength: cap });
  } catch {
    return { files: [], links: [], encrypted: false, truncated: true };
  }
  budget.bytes -= inner.length;
  if (archiveKind(inner) === "tar") {
    const m = readTar(inner, budget);
    return { ...m, truncated: m.truncated || truncated };
  }
  truncated = false;
  return { files: [{ path: "content", bytes: inner }], links: [], encrypted: false, truncated };
}

function readZip(b: Uint8Array, budget: Budget): Members {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Members = { files: [], links: [], encrypted: false, truncated: false };
  // The end-of-central-directory record is in the last 64 KiB.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return { ...out, truncated: true };
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  for (let i = 0; i < count && p + 46 <= b.length; i++) {
    if (view.getUint32(p, true) !== 0x02014b50) break;
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const attrs = view.getUint32(p + 38, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) {
      out.encrypted = true;
      continue;
    }
    if (name.endsWith("/")) continue;
    if (budget.members-- <= 0 || budget.bytes <= 0 || size > MAX_MEMBER_BYTES) {
      out.truncated = true;
      continue;
    }
    if (local + 30 > b.length) continue;
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = b.subarray(start, start + compSize);
    let content: Uint8Array;
    try {
      content = method === 0 ? data : method === 8 ? inflateRawSync(data, { maxOutputLength: Math.min(MAX_MEMBER_BYTES, budget.bytes) }) : new Uint8Array(0);
    } catch {
      out.truncated = true;
      continue;
    }
    budget.bytes -= content.length;
    // Unix mode in the high 16 bits: 0o120000 is a symbolic link, whose content is the target.
    if (((attrs >>> 16) & 0o170000) === 0o120000) out.links.push({ path: name, target: new TextDecoder().decode(content) });
    else out.files.push({ path: name, bytes: content });
  }
  return out;
}

function readTar(b: Uint8Array, budget: Budget): Members {
  const out: Members = { files: [], links: [], encrypted: false, truncated: false };
  const text = (s: number, e: number) => new TextDecoder().decode(b.subarray(s, e)).replace(/\0.*$/s, "");
  for (let p = 0; p + 512 <= b.length; ) {
    const name = text(p, p + 100);
    if (name === "") break;
    const size = parseInt(text(p + 124, p + 136).trim() || "0", 8) || 0;
    const type = String.fromCharCode(b[p + 156]!);
    const prefix = text(p + 345, p + 500);
    const path = prefix ? `${prefix}/${name}` : name;
    const data = b.subarray(p + 512, p + 512 + size);
    if (type === "2") out.links.push({ path, target: text(p + 157, p + 257) });
    else if (type === "0" || type === "\0") {
      if (budget.members-- <= 0 || budget.bytes <= 0 || size > MAX_MEMBER_BYTES) out.truncated = true;
      else {
        budget.bytes -= size;
        out.files.push({ path, bytes: data });
      }
    }
    p += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
