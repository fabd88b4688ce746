/**
 * Text a skill's own helpers decode, in any language: a short function that turns character
 * codes into a string (`def _n(*c): return "".join(map(chr, c))`, `const s = (...c) =>
 * String.fromCharCode(...c)`) called with literal codes, and a base64 literal handed to a decode
 * call in languages without a bundled grammar (Go `base64.StdEncoding.DecodeString("…")`, Ruby
 * `Base64.decode64`, C# `FromBase64String`, Rust, PHP, Java). The folding in `facts.ts` knows
 * the built-in calls; a helper defined in the skill hides names and commands from it, so its
 * calls are replaced by the strings they return and the code is read again.
 */
import { bytesToText, decodeBase64, looksLikeText } from "./decode.js";

export interface HelperDecoding {
  text: string;
  offset: number;
  length: number;
  /** The code itself with the helper's calls replaced (read as the same language), or a decoded value (read as what it spells). */
  whole: boolean;
}

/** A function of at most a few lines whose body turns its arguments' codes into characters. */
const DECODER_HEAD = /(?:\bdef\s+([A-Za-z_]\w*)\s*\(|\bfunction\s+([A-Za-z_$][\w$]*)\s*\(|\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:function\s*)?\(|\b([A-Za-z_]\w*)\s*=\s*lambda\b)([^\n]{0,80}(?:\n[^\n]{0,160}){0,3})/g;
const DECODES_CODES = /\bchr\b|fromCharCode|\[char\]|\.pack\(\s*["']U\*|\bstring\(\s*rune\b/;
const CODES_CALL = (name: string) => new RegExp(`(?<![\\w.$])${name.replace(/\$/g, "\\$")}\\s*\\(\\s*\\[?\\s*(\\d{1,7}(?:\\s*,\\s*\\d{1,7}){1,200})\\s*\\]?\\s*\\)`, "g");
const BASE64_CALL = /\b(?:DecodeString|decode64|strict_decode64|urlsafe_decode64|b64decode|FromBase64String|base64_decode|getDecoder\(\)\.decode|getMimeDecoder\(\)\.decode|Base64\.decode|base64::decode|STANDARD\.decode)\s*\(\s*(?:[\w:.]+\s*,\s*)?["']([A-Za-z0-9+/_-]{12,}={0,2})["']/g;

function fromCodes(list: string): string | undefined {
  const codes = list.split(",").map((c) => Number(c.trim()));
  if (codes.some((c) => !(c >= 9 && c <= 0x10ffff))) return undefined;
  return String.fromCodePoint(...codes);
}

/** The code with calls of its own character-code helpers replaced by the strings they return. */
function withHelpersApplied(text: string): HelperDecoding[] {
  const names = [...text.matchAll(DECODER_HEAD)].filter((m) => DECODES_CODES.test(m[5]!)).map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  if (!names.length) return [];
  let replaced = text;
  let first = -1;
  for (const name of names) {
    replaced = replaced.replace(CODES_CALL(name), (call: string, list: string, at: number) => {
      const value = fromCodes(list);
      if (value === undefined) return call;
      if (first < 0 || at < first) first = at;
      return JSON.stringify(value);
    });
  }
  return first < 0 ? [] : [{ text: replaced, offset: first, length: 1, whole: true }];
}

/** Base64 literals a decode call is handed, decoded (text only). */
function base64Literals(text: string): HelperDecoding[] {
  const out: HelperDecoding[] = [];
  for (const m of text.matchAll(BASE64_CALL)) {
    const bytes = decodeBase64(m[1]!);
    const value = bytes && bytesToText(bytes);
    if (value && value.length >= 6 && looksLikeText(value)) out.push({ text: value, offset: m.index, length: m[0].length, whole: false });
  }
  return out;
}

/** What the skill's own decoding hides: `grammar` says whether built-in decode calls are already folded (the bundled grammars). */
export function helperDecodings(text: string, grammar: boolean): HelperDecoding[] {
  return [...withHelpersApplied(text), ...(grammar ? [] : base64Literals(text))];
}
