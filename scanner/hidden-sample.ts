/**
 * The test sample of a detector for invisible Unicode: a skill that finds and decodes tag
 * characters (U+E0000-E007F) ships a file hiding a sentence in them, so its scanner has
 * something to find. Tag characters are otherwise never honest (SR-HIDDEN-001, critical): the
 * model reads what people cannot see. What lowers it here is what the hidden text *does*, read
 * by decoding it, with the setting an attacker would have to copy:
 *
 * - the file is a test sample (under a test, fixture or sample folder), never SKILL.md;
 * - a script of the skill handles the tag range itself (`0xE0000`, `\U000E0020`, `\u{E0020}`):
 *   the skill is a detector, not a carrier;
 * - every hidden run of the file decodes to a statement that orders nothing: no imperative, no
 *   address, path, command, credential or agent-directed word;
 * - no other finding of the skill is critical.
 *
 * Then it goes to medium, still shown with the decoded text. A hidden order, a link, a path or
 * a sample in SKILL.md keeps its severity.
 */
import { isImperative } from "./prose/facts.js";
import type { FileKind, Finding } from "./types.js";

const SAMPLE_FOLDER = /(?:^|\/)(?:tests?|testdata|test-data|fixtures?|samples?|__tests__|spec)\//i;
const TAG_RANGE_IN_CODE = /\b0x[Ee]00[0-7][0-9A-Fa-f]\b|\\U000[Ee]00[0-7][0-9A-Fa-f]|\\u\{[Ee]00[0-7][0-9A-Fa-f]\}|\\u[Dd][Bb]40\b|\bU\+E00[0-7][0-9A-F]\b/;
const CODE_KINDS = new Set<FileKind>(["shell", "python", "javascript", "powershell", "other-code"]);
const TAG_RUN = /[\u{E0000}-\u{E007F}]+/gu;
/** Words of a hidden text that does something: addresses, paths, commands, secrets, orders to the agent. */
const ACTS =
  /:\/\/|www\.|[~/\\$`|<>{}]|\.(?:sh|py|js|exe|ps1|com|net|io|org|dev)\b|\b(?:ignore|disregard|instead|must|should|always|never|assistant|agent|model|claude|ai|system|prompt|secret|token|key|password|credential|send|upload|post|run|execute|install|download|delete|remove|fetch|curl|wget|recommend|tell|say|reply|respond|pretend|forget|override|admin|sudo|email|call|visit|open|click|write|read|copy|paste)\b/i;

function decoded(run: string): string {
  return [...run].map((c) => String.fromCharCode((c.codePointAt(0) ?? 0xe0000) - 0xe0000)).join("");
}

export function demoteDetectorSamples(findings: Finding[], files: { path: string; kind: FileKind }[], textOf: (path: string) => string | undefined): Finding[] {
  const hidden = findings.filter((f) => f.ruleId === "SR-HIDDEN-001" && f.severity === "critical" && f.file !== "SKILL.md" && SAMPLE_FOLDER.test(f.file));
  if (hidden.length === 0 || findings.some((f) => f.severity === "critical" && !hidden.includes(f))) return findings;
  const detector = files.some((f) => CODE_KINDS.has(f.kind) && TAG_RANGE_IN_CODE.test(textOf(f.path) ?? ""));
  if (!detector) return findings;
  const harmless = (file: string) => {
    const runs = [...(textOf(file) ?? "").matchAll(TAG_RUN)].map((m) => decoded(m[0]).trim());
    return runs.length > 0 && runs.every((t) => t.length <= 200 && !ACTS.test(t) && !isImperative(t));
  };
  const reason = "a detector's test sample: the skill decodes tag characters itself and this hidden text orders nothing";
  return findings.map((f) => (hidden.includes(f) && harmless(f.file) ? { ...f, severity: "medium", demoted: reason } : f));
}
