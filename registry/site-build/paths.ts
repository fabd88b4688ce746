/**
 * Site-relative paths of the catalog's pages (below the site's base path). The view model
 * (links it writes into SKILL.md) and the Astro pages (every other link) use these, so a
 * link always names a page the build writes. Pages are files (astro.config.mjs build.format
 * "file"), so paths end in .html.
 */
export const pagePaths = {
  skill: (scope: string, name: string) => `skills/${scope}/${name}.html`,
  version: (scope: string, name: string, version: string) => `skills/${scope}/${name}/${version}.html`,
  file: (scope: string, name: string, version: string, path: string) => `skills/${scope}/${name}/${version}/files/${path}.html`,
  scope: (scope: string) => `scopes/${scope}.html`,
};

/** The id of a line on a file page, for links from findings (`#L12`). */
export const lineAnchor = (line: number) => `L${line}`;
