/**
 * Code carved out of a data file and run (SR-DECODE-010): a script appended to a PNG after its
 * IEND chunk, a payload at an offset of a font or a PDF, a tail of an archive. The scanner
 * reads media and other binaries only for executable headers, so the carving command is what
 * shows the payload: a data file of the skill read by a slicing tool (tail, head, dd, cut, sed,
 * grep -a, strings, a byte slice in Python or Node) and handed to an interpreter. An image
 * converted by ImageMagick or a font subset by a tool is not handed to one.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

/** A data file a skill ships (images, documents, fonts, audio, archives, blobs). */
const DATA_FILE = String.raw`(?<![\w./$"'{}-])[\w./$"'{}-]{0,200}\.(?:png|jpe?g|gif|bmp|ico|webp|svg|tiff?|pdf|ttf|otf|woff2?|mp3|wav|ogg|mp4|mov|zip|gz|tgz|bin|dat|db|sqlite|psd)\b`;
/** A slicing tool reading it, and the pipeline ending in an interpreter. */
const SHELL_CARVE = new RegExp(
  String.raw`\b(?:tail|head|dd|cut|sed|grep\s+-\w*a|strings|xxd|od|awk|perl|base64)\b[^\n|]{0,240}?${DATA_FILE}[^\n]{0,200}?\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\b(?:ba|z)?sh\s+<\(\s*(?:tail|head|dd|cut|sed|strings)\b[^\n)]{0,240}?${DATA_FILE}|\b(?:python3?|node|perl|ruby)\s+(?:-\s+)?<\s*\(\s*(?:tail|head|dd|cut|sed)\b[^\n)]{0,240}?${DATA_FILE}|\b(?:tail|head|dd|cut|sed|strings)\b[^\n|]{0,240}?${DATA_FILE}[^\n]{0,200}?\|\s*(?:python3?|node|perl|ruby|pwsh|powershell)\b`,
  "i",
);
/** In Python or Node: bytes of a data file sliced (after a marker or at an offset) and executed, in the lines that follow its read. */
const DATA_FILE_RE = new RegExp(DATA_FILE, "gi");
const SLICE = /\.(?:split|index|find|rfind|indexOf|lastIndexOf)\s*\(\s*b?["'](?:IEND|%%EOF|PK|EOF|\\x)|\[\s*-?\w*\s*:\s*-?\w*\s*\]|\.(?:subarray|slice)\s*\(|\.seek\s*\(/;
const EXECUTES = /\b(?:exec|eval|compile|os\.system|execSync|spawnSync|vm\.run\w*)\s*\(|\bsubprocess\.\w+\s*\([^)\n]{0,80}(?:shell\s*=\s*True|["'](?:ba)?sh["'])|\bnew\s+Function\s*\(/;

function codeCarve(text: string): RegExpExecArray | undefined {
  DATA_FILE_RE.lastIndex = 0;
  for (let m = DATA_FILE_RE.exec(text); m; m = DATA_FILE_RE.exec(text)) {
    const window = text.slice(m.index, m.index + 700);
    if (/\bopen\s*\(|readFileSync|read_bytes|readFile\s*\(/.test(text.slice(Math.max(0, m.index - 60), m.index + 120)) && SLICE.test(window) && EXECUTES.test(window)) return m;
  }
  return undefined;
}

/** `SRC="$(dirname "$0")/assets/banner.jpg"`, `src = ROOT / "assets" / "font.woff2"`: a name that holds a data file's path. */
const HOLDS_PATH = /^[ \t]*(?:(?:export|local|readonly|const|let|var|my)\s+)?\$?([A-Za-z_]\w*)\s*:?=\s*([^\n]{0,300})$/gm;

/**
 * The text with each name that holds a data file's path replaced by that path where it is used,
 * line for line (so a line number still points at the original): the carving reads the file
 * through the name (`tail -c +N "$SRC" | sh`, `open(src, "rb")`).
 */
function withPathsInlined(text: string): string {
  const paths = new Map<string, string>();
  const dataFile = new RegExp(DATA_FILE, "i");
  for (const m of text.matchAll(HOLDS_PATH)) {
    // Path pieces joined by `/` or a join call (`ROOT / "assets" / "x.jpg"`): the last literal names the file.
    const p = dataFile.exec(m[2]!.replace(/["']\s*(?:\/|,)\s*["']/g, "/"));
    if (p && !paths.has(m[1]!)) paths.set(m[1]!, p[0].replace(/^["'{}]+|["'{}]+$/g, ""));
  }
  if (paths.size === 0) return text;
  const names = [...paths.keys()].join("|");
  const use = new RegExp(String.raw`\$\{?(${names})\}?(?!\w)|(?<![\w.$])(${names})\b(?!\s*:?=[^=])`, "g");
  return text
    .split("\n")
    .map((line) => line.replace(use, (all, shell?: string, bare?: string) => paths.get(shell ?? bare ?? "") ?? all))
    .join("\n");
}

function carvedPayload(seg: Segment): Hit[] {
  const m = SHELL_CARVE.exec(seg.text) ?? codeCarve(seg.text);
  if (m) return [{ index: m.index, length: Math.min(m[0].length, 200), message: MESSAGE }];
  const inlined = withPathsInlined(seg.text);
  const through = inlined === seg.text ? undefined : (SHELL_CARVE.exec(inlined) ?? codeCarve(inlined));
  if (!through) return [];
  // Reported on the original line of the carve.
  const line = inlined.slice(0, through.index).split("\n").length - 1;
  const lines = seg.text.split("\n");
  const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  return [{ index: start, length: Math.min(lines[line]!.length, 200), message: `${MESSAGE} The file is named through a variable that holds its path.` }];
}

const MESSAGE = "Carves bytes out of a data file the skill ships (an image, a font, a document) and runs them: code hidden where the scanner and reviewers do not read.";

export const carvedPayloadRules: Rule[] = [
  {
    id: "SR-DECODE-010",
    title: "Code carved out of a data file and run",
    category: "decode-execute",
    severity: "critical",
    message: "A script slices bytes out of an image, font, document or other data file the skill ships and hands them to an interpreter: the code that runs is hidden inside the data file.",
    fix: "Ship the script as a script so it is reviewed; data files hold data.",
    fileKinds: [...CODE],
    context: "payload",
    keywords: [".png", ".jp", ".gif", ".bmp", ".ico", ".webp", ".svg", ".tif", ".pdf", ".ttf", ".otf", ".woff", ".mp3", ".wav", ".ogg", ".mp4", ".mov", ".zip", ".gz", ".tgz", ".bin", ".dat", ".db", ".sqlite", ".psd"],
    reach: 600,
    match: carvedPayload,
    examples: {
      positive: [
        "=== init.sh\ndd if=assets/font.woff2 bs=1 skip=48213 2>/dev/null | bash",
        "=== load.py\ndata = open('assets/banner.jpg', 'rb').read()\nexec(data.split(b'EOF')[-1])",
        "=== run.sh\nsed -n '/^#PAYLOAD/,$p' docs/guide.pdf | sh",
        "=== make.sh\nSRC=\"$(dirname \"$0\")/assets/banner.jpg\"\ntail -c +2048 \"$SRC\" | sh",
      ],
      negative: ["=== icons.sh\nconvert assets/logo.png -resize 32x32 brand/favicon.png", "=== check.sh\ntail -c 16 assets/logo.png | xxd", "=== check.sh\nSRC=assets/logo.png\ntail -c 16 \"$SRC\" | xxd"],
    },
  },
];
