import { loadScanner } from "../registry/core/index.js";

// Tests call the registry's flows directly, as cli/main.ts does after loading the scanner.
await loadScanner();
