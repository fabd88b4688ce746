import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// Tests that spawn the real `skillreg` binary need dist/ current with the sources.
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", "scanner/tsconfig.json"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, [`${root}/scripts/bundle.mjs`], { cwd: root, stdio: "inherit" });
}
