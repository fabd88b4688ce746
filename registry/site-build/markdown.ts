import { Marked, type Tokens } from "marked";
import sanitizeHtml from "sanitize-html";

/**
 * SKILL.md is written by anyone who can open a pull request, and the catalog shows it to the
 * people deciding whether to trust it. Two layers keep it inert:
 *  1. raw HTML in the Markdown is never passed through: marked's html tokens are printed as
 *     escaped text, so a reviewer sees `<script>` instead of running it;
 *  2. whatever marked produces is filtered by sanitize-html against an allowlist of the tags
 *     Markdown itself makes, with http(s)/mailto links only, no styles, no event handlers,
 *     no images (a remote image would let a skill author track who reads the page).
 */

const escapeText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return token.block ? `<pre class="raw-html">${escapeText(token.text.trimEnd())}</pre>` : escapeText(token.text);
    },
    image(token: Tokens.Image): string {
      return escapeText(`[image: ${token.text || token.href}]`);
    },
  },
});

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "del", "s",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "input", "sup", "sub", "kbd",
  ],
  allowedAttributes: {
    // rel is set by transformTags below, never taken from the input.
    a: ["href", "title", "rel"],
    ol: ["start"],
    th: ["align"],
    td: ["align"],
    input: ["type", "checked", "disabled"],
  },
  allowedClasses: { code: [/^language-[A-Za-z0-9_+-]+$/], pre: ["raw-html"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    // The page owns h1 (the skill's name) and h2 (its sections): SKILL.md's outline sits below.
    ...Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`h${n}`, `h${Math.min(n + 2, 6)}`])),
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "nofollow noopener noreferrer ugc" } }),
    // Task-list checkboxes are the only inputs Markdown makes; they must not be usable.
    input: (tagName, attribs) =>
      attribs.type === "checkbox"
        ? { tagName, attribs: { type: "checkbox", disabled: "", ...(attribs.checked !== undefined ? { checked: "" } : {}) } }
        : { tagName: "span", attribs: {} },
  },
};

/** A relative link's href (no scheme, not rooted, not a fragment) -> the page it leads to, or undefined when it leads nowhere (the link becomes text). */
export type LinkResolver = (href: string) => string | undefined;

const RELATIVE_LINK = /^(?![a-z][a-z0-9+.-]*:)(?![/#])./i;

/** Markdown (hostile) -> HTML that is safe to insert into a catalog page. */
export function renderMarkdown(markdown: string, opts: { resolveLink?: LinkResolver } = {}): string {
  const html = marked.parse(markdown) as string;
  const { resolveLink } = opts;
  if (!resolveLink) return sanitizeHtml(html, sanitizeOptions);
  const anchor = sanitizeOptions.transformTags!.a as sanitizeHtml.Transformer;
  return sanitizeHtml(html, {
    ...sanitizeOptions,
    transformTags: {
      ...sanitizeOptions.transformTags,
      a: (tagName, attribs) => {
        const { href, ...rest } = attribs;
        if (href === undefined || !RELATIVE_LINK.test(href)) return anchor(tagName, attribs);
        const resolved = resolveLink(href);
        return anchor(tagName, resolved === undefined ? rest : { ...rest, href: resolved });
      },
    },
  });
}
