import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "scanner/dist/", "node_modules/", "site/dist/", "site/.astro/", "test/fixtures/", "coverage/", ".tmp/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
