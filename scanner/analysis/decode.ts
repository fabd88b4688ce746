/**
 * Text decoders for constant folding. Each returns undefined for input that is not in its
 * alphabet, so random identifiers are not "decoded" into noise. base32/base85 are written
 * here because Node has no decoder for them; base64 and hex use Buffer.
 */

const utf8 = new TextDecoder("utf-8", { fatal: false });

/** Decoded bytes as text; undefined when they are mostly not text (a binary blob). */
function asText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  let odd = 0;
  for (const b of bytes) if ((b < 0x20 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) odd++;
  return odd / bytes.length > 0.1 ? undefined : utf8.decode(bytes);
}

export function decodeBase64(s: string): string | undefined {
  const clean = s.replace(/\s+/g, "");
  if (clean.length < 4 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) return undefined;
  return asText(Buffer.from(clean.replace(/-/g, "+").replace(/_/g, "/"), "base64"));
}

export function decodeHex(s: string): string | undefined {
  const clean = s.replace(/\s+|\\x|0x|,/gi, "");
  if (clean.length < 2 || clean.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(clean)) return undefined;
  return asText(Buffer.from(clean, "hex"));
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
  return asText(Uint8Array.from(out));
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
  return asText(Uint8Array.from(out));
}
