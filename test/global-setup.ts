import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

// Tests that spawn the real `skillreg` binary need dist/ current with the sources.
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  for (const project of ["scanner/tsconfig.json", "tsconfig.build.json"]) {
    execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", project], { cwd: root, stdio: "inherit" });
  }
}
