/**
 * Strings a program spells so that no literal shows them, in any language:
 *
 * - a character array written letter by letter (`char c[] = {'c','u','r','l',…,0}` in C,
 *   `new char[]{'s','h'}` in Java or C#, `['b','a','s','h']` joined), read as the string it is;
 * - a long hex literal in code that names a hex decoder (`[Convert]::ToByte($_, 16)`,
 *   `bytes.fromhex`, `unhexlify`, `Buffer.from(x, 'hex')`, `hex.DecodeString`, `xxd -r -p`,
 *   `hex2bin`, `FromHexString`), read as the text it decodes to.
 *
 * Each is handed back to be scanned as code, so `system(c)` of a spelled `curl … | sh` is the
 * download run it spells. (Hand-written: the parsed folding covers the grammar languages' own
 * calls; these forms are the same trick in C, Java, C#, Go and in hand-rolled PowerShell loops.)
 */
import { bytesToText, decodeHex, looksLikeText } from "./decode.js";

export interface SpelledString {
  text: string;
  offset: number;
  length: number;
}

const MAX_SPELLED = 16;
/** A braced or bracketed list of single-character literals (escapes allowed), at least eight of them. */
const CHAR_LIST = /[{[]\s*((?:'(?:\\.|[^'\\\n])'\s*,\s*){7,400}(?:'(?:\\.|[^'\\\n])'|0|'\\0')?)\s*,?\s*[}\]]/g;
const CHAR = /'(\\.|[^'\\\n])'/g;
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "", "\\": "\\", "'": "'", '"': '"' };

/** A hex decoder named in the code: without one, a long hex literal is a hash or a key, not a payload. */
const HEX_DECODER = /\b(?:ToByte|parseInt|int|Integer\.parseInt|strtol|from_str_radix)\s*\((?:[^()\n]|\([^()\n]{0,60}\)){0,80},\s*16\s*\)|\bfromhex\b|\bunhexlify\b|["']hex["']|\bhex\.DecodeString\b|\bxxd\s+-r\b|\bhex2bin\b|\bFromHexString\b|\[\s*H\*\s*\]|\bpack\s*\(\s*["']H/i;
const HEX_LITERAL = /["']((?:[0-9a-fA-F]{2}){12,4096})["']/g;

function charList(body: string): string {
  let out = "";
  for (const c of body.matchAll(CHAR)) out += c[1]!.length === 2 ? (ESCAPES[c[1]![1]!] ?? c[1]![1]!) : c[1]!;
  return out;
}

/** The strings this piece of code spells letter by letter or in hex, decoded. */
export function spelledStrings(text: string): SpelledString[] {
  const out: SpelledString[] = [];
  if (text.includes("'")) {
    for (const m of text.matchAll(CHAR_LIST)) {
      if (out.length >= MAX_SPELLED) break;
      const value = charList(m[1]!);
      // A run of single letters that spells words (a space, a slash, a dot): a command or a path, not an alphabet table.
      if (value.length >= 8 && /[\s/.:|-]/.test(value) && looksLikeText(value)) out.push({ text: value, offset: m.index, length: m[0].length });
    }
  }
  if (HEX_DECODER.test(text)) {
    for (const m of text.matchAll(HEX_LITERAL)) {
      if (out.length >= MAX_SPELLED) break;
      const binary = decodeHex(m[1]!);
      const decoded = binary === undefined ? undefined : bytesToText(binary);
      if (decoded !== undefined && decoded.trim().length >= 8 && /\s/.test(decoded) && looksLikeText(decoded)) out.push({ text: decoded, offset: m.index, length: m[0].length });
    }
  }
  return out;
}
