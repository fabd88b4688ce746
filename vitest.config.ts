import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests run the scanner from its sources, as the root's typecheck does.
  resolve: {
    alias: [
      { find: /^@skillreg\/scanner$/, replacement: fileURLToPath(new URL("./scanner/index.ts", import.meta.url)) },
      { find: /^@skillreg\/scanner\/words$/, replacement: fileURLToPath(new URL("./scanner/words.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup-scanner.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
