import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "scanner/dist/", "node_modules/", "site/dist/", "site/.astro/", "test/fixtures/", "coverage/", ".tmp/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Every scan skillreg makes goes through the scan cache (registry/core/scan-cache.ts), so a
    // version is scanned once and the scanner's run count is the whole truth. The scanner itself
    // is loaded on demand by registry/core/scanner.ts, whose scanner() only the scan cache scans with.
    files: ["registry/**/*.ts", "cli/**/*.ts"],
    ignores: ["registry/core/scanner.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "@skillreg/scanner", importNames: ["scanSkill"], message: "scan through scanCacheFor(env) or openScanCache (registry/core/scan-cache.ts)" }] },
      ],
    },
  },
);
