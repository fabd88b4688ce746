/**
 * A hex or base64 constant XORed with a short string key the file spells (`k=b"lint"` as a
 * default argument, `KEY = "x9"` at the top): decoded with each such key, as the character-code
 * tables are tried with each small number (scanner/analysis/facts.ts, `codeTables`). Following
 * the decoder itself would need calls into local functions with default arguments; trying the
 * few short literals a file holds is cheaper and does not care how the loop is written. Only a
 * result that reads as code, a command or an address is kept.
 */
import { decodeBase64, decodeHex, looksLikeText } from "./decode.js";
import type { StringFact } from "./facts.js";

/** A long hex or base64 literal (the ciphertext). */
const BLOB = /["']([0-9a-fA-F]{32,8192}|[A-Za-z0-9+/]{32,8192}={0,2})["']/g;
/** A short quoted literal (a candidate key), with Python's b/r prefixes. */
const KEY = /(?<![\w])[bBrR]?["']([!-~]{2,16})["']/g;
/** What decoded code, a command or an exfiltration target looks like. */
const MEANINGFUL = /https?:\/\/|\b(?:import\s+\w|exec|eval|subprocess|os\.system|require\(|curl|wget|bash|powershell)\b|\/bin\/|\.ssh\/|\.aws\//;
const MAX_BLOBS = 8;
const MAX_KEYS = 24;

export function xorWithSpelledKeys(text: string): StringFact[] {
  const blobs = [...text.matchAll(BLOB)].slice(0, MAX_BLOBS);
  if (blobs.length === 0) return [];
  const keys = [...new Set([...text.matchAll(KEY)].map((m) => m[1]!))].slice(0, MAX_KEYS);
  const out: StringFact[] = [];
  for (const b of blobs) {
    const raw = /^[0-9a-fA-F]+$/.test(b[1]!) && b[1]!.length % 2 === 0 ? decodeHex(b[1]!) : decodeBase64(b[1]!);
    if (!raw || looksLikeText(raw)) continue;
    for (const key of keys) {
      let s = "";
      for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw.charCodeAt(i) ^ key.charCodeAt(i % key.length));
      if (looksLikeText(s) && MEANINGFUL.test(s)) {
        out.push({ value: s, offset: b.index, length: b[0].length, derived: true });
        break;
      }
    }
  }
  return out;
}
