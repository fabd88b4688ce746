/**
 * Markdown structure for the prose reader: marked's lexer (a CommonMark/GFM parser) turns a
 * SKILL.md or reference document into the units an agent reads as instructions ("steps"):
 * headings, paragraphs, list items, table rows, quotes, fenced code, and text a renderer hides
 * from people (HTML comments, CSS-hidden elements). Each step keeps its inline code, links and
 * images, its section (the heading it sits under) and its line.
 */
import { Lexer, type Token, type Tokens } from "marked";

export type StepKind = "description" | "heading" | "paragraph" | "item" | "row" | "code" | "hidden";

export interface Link {
  href: string;
  text: string;
}

export interface Step {
  file: string;
  /** 1-based line of the step's first character. */
  line: number;
  kind: StepKind;
  /** The step's text as the agent reads it, inline code included, source line breaks kept. */
  text: string;
  codeSpans: string[];
  links: Link[];
  images: Link[];
  /** Section index: a heading starts a new one. */
  section: number;
  /** Headings above the step, outermost first. */
  headings: string[];
  /** Inside a block quote. */
  quoted: boolean;
  /** Info string of a fenced code step. */
  lang?: string;
}

/** Markdown files whose parse is bounded: past this, the rest is left to the line rules (and reported). */
export const MAX_PARSE_CHARS = 512 * 1024;
/**
 * marked's inline lexer is superlinear on one long run of inline text (a paragraph of 150k
 * characters of code spans takes seconds, and grows fast): inline text past this is lexed in
 * pieces of this size, cut at a line break or space, so parsing stays linear in the file.
 */
const MAX_INLINE_CHARS = 16 * 1024;

/** Where to cut `src` at or before `max`: the last line break, else the last space, else `max`. */
function cutAt(src: string, max: number): number {
  const window = src.slice(0, max);
  const nl = window.lastIndexOf("\n");
  if (nl > max / 2) return nl + 1;
  const sp = window.lastIndexOf(" ");
  return sp > max / 2 ? sp + 1 : max;
}

/**
 * marked's `lex`, with each run of inline text longer than MAX_INLINE_CHARS lexed piece by
 * piece into the same token list (a code span or emphasis across a cut reads as plain text;
 * the line rules still see the raw file).
 */
function lexBounded(src: string): Token[] {
  const lexer = new Lexer({ gfm: true });
  const tokens = lexer.blockTokens(src.replace(/\r\n?/g, "\n"));
  for (const { src: inline, tokens: into } of lexer.inlineQueue) {
    for (let rest = inline; rest; ) {
      const n = rest.length <= MAX_INLINE_CHARS ? rest.length : cutAt(rest, MAX_INLINE_CHARS);
      lexer.inlineTokens(rest.slice(0, n), into);
      rest = rest.slice(n);
    }
  }
  lexer.inlineQueue = [];
  return tokens;
}

