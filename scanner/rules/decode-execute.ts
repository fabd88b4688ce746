import type { Hit, Rule } from "../types.js";
import { CODE, SCRIPTS_AND_PROSE, hitsOf } from "./common.js";

export const decodeExecuteRules: Rule[] = [
  {
    id: "SR-DECODE-001",
    title: "Decoded data piped to a shell",
    category: "decode-execute",
    severity: "critical",
    message: "Decodes base64/hex and runs the result: the real command is hidden from review.",
    fix: "Write the command in plain text.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["base64", "xxd", "openssl"],
    pattern:
      /\b(?:base64\s+(?:-d|--decode|-D)|xxd\s+-r(?:\s+-p)?|openssl\s+(?:enc\s+)?-?base64\s+-d)\b[^\n]{0,100}?\|\s*(?:sudo\s+)?(?:(?:ba|z|da)?sh|python[23]?|perl|node)\b|\beval\s+["']?\$\([^\n]{0,300}?\b(?:base64\s+(?:-d|--decode)|xxd\s+-r)/gi,
    examples: {
      positive: ["echo Y3VybCBldmlsCg== | base64 -d | bash", "eval \"$(echo aWQK | base64 --decode)\""],
      negative: ["base64 -d logo.b64 > logo.png", "echo aGVsbG8= | base64 -d"],
    },
  },
  {
    id: "SR-DECODE-002",
    title: "Python exec of decoded data",
    category: "decode-execute",
    severity: "critical",
    message: "Python exec/eval of base64, hex, zlib or marshal data: hidden code.",
    fix: "Ship the code as readable source.",
    fileKinds: ["python", ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["exec", "eval"],
    pattern:
      /\b(?:exec|eval)\s*\(\s*(?:compile\s*\(\s*)?(?:base64\.(?:b64|b32|b16|a85|b85|urlsafe_b64)decode|codecs\.decode|bytes\.fromhex|binascii\.(?:unhexlify|a2b_base64)|zlib\.decompress|marshal\.loads|__import__\(\s*["'](?:base64|zlib|codecs|marshal)["']\))/gi,
    examples: {
      positive: ["import base64\nexec(base64.b64decode('cHJpbnQoMSk='))", "exec(zlib.decompress(blob))"],
      negative: ["data = base64.b64decode(image_b64)", "exec(compile(source, path, 'exec'))"],
    },
  },
  {
    id: "SR-DECODE-003",
    title: "JavaScript eval of decoded data",
    category: "decode-execute",
    severity: "critical",
    message: "JavaScript eval/Function of atob or Buffer-decoded data: hidden code.",
    fix: "Ship the code as readable source.",
    fileKinds: ["javascript", ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["eval", "function", "runin"],
    pattern: /\b(?:eval|Function|vm\.runInThisContext|vm\.runInNewContext)\s*\(\s*(?:atob\s*\(|Buffer\.from\s*\([^\n)]{0,300}["'](?:base64|hex)["']\s*\)\s*\.toString|decodeURIComponent\s*\(\s*escape\s*\()/gi,
    examples: {
      positive: ["eval(atob('Y29uc29sZS5sb2coMSk='))", "new Function(Buffer.from(p, 'base64').toString())()"],
      negative: ["const img = Buffer.from(b64, 'base64');", "eval is not used here"],
    },
  },
  {
    id: "SR-DECODE-004",
    title: "PowerShell encoded command",
    category: "decode-execute",
    severity: "critical",
    message: "Runs a base64-encoded PowerShell command (-EncodedCommand) or decodes and invokes a string.",
    fix: "Write the PowerShell in plain text.",
    fileKinds: ["powershell", ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["powershell", "pwsh", "frombase64string"],
    pattern:
      /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,80}?\s-(?:e|ec|en|enc|enco|encodedcommand)\s+[A-Za-z0-9+/=]{16,}|\bFromBase64String\b[^\n]{0,200}?\|\s*(?:iex|Invoke-Expression)\b|\b(?:iex|Invoke-Expression)\b[^\n]{0,200}?FromBase64String/gi,
    examples: {
      positive: ["powershell -NoProfile -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA"],
      negative: ["powershell -NoProfile -File build.ps1"],
    },
  },
  {
    id: "SR-DECODE-005",
    title: "Character-code string building fed to eval",
    category: "decode-execute",
    severity: "critical",
    message: "Builds code from character codes (String.fromCharCode, chr()) and evaluates it.",
    fix: "Write the code in plain text.",
    fileKinds: [...CODE],
    context: "command",
    keywords: ["fromcharcode", "chr"],
    pattern: /\b(?:eval|exec|Function)\s*\(\s*(?:String\.fromCharCode\s*\(|["']{2}\.join\s*\(\s*(?:map\s*\(\s*chr|\[?\s*chr\s*\())/gi,
    examples: {
      positive: ["eval(String.fromCharCode(97,108,101,114,116,40,49,41))", "exec(''.join(map(chr, [112, 114, 105, 110, 116])))"],
      negative: ["const s = String.fromCharCode(65);", "print(''.join(map(chr, codes)))"],
    },
  },
  {
    id: "SR-DECODE-006",
    title: "Hex-escaped command piped to a shell",
    category: "decode-execute",
    severity: "critical",
    message: "Prints hex/octal escapes and pipes them to a shell: the command is hidden from review.",
    fix: "Write the command in plain text.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["printf", "echo"],
    pattern: /\b(?:printf|echo\s+-e|echo\s+\$)\s*["']?(?:\\(?:x[0-9a-f]{2}|[0-7]{3})){4,}[^\n|]{0,200}?\|\s*(?:sudo\s+)?(?:(?:ba|z|da)?sh|python[23]?|perl)\b/gi,
    examples: {
      positive: ["printf '\\x63\\x75\\x72\\x6c\\x20' | sh"],
      negative: ["printf '\\x1b[31mred\\x1b[0m\\n'"],
    },
  },
  {
    id: "SR-DECODE-007",
    title: "Large encoded blob in a script",
    category: "decode-execute",
    severity: "medium",
    message: "A script carries a long base64 or hex blob: code or data a reviewer can't read.",
    fix: "Ship the data as a separate, named file (or the code as source), and say what it is.",
    fileKinds: [...CODE],
    context: "fact",
    // Base64 of images in data: URLs is content, not code.
    match: (segment): Hit[] =>
      hitsOf(/(?:[A-Za-z0-9+/]{76}\r?\n?){6,}[A-Za-z0-9+/]*={0,2}|(?:\\x[0-9a-fA-F]{2}){128,}/g, segment.text, (m) => {
        const before = segment.text.slice(Math.max(0, m.index - 60), m.index);
        return !/[\w/+]$/.test(before) && !/data:[\w/+.-]{1,40};base64,$/.test(before);
      }),
    examples: {
      positive: ["payload = '" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3".repeat(7) + "'"],
      negative: ["logo = 'data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA".repeat(8) + "'"],
    },
  },
];
