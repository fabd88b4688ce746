/**
 * `text` as a regular expression that matches it literally. Written here because Node 20 has no
 * `RegExp.escape` (Node 24 does) and one line does not earn a dependency.
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
