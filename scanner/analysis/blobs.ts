/**
 * Encoded blobs a program decodes and runs, wherever the folding of calls can't reach them:
 * a base64 literal that is zlib- or gzip-compressed (`exec(zlib.decompress(b64decode(T)))`),
 * Perl's `pack('H*', …)`, and the base64 text of Ruby's or Perl's `__END__`/`__DATA__` section
 * read back through DATA. Each blob is decoded (bounded) and handed back to be scanned as code.
 * Only in code that names a decoder: an unread blob is data, not a payload.
 */
import { inflateSync, gunzipSync } from "node:zlib";
import { bytesToText, decodeBase64, decodeHex, looksLikeText } from "./decode.js";
import { spelledStrings } from "./spelled-strings.js";

export interface Blob {
  text: string;
  offset: number;
  length: number;
}

/** Decoded bytes past this are not inflated further: a small blob must not become megabytes. */
const MAX_INFLATED = 256 * 1024;
const MAX_BLOBS = 16;

const DECODER = /["']base64["']|\batob\b|b64decode|decode64|decode_base64|base64_decode|unpack1?\s*\(\s*["']m|DecodeString|FromBase64String|\bpack\s*\(\s*["']H\*/i;
const COMPRESSED = /decompress|inflate|gunzip|zlib|gzip|Zlib|Compress::/;
/** A quoted base64 literal long enough to carry code. */
const BASE64_LITERAL = /["']([A-Za-z0-9+/]{40,}={0,2})["']/g;
/** `pack('H*', '6375…')`: Perl's hex decoder. */
const PACK_HEX = /\bpack\s*\(\s*["']H\*["']\s*,\s*["']([0-9a-fA-F]{12,})["']/g;
/** The data section after `__END__` or `__DATA__`, read through the DATA handle. */
const DATA_SECTION = /^__(?:END|DATA)__\s*$/m;

function inflated(binary: string): string | undefined {
  const bytes = Buffer.from(binary, "latin1");
  try {
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED }).toString("utf8");
    if (bytes[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(bytes[1]!)) return inflateSync(bytes, { maxOutputLength: MAX_INFLATED }).toString("utf8");
  } catch {
    return undefined;
  }
  return undefined;
}

/** Text a blob decodes to, when it reads as text. */
function asText(binary: string | undefined, compressed: boolean): string | undefined {
  if (binary === undefined) return undefined;
  const text = compressed ? inflated(binary) : bytesToText(binary);
  return text !== undefined && text.trim().length >= 6 && looksLikeText(text) ? text : undefined;
}

/** A Python source encoding declared on the first two lines (PEP 263): the interpreter decodes the file with it. */
const UTF7_COOKIE = /^(?:[^\n]*\n)?[ \t\f]*#[^\n]*?coding[:=][ \t]*["']?utf[-_]?7\b/i;

/**
 * UTF-7 (RFC 2152), which no Node decoder reads: `+…-` runs are modified base64 of UTF-16BE,
 * `+-` is a plus sign. A file declaring it runs as its decoded text, whatever it shows.
 */
function decodeUtf7(text: string): string {
  return text.replace(/\+([A-Za-z0-9+/]*)-?/g, (_all, run: string) => {
    if (run === "") return "+";
    const bytes = Buffer.from(run, "base64");
    let out = "";
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return out;
  });
}

/** `powershell -enc <base64>` (also `-e`, `-EncodedCommand`, quoted or as an argument list item): UTF-16LE PowerShell. */
const ENCODED_COMMAND = /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,200}?["',\s]-e(?:nc?|ncodedcommand)?["',\s]+["']?([A-Za-z0-9+/]{16,}={0,2})/gi;

/** The same with the blob in a variable (`-EncodedCommand $enc`), resolved from its literal assignment. */
const ENCODED_VARIABLE = /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,200}?["',\s]-e(?:nc?|ncodedcommand)?["',\s]+\$(\w+)/gi;

function encodedCommands(text: string): { blob: string; index: number; length: number }[] {
  const out = [...text.matchAll(ENCODED_COMMAND)].map((m) => ({ blob: m[1]!, index: m.index, length: m[0].length }));
  for (const m of text.matchAll(ENCODED_VARIABLE)) {
    const assigned = new RegExp(String.raw`\$${m[1]}\s*=\s*["']([A-Za-z0-9+/]{16,}={0,2})["']`, "i").exec(text);
    if (assigned) out.push({ blob: assigned[1]!, index: m.index, length: m[0].length });
  }
  return out;
}

/** The blobs of one piece of code, decoded. */
export function decodedBlobs(text: string): Blob[] {
  const out: Blob[] = [];
  for (const m of encodedCommands(text)) {
    const binary = decodeBase64(m.blob);
    const decoded = binary === undefined ? undefined : Buffer.from(binary, "latin1").toString("utf16le");
    if (decoded && decoded.trim().length >= 6 && looksLikeText(decoded)) out.push({ text: decoded, offset: m.index, length: m.length });
  }
  if (UTF7_COOKIE.test(text)) {
    const decoded = decodeUtf7(text);
    if (decoded !== text && looksLikeText(decoded)) out.push({ text: decoded, offset: 0, length: text.indexOf("\n") >>> 0 });
  }
  // Character arrays and hand-decoded hex literals (scanner/analysis/spelled-strings.ts).
  out.push(...spelledStrings(text));
  if (!DECODER.test(text)) return out;
  const compressed = COMPRESSED.test(text);
  if (compressed) {
    for (const m of text.matchAll(BASE64_LITERAL)) {
      if (out.length >= MAX_BLOBS) break;
      const decoded = asText(decodeBase64(m[1]!), true);
      if (decoded) out.push({ text: decoded, offset: m.index, length: m[0].length });
    }
  }
  for (const m of text.matchAll(PACK_HEX)) {
    if (out.length >= MAX_BLOBS) break;
    const decoded = asText(decodeHex(m[1]!), false);
    if (decoded) out.push({ text: decoded, offset: m.index, length: m[0].length });
  }
  const data = DATA_SECTION.exec(text);
  if (data && /\bDATA\b/.test(text.slice(0, data.index))) {
    const body = text.slice(data.index + data[0].length).trim();
    const decoded = asText(decodeBase64(body), false) ?? (compressed ? asText(decodeBase64(body), true) : undefined);
    if (decoded) out.push({ text: decoded, offset: data.index, length: data[0].length });
  }
  return out;
}
