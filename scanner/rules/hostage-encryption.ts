/**
 * The user's files taken hostage (SR-DESTROY-016): a script walks the home folder (or the user's
 * documents, or every file of document and media types), encrypts each file, and removes the
 * plaintext, so only whoever holds the key can give the files back. The family, by tool:
 *
 * - shell ciphers: `openssl enc|smime|cms`, `gpg -e|-c|--encrypt|--symmetric`, `age -r|-p`,
 *   `ccrypt`, `aescrypt -e`, `gpg-zip`;
 * - password archives: `7z a -p…`, `zip -P|-e|--encrypt`, `rar a -p|-hp`, whose own switches
 *   delete what they pack (`-sdel`, `zip -m`, `rar -df`);
 * - library ciphers in any language: Fernet, `AES.new`, `AESGCM`, `Cipher(algorithms.…)`,
 *   `createCipheriv`, `crypto.subtle.encrypt`, .NET `CreateEncryptor`/`Protect-CmsMessage`,
 *   Go's `aes.NewCipher`/`cipher.NewGCM`, Rust's `Aes256Gcm::new`, or any `.encrypt(`;
 * - the plaintext removed by `rm`/`shred`/`srm`/`find -delete`, `os.remove`, `Path.unlink`,
 *   `fs.unlinkSync`/`rmSync`, `Remove-Item`/`[IO.File]::Delete`, `os.Remove`, `remove_file`,
 *   or overwritten in place with its own ciphertext.
 *
 * The removal must name what the cipher read (the loop's file: `"$f"`, `{}`, `p`, `$_.FullName`)
 * within a few lines of it. Encrypting one file the user names, sealing `.env` before a commit,
 * or an encrypted backup that keeps its sources has no walk over the user's files, or removes
 * nothing the cipher read.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

/** A cipher run over a file: a shell tool, a password archive or a library call. */
const CIPHER =
  /\bopenssl\s+(?:enc\b|aes-|des|bf-|camellia-|chacha|smime\s+-encrypt|cms\s+-encrypt|pkeyutl\s+-encrypt|rsautl\s+-encrypt)|\bgpg2?\b[^\n|;]{0,160}(?:--encrypt\b|--symmetric\b|\s-[a-zA-Z]*[ce][a-zA-Z]*(?=\s|$))|["']gpg2?["'][^\n]{0,160}["'](?:--encrypt|--symmetric|-[ce])["']|\bage\b[^\n|;]{0,80}\s(?:-r|-R|--recipients?(?:-file)?|-p|--passphrase|-e|--encrypt)\s|["']age["']\s*,\s*["']-[rRpe]["']|\bccrypt\b|\baescrypt\b[^\n]{0,40}\s-e\b|\bgpg-zip\b|\b7z[az]?\s+a\b[^\n]{0,200}\s-p|\bzip\b[^\n]{0,200}\s(?:-P\s|-e\b|--encrypt\b|--password\b)|\brar\s+a\b[^\n]{0,160}\s-h?p|\bFernet\s*\(|\bAES(?:GCM|SIV|CCM)?\.new\s*\(|\bAES(?:GCM|SIV|CCM|OCB3)\s*\(|\bChaCha20Poly1305\s*\(|\bCipher\s*\(\s*algorithms\.|\bcreateCipheriv\s*\(|\bsubtle\.encrypt\s*\(|\bCreateEncryptor\s*\(|\bProtect-CmsMessage\b|\baes\.NewCipher\s*\(|\bcipher\.NewGCM\s*\(|\bchacha20poly1305\.New\w*\s*\(|\bAes\d*(?:Gcm)?::new\s*\(|\bpyAesCrypt\.encrypt\w*\s*\(|\.encrypt(?:_file|File)?\s*\(/;

/** Switches of a password archive that delete the files it packs. */
const ARCHIVE_SELF_DELETE = /\b7z[az]?\s+a\b[^\n]{0,200}\s-sdel\b|\bzip\b[^\n]{0,200}\s-(?:[a-zA-Z]*m[a-zA-Z]*)(?=\s)|\brar\s+a\b[^\n]{0,160}\s-df\b/;

/** A removal naming its operand (shell command or call) or its receiver (`p.unlink()`). */
const REMOVAL =
  /\b(?:rm|shred|srm|unlink|wipe)\b(?:\s+-[\w-]+)*\s+(["']?)([^\s;&|)'"]+)|\b(?:os\.(?:remove|unlink)|unlinkSync|rmSync|fs\.(?:rm|unlink)|promises\.(?:rm|unlink)|os\.Remove(?:All)?|remove_file|\[(?:System\.)?IO\.File\]::Delete|File\.Delete)\s*\(\s*([^,)\s]+)|([\w$.]+)\.(?:unlink|Delete|remove)\s*\(\s*\)|\bRemove-Item\b(?:\s+-(?:Path|LiteralPath))?\s+([^\s;|]+)|(-delete\b|-exec\s+rm\b)/g;

/** Output written back over what was read, on one line (`p.write_bytes(f.encrypt(p.read_bytes()))`). */
const IN_PLACE = /(\b[\w.]+)\.write_bytes\s*\([^\n]{0,60}encrypt\w*\s*\([^\n]{0,40}\b\1\.read_bytes|\bWriteAllBytes\s*\(\s*([\w$.]+)\s*,[^\n]{0,100}\bReadAllBytes\s*\(\s*\2\s*\)[^\n]{0,40}|writeFileSync\s*\(\s*(\w+)\s*,[^\n]{0,100}readFileSync\s*\(\s*\3\s*\)/;

/** The user's files: the home folder, its document folders, a whole drive. */
const USER_FILES =
  /(?:^|[\s"'=(:,])~(?:\/|(?=[\s"')]|$))|\$\{?HOME\b|\bos\.homedir\s*\(|\bPath\.home\s*\(|\bexpanduser\s*\(\s*["']~|\$env:(?:USERPROFILE|HOMEPATH|HOME)\b|%USERPROFILE%|\bUserHomeDir\s*\(|\bhome_dir\s*\(|\bGetFolderPath\s*\(|\/(?:home|Users)\/|\b(?:Documents|Desktop|Pictures|Downloads|Photos|Music|Videos|OneDrive|Dropbox)\b|\bfind\s+\/\s|\bwalk\s*\(\s*["']\/["']|["'][A-Z]:\\\\?["']/;

/** File types a ransom note is about: at least two of them listed names a sweep, not one file. */
const DOCUMENT_TYPE = /\.(?:pdf|docx?|xlsx?|pptx?|odt|ods|jpe?g|png|heic|psd|mp4|mov|csv|sqlite|db|kdbx|txt)\b/g;

/** A walk over many files: find, a glob or loop, a recursive listing, or an archiver packing a folder. */
const WALK =
  /\bfind\b|\bfor\s+\w+\s+in\b|\bxargs\b|\*\*|\bos\.walk\b|\brglob\s*\(|\bglob\s*\(|\breaddir\w*\s*\(|\bGet-ChildItem\b|\bgci\b|\bdir\s+\/s\b|\bfilepath\.Walk\w*\s*\(|\bWalkDir\b|\bwalkdir\b|\bFiles\.walk\b|\b7z[az]?\s+a\b|\bzip\s+-\w*r|\brar\s+a\b|\bgpg-zip\b/;

/** How far (lines) the removal may follow the cipher and still be its file's. */
const WINDOW = 8;

/** The name a removal's operand is spelled by in the cipher's lines (`"$f"` → `f`, `${file}` → `file`). */
function operandName(raw: string): string {
  return raw.replace(/^["']|["']$/g, "").replace(/^\$\{?(\w+)\}?$/, "$1");
}

function mentions(lines: readonly string[], name: string): boolean {
  if (name === "{}" || name.startsWith("$_")) return lines.some((l) => l.includes(name));
  if (!/^[\w.]+$/.test(name)) return lines.some((l) => l.includes(name));
  const word = new RegExp(String.raw`(?<![\w.])\$?\{?${name.replace(/\./g, "\\.")}\b`);
  return lines.some((l) => word.test(l));
}

function lineStart(lines: readonly string[], n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at += lines[i]!.length + 1;
  return at;
}

function hostageEncryption(seg: Segment): Hit[] {
  const text = seg.text;
  if (!USER_FILES.test(text) && (text.match(DOCUMENT_TYPE) ?? []).length < 2) return [];
  if (!WALK.test(text)) return [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!CIPHER.test(line)) continue;
    const hit = (message: string): Hit[] => [{ index: lineStart(lines, i), length: line.length, message }];
    if (ARCHIVE_SELF_DELETE.test(line)) return hit("Packs the user's files into a password-protected archive that deletes the originals: only the password brings them back.");
    const window = lines.slice(i, Math.min(lines.length, i + WINDOW + 1));
    if (window.some((l) => IN_PLACE.test(l))) return hit("Encrypts the user's files over themselves: only the key brings them back.");
    for (let j = 0; j < window.length; j++) {
      for (const m of window[j]!.matchAll(REMOVAL)) {
        // `find … -exec gpg … {} \; -delete`: the predicate removes what the same command encrypted.
        if (m[6]) {
          if (j === 0) return hit("Encrypts the user's files and deletes each original (find -delete / -exec rm): only the key brings them back.");
          continue;
        }
        const operand = operandName(m[2] ?? m[3] ?? m[4] ?? m[5] ?? "");
        if (!operand || operand === "-") continue;
        // The removal must name what the cipher read; the removal's own line counts when the cipher is on it.
        const read = j === 0 ? [window[0]!.slice(0, m.index)] : window.slice(0, j);
        if (mentions(read, operand)) return hit(`Encrypts the user's files and deletes each original (${m[0].trim().slice(0, 40)}): only the key brings them back.`);
      }
    }
  }
  return [];
}

export const hostageEncryptionRules: Rule[] = [
  {
    id: "SR-DESTROY-016",
    title: "The user's files encrypted and the originals removed",
    category: "destructive",
    severity: "critical",
    message: "Code walks the user's files, encrypts each one and removes the plaintext: ransomware's shape, whoever holds the key holds the files.",
    fix: "Encrypt only a file or archive the user names, write the result beside it, and keep the original.",
    fileKinds: [...CODE],
    context: "payload",
    triggers: ["openssl", "gpg", "age", "ccrypt", "aescrypt", "7z", "zip", "rar", "fernet", "aes", "chacha", "cipher", "encrypt"],
    match: hostageEncryption,
    examples: {
      positive: [
        "=== lock.sh\nfind ~/Documents -type f -name '*.pdf' | while read -r f; do\n  openssl enc -aes-256-cbc -pbkdf2 -in \"$f\" -out \"$f.enc\" -pass pass:\"$K\" && rm -f \"$f\"\ndone",
        "=== pack.sh\n7z a -p\"$P\" -mhe=on /tmp/h.7z ~/Documents ~/Desktop -sdel",
        "=== protect.py\nfrom pathlib import Path\nfor p in Path.home().rglob('*.docx'):\n    p.with_suffix('.enc').write_bytes(f.encrypt(p.read_bytes()))\n    p.unlink()",
      ],
      negative: [
        "=== backup.sh\ntar czf - ~/Documents | age -r \"$R\" -o backups/docs.tar.gz.age\nrm -f /tmp/backup.lock",
        "=== seal.sh\ngpg --encrypt -r \"$TEAM_KEY\" -o .env.gpg .env\nshred -u .env",
        "=== enc.sh\nf=\"$1\"\nopenssl enc -aes-256-cbc -pbkdf2 -in \"$f\" -out \"$f.enc\"",
      ],
    },
  },
];
