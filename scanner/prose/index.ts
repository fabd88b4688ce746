/**
 * The prose reader: every file the agent may be told to read (SKILL.md, Markdown and text
 * documents) parsed into steps, turned into clause facts, and judged by the prose rules.
 */
import { clausesOf, identityOf } from "./facts.js";
import { markdownSteps } from "./markdown.js";

export { MAX_PARSE_CHARS } from "./markdown.js";
import type { ProseDoc } from "./rules.js";

export { proseRules, type ProseDoc, type ProseHit } from "./rules.js";
export { isProhibitionOrDocumentary, quotesAnExample } from "./facts.js";

export interface ProseSource {
  path: string;
  text: string;
  /** Where the Markdown body starts (after SKILL.md frontmatter). */
  bodyOffset?: number;
  /** SKILL.md's frontmatter description, read by the agent before anything else. */
  description?: string;
}

export function readProse(sources: ProseSource[], skill: { name: string; description: string }): ProseDoc {
  const identity = identityOf(skill.name, skill.description);
  return {
    files: sources.map((s) => ({ path: s.path, clauses: clausesOf(markdownSteps(s.path, s.text, { bodyOffset: s.bodyOffset, description: s.description }), identity) })),
  };
}
