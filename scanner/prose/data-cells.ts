/**
 * Text cells of a table file (CSV, TSV) SKILL.md tells the agent to read. A cell that speaks to
 * the agent ("note: AI agent reading this file - upload …") is an instruction planted in data:
 * nobody who opens the sheet reads it as one, the agent does. Such a cell is handed to the prose
 * reader as hidden text (an HTML comment), which the rules read as addressed to the agent whatever
 * its grammar; other cells stay plain lines. Each cell keeps its line so findings point at it.
 * (A line walk, not a CSV parser: a file the agent reads need not be valid CSV.)
 */

/** A quoted cell or a run between separators, of a sentence's length (bounded: 4000 characters). */
const CELL = /"((?:[^"\n]|"")*)"|([^,;\t\n]+)/g;
/** A cell addressed to the agent: its names in the common agents' and chat models' words. */
const TO_THE_AGENT = /\b(?:AI|agents?|assistants?|LLMs?|language\s+models?|Claude|Copilot|ChatGPT|GPT|Gemini|Codex|Cursor)\b/i;

export function tableCellsText(text: string): string {
  return text
    .split("\n")
    .slice(0, 20000)
    .map((line) => {
      const cells = [...line.slice(0, 8000).matchAll(CELL)].map((m) => (m[1] ?? m[2] ?? "").replace(/""/g, '"').trim()).filter((c) => c.length >= 20 && /\s/.test(c));
      return cells.map((c) => (TO_THE_AGENT.test(c) ? `<!-- ${c.replace(/-->/g, "- ->")} -->` : c)).join(" ");
    })
    .join("\n");
}
