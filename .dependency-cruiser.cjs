/**
 * The layer rules of DESIGN.md ("The layout: folders by flow"), checked by `npm run lint`:
 * cli -> flows -> core, each flow folder entered only through its index.ts, no command
 * importing another, the scanner standalone, and the site importing the registry for types only.
 */
const FLOW = "registry/(core|trust|git|publish|seal|index|client|history|forge|site-build)/";
module.exports = {
  forbidden: [
    {
      name: "flow-entry",
      comment: "Another flow folder is entered only through its index.ts (its one public entry).",
      severity: "error",
      from: { path: "^(cli|site|registry)/" , pathNot: "^registry/([^/]+)/" },
      to: { path: `^${FLOW}.+`, pathNot: `^${FLOW}index\\.ts$` },
    },
    {
      name: "flow-entry-between-flows",
      comment: "Inside registry/, a flow reaches another flow only through that flow's index.ts.",
      severity: "error",
      from: { path: "^registry/([^/]+)/" },
      to: { path: `^${FLOW}.+`, pathNot: [`^registry/$1/`, `^${FLOW}index\\.ts$`] },
    },
    {
      name: "core-is-the-bottom",
      comment: "core/ (model, layout, config, access rules) depends on no flow.",
      severity: "error",
      from: { path: "^registry/core/" },
      to: { path: "^(registry/(?!core/)|cli/|site/)" },
    },
    {
      name: "trust-and-git-below-the-flows",
      comment: "trust/ and git/ serve the flows; they import only core/ and each other.",
      severity: "error",
      from: { path: "^registry/(trust|git)/" },
      to: { path: "^(registry/(publish|seal|index|client|history|forge|site-build)/|registry/demo|cli/|site/)" },
    },
    {
      name: "registry-knows-no-terminal",
      comment: "registry/ never imports the CLI.",
      severity: "error",
      from: { path: "^registry/" },
      to: { path: "^cli/" },
    },
    {
      name: "no-command-imports-another",
      comment: "A command parses, calls one flow function and prints; shared CLI helpers live beside main.ts.",
      severity: "error",
      from: { path: "^cli/commands/" },
      to: { path: "^cli/commands/" },
    },
    {
      name: "scanner-standalone",
      comment: "@skillreg/scanner is usable alone: it imports nothing of ours.",
      severity: "error",
      from: { path: "^scanner/" },
      to: { path: "^(registry|cli|site|bench|test)/" },
    },
    {
      name: "site-types-only",
      comment: "@skillreg/site receives its data from the build; it may import registry types only.",
      severity: "error",
      from: { path: "^site/" },
      to: { path: "^(registry|cli)/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules|fixtures)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".astro"] },
  },
};
