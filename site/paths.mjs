/**
 * Site-relative paths of the catalog's pages (below the site's base path). The pages use
 * these for every link, and `skillreg build` takes them from this package for the links it
 * writes into SKILL.md, so a link always names a page the build writes. Pages are files
 * (astro.config.mjs build.format "file"), so paths end in .html.
 */
export const pagePaths = {
  skill: (scope, name) => `skills/${scope}/${name}.html`,
  version: (scope, name, version) => `skills/${scope}/${name}/${version}.html`,
  file: (scope, name, version, path) => `skills/${scope}/${name}/${version}/files/${path}.html`,
  scope: (scope) => `scopes/${scope}.html`,
};

/** The id of a line on a file page, for links from findings (`#L12`). */
export const lineAnchor = (line) => `L${line}`;
