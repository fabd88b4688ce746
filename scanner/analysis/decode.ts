/**
 * Text decoders for constant folding. Each returns undefined for input that is not in its
 * alphabet, so random identifiers are not "decoded" into noise. base32/base85 are written
 * here because Node has no decoder for them; base64 and hex use Buffer.
 */

/**
 * Decoded bytes as a "binary string" (one character per byte, as Python bytes and JavaScript
 * atob give): a later `.decode("utf-8")` turns it into text, and XOR works on the byte values.
 */
function asBytes(bytes: Uint8Array): string | undefined {
  return bytes.length === 0 ? undefined : Buffer.from(bytes).toString("latin1");
}

/** A binary string (bytes as characters) read as UTF-8 text; other strings unchanged. */
export function bytesToText(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return s;
  return Buffer.from(s, "latin1").toString("utf8");
}

/** Whether a string reads as text (not a blob of control bytes). */
export function looksLikeText(s: string): boolean {
  let odd = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || (c >= 0x7f && c < 0xa0)) odd++;
  }
  return odd <= s.length * 0.1;
}

export function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, "");
  if (clean.length < 4 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
  return asBytes(Buffer.from(clean.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

export function decodeHex(s: string): string | undefined {
  const clean = s.replace(/\s+|\\x|0x|,/gi, "");
  if (clean.length < 2 || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean)) return undefined;
  return asBytes(Buffer.from(clean, "hex"));
}

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function decodeBase32(s: string): string | undefined {
  const clean = s.replace(/\s+|=+$/g, "").toUpperCase();
  if (clean.length < 8 || !/^[A-Z2-7]+$/.test(clean)) return undefined;
  const out: number[] = [];
  let bits = 0;
  let acc = 0;
  for (const c of clean) {
    acc = (acc << 5) | B32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return asBytes(Uint8Array.from(out));
}

/** Ascii85 (Python's a85decode, with optional <~ ~>) and RFC 1924 base85 (b85decode). */
export function decodeBase85(s: string): string | undefined {
  let clean = s.replace(/\s+/g, "");
  if (clean.startsWith("<~")) clean = clean.slice(2);
  if (clean.endsWith("~>")) clean = clean.slice(0, -2);
  if (clean.length < 5) return undefined;
  const rfc = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
  const ascii = /^[!-uz]+$/.test(clean);
  const digit = ascii ? (c: string) => c.charCodeAt(0) - 33 : (c: string) => rfc.indexOf(c);
  if (!ascii && [...clean].some((c) => rfc.indexOf(c) < 0)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < clean.length; ) {
    if (ascii && clean[i] === "z") {
      out.push(0, 0, 0, 0);
      i++;
      continue;
    }
    const chunk = clean.slice(i, i + 5);
    i += 5;
    const pad = 5 - chunk.length;
    let acc = 0;
    for (const c of chunk.padEnd(5, ascii ? "u" : "~")) acc = acc * 85 + digit(c);
    const bytes = [(acc >>> 24) & 0xff, (acc >>> 16) & 0xff, (acc >>> 8) & 0xff, acc & 0xff];
    out.push(...bytes.slice(0, 4 - pad));
  }
  return asBytes(Uint8Array.from(out));
}
