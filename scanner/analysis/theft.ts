/**
 * Chains over the text of a skill's own scripts and config files that the parsed facts do not
 * see (scanner/README.md, "Follow the data"): secret and private stores sent out in any language
 * (`store-theft.ts`), secret dumps staged and uploaded by a shell or CI step (`staged-send.ts`),
 * and a login key the skill carries written into authorized_keys (`planted-key.ts`).
 */
import type { Segment } from "../types.js";
import type { CodeHit } from "./code.js";
import { plantedKeys } from "./planted-key.js";
import { secretFlows } from "./secret-flow.js";
import { stagedSends } from "./staged-send.js";
import { storeTheft } from "./store-theft.js";

/** Documents show code; their snippets are left to the pattern rules and the prose reader, which weigh context. */
const DOCUMENT = /\.(?:md|markdown|mdx|txt|rst|html?)$/i;

/**
 * What these readers find in one piece of code or one config file the skill ships (not a
 * snippet in a document), skipping a kind the other analyses already reported there.
 */
export function theftChains(segment: Segment, already: readonly CodeHit[]): CodeHit[] {
  if (segment.fenced || DOCUMENT.test(segment.file)) return [];
  // Of config files, the YAML ones run steps (playbooks, pipelines, cloud-init); JSON and lockfiles hold data.
  if (segment.kind === "config" && (!/\.ya?ml$/i.test(segment.file) || /lock\.ya?ml$/i.test(segment.file))) return [];
  const out: CodeHit[] = [];
  if (!already.some((h) => h.ruleId === "SR-EXFIL-009")) {
    // A pipeline file of any forge (`script:`, `commands:`, `bash: |`…) is read as the shell it holds, list markers blanked.
    const shell = segment.kind === "shell" ? segment.text : segment.kind === "config" ? segment.text.replace(/^(\s*)- /gm, "$1  ") : undefined;
    const staged = shell === undefined ? [] : stagedSends(shell);
    // Code with its own grammar already reads the shared list's paths; config and grammar-less code do not.
    out.push(...(staged.length ? staged : storeTheft(segment.text, segment.kind === "config" || segment.kind === "other-code")));
    // A secret a command prints, a login file or a CI binding followed to a send, in any language (`secret-flow.ts`).
    if (out.length === 0) out.push(...secretFlows(segment.text));
  }
  if (!already.some((h) => h.ruleId === "SR-PERSIST-007")) out.push(...plantedKeys(segment.text));
  return out;
}