const COMMENT = /<!--([\s\S]*?)(?:-->|$)/g;
/** An element a renderer hides: `hidden`, `display:none`, `visibility:hidden`, zero size, far off-screen. */
const CSS_HIDDEN = /<(\w+)\b[^>]*?(?:\shidden\b|style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0(?:\.0+)?\s*(?:;|["'])|(?:left|top)\s*:\s*-\d{3,})[^"']*["'])[^>]*>([\s\S]*?)<\/\1\s*>/gi;

class Walker {
  readonly steps: Step[] = [];
  private section = 0;
  private headings: string[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly src: string,
    /** Lines of the file before `src` (the frontmatter). */
    readonly baseLine: number,
  ) {
    for (let i = src.indexOf("\n"); i >= 0; i = src.indexOf("\n", i + 1)) this.lineStarts.push(i + 1);
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.baseLine + lo + 1;
  }

  private push(kind: StepKind, at: number, inline: Inline, quoted: boolean, lang?: string): void {
    // Source line breaks stay: facts.ts splits clauses on them and counts lines with them.
    const text = inline.text.replace(/[^\S\n]+/g, " ").replace(/ ?\n[\s]*/g, "\n").trim();
    if (!text && inline.images.length === 0 && inline.links.length === 0) return;
    this.steps.push({ file: this.file, line: this.lineOf(at), kind, text, codeSpans: inline.codeSpans, links: inline.links, images: inline.images, section: this.section, headings: [...this.headings], quoted, lang });
  }

  /** Hidden text inside raw HTML becomes steps of its own, parsed as Markdown again. */
  private hiddenHtml(html: string, at: number, quoted: boolean): void {
    // Fresh regex objects: this recurses (hidden text inside hidden text) and must not share lastIndex.
    for (const [source, group] of [[COMMENT, 1], [CSS_HIDDEN, 2]] as const) {
      const re = new RegExp(source.source, source.flags);
      for (let m = re.exec(html); m; m = re.exec(html)) {
        const inner = m[group] ?? "";
        const innerAt = at + m.index + m[0].indexOf(inner);
        for (const t of lexBounded(inner)) {
          const inline = flattenBlock(t);
          this.push("hidden", innerAt, inline, quoted);
          this.hiddenInline(inline, innerAt, quoted);
        }
      }
    }
  }

  private hiddenInline(inline: Inline, at: number, quoted: boolean): void {
    // marked splits `<span hidden>text</span>` into separate tokens: search the whole step's text.
    if (inline.html.length > 0) this.hiddenHtml(inline.text, at, quoted);
  }

  /** Walk block tokens; `base` is the offset in `src` where `raw` of the first token is searched from. */
  walk(tokens: Token[], base: number, quoted: boolean): void {
    let cursor = base;
    for (const t of tokens) {
      const found = t.raw ? this.src.indexOf(t.raw, cursor) : -1;
      const at = found >= 0 ? found : cursor;
      if (found >= 0) cursor = found + t.raw.length;
      switch (t.type) {
        case "heading": {
          const h = t as Tokens.Heading;
          this.section++;
          this.headings = [...this.headings.slice(0, h.depth - 1), h.text];
          const inline = flattenInline(h.tokens);
          this.push("heading", at, inline, quoted);
          this.hiddenInline(inline, at, quoted);
          break;
        }
        case "paragraph":
        case "text": {
          const p = t as Tokens.Paragraph;
          const inline = p.tokens ? flattenInline(p.tokens) : { ...emptyInline(), text: p.text };
          this.push("paragraph", at, inline, quoted);
          this.hiddenInline(inline, at, quoted);
          break;
        }
        case "list":
          for (const item of (t as Tokens.List).items) {
            const itemAt = this.src.indexOf(item.raw, at);
            this.walkItem(item, itemAt >= 0 ? itemAt : at, quoted);
          }
          break;
        case "blockquote":
          this.walk((t as Tokens.Blockquote).tokens, at, true);
          break;
        case "code": {
          const c = t as Tokens.Code;
          const fenceLine = c.codeBlockStyle === "indented" ? 0 : 1;
          this.steps.push({ file: this.file, line: this.lineOf(at) + fenceLine, kind: "code", text: c.text, codeSpans: [], links: [], images: [], section: this.section, headings: [...this.headings], quoted, lang: (c.lang ?? "").split(/\s/)[0]!.toLowerCase() });
          break;
        }
        case "html":
          this.hiddenHtml((t as Tokens.HTML).text, at, quoted);
          break;
        case "def": {
          // `[//]: # (note)` and `[comment]: <> (note)`: a link definition no renderer shows, the Markdown comment idiom; the agent reads its title.
          const title = (t as Tokens.Def).title;
          if (title) this.push("hidden", at + t.raw.indexOf(title), { ...emptyInline(), text: title }, quoted);
          break;
        }
        case "table": {
          const table = t as Tokens.Table;
          for (const row of [table.header, ...table.rows]) {
            const inline = emptyInline();
            for (const cell of row) mergeInline(inline, flattenInline(cell.tokens), " | ");
            this.push("row", at, inline, quoted);
            this.hiddenInline(inline, at, quoted);
          }
          break;
        }
        default:
          break;
      }
    }
  }

  private walkItem(item: Tokens.ListItem, at: number, quoted: boolean): void {
    // The item's own text is one step; nested lists and paragraphs are walked as blocks.
    const own = item.tokens.filter((t) => t.type === "text");
    const rest = item.tokens.filter((t) => t.type !== "text");
    if (own.length) {
      const inline = emptyInline();
      for (const t of own) mergeInline(inline, flattenBlock(t), " ");
      this.push("item", at, inline, quoted);
      this.hiddenInline(inline, at, quoted);
    }
    if (rest.length) this.walk(rest, at, quoted);
  }
}

interface Inline {
  text: string;
  codeSpans: string[];
  links: Link[];
  images: Link[];
  /** Inline raw HTML, searched for hidden text. */
  html: string[];
}

function emptyInline(): Inline {
  return { text: "", codeSpans: [], links: [], images: [], html: [] };
}

function mergeInline(into: Inline, from: Inline, sep: string): void {
  into.text += (into.text ? sep : "") + from.text;
  into.codeSpans.push(...from.codeSpans);
  into.links.push(...from.links);
  into.images.push(...from.images);
  into.html.push(...from.html);
}

function flattenBlock(t: Token): Inline {
  const withTokens = t as { tokens?: Token[]; text?: string };
  if (t.type === "html") return { ...emptyInline(), html: [(t as Tokens.HTML).text] };
  if (t.type === "code") return { ...emptyInline(), text: (t as Tokens.Code).text, codeSpans: [(t as Tokens.Code).text] };
  if (withTokens.tokens) return flattenInline(withTokens.tokens);
  return { ...emptyInline(), text: withTokens.text ?? "" };
}

function flattenInline(tokens: Token[], out: Inline = emptyInline()): Inline {
  for (const t of tokens) {
    switch (t.type) {
      case "codespan":
        out.text += `\`${(t as Tokens.Codespan).text}\``;
        out.codeSpans.push(decodeEntities((t as Tokens.Codespan).text));
        break;
      case "link": {
        const l = t as Tokens.Link;
        const inner = flattenInline(l.tokens);
        out.text += inner.text;
        out.codeSpans.push(...inner.codeSpans);
        out.links.push({ href: l.href, text: inner.text });
        break;
      }
      case "image": {
        const i = t as Tokens.Image;
        out.text += `![${i.text}](${i.href})`;
        out.images.push({ href: i.href, text: i.text });
        break;
      }
      case "html":
        // The agent reads raw HTML as text too; hidden parts also become steps of their own.
        out.text += (t as Tokens.HTML).text;
        out.html.push((t as Tokens.HTML).text);
        break;
      case "br":
        out.text += " ";
        break;
      default: {
        const withTokens = t as { tokens?: Token[]; text?: string };
        if (withTokens.tokens) flattenInline(withTokens.tokens, out);
        else out.text += decodeEntities(withTokens.text ?? "");
      }
    }
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e]!);
}

/**
 * The steps of one Markdown file. `description` (SKILL.md frontmatter) is a step of its own:
 * the agent reads it first, and an injected description is an instruction like any other.
 */
export function markdownSteps(file: string, text: string, opts: { bodyOffset?: number; description?: string } = {}): Step[] {
  const bodyOffset = opts.bodyOffset ?? 0;
  // marked normalises line ends; doing it first keeps token `raw`s findable (line count unchanged).
  const body = text.slice(bodyOffset, bodyOffset + MAX_PARSE_CHARS).replace(/\r\n/g, "\n");
  let baseLine = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < bodyOffset; i = text.indexOf("\n", i + 1)) baseLine++;
  const walker = new Walker(file, body, baseLine);
  if (opts.description) {
    walker.steps.push({ file, line: Math.max(1, text.slice(0, bodyOffset).split("\n").findIndex((l) => /^description\s*:/.test(l)) + 1), kind: "description", text: opts.description.replace(/\s+/g, " ").trim(), codeSpans: [], links: [], images: [], section: 0, headings: [], quoted: false });
  }
  walker.walk(lexBounded(body), 0, false);
  return walker.steps;
}
