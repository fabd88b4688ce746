import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../helpers/tmp.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DEPCRUISE = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** Run the project's layer rules (the ones `npm run lint` runs) over a small tree of files. */
async function cruise(files: Record<string, string>): Promise<{ code: number; output: string }> {
  const dir = tempDir("skillreg-layers-");
  copyFileSync(join(ROOT, ".dependency-cruiser.cjs"), join(dir, ".dependency-cruiser.cjs"));
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowJs: true } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const roots = readdirSync(dir).filter((e) => !e.includes("."));
  return run(process.execPath, [DEPCRUISE, ...roots, "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd: dir }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, output: e.stdout }),
  );
}

const LEGAL = {
  "registry/core/index.ts": 'export * from "./layout.js";\n',
  "registry/core/layout.ts": "export const SKILLS_DIR = 'skills';\n",
  "registry/publish/index.ts": 'export * from "./gate.js";\n',
  "registry/publish/gate.ts": 'import { SKILLS_DIR } from "../core/index.js";\nexport const gate = SKILLS_DIR;\n',
  "cli/commands/push.ts": 'import { gate } from "../../registry/publish/index.js";\nexport const push = gate;\n',
  "scanner/index.ts": "export const scan = 1;\n",
};

describe("the layer rules", () => {
  it("accept cli -> flow entry -> core", async () => {
    const { code, output } = await cruise(LEGAL);
    expect(output).toContain("no dependency violations");
    expect(code).toBe(0);
  });

  it.each([
    ["core-is-the-bottom", { "registry/core/layout.ts": 'import { gate } from "../publish/index.js";\nexport const SKILLS_DIR = gate;\n' }],
    ["flow-entry", { "cli/commands/push.ts": 'import { gate } from "../../registry/publish/gate.js";\nexport const push = gate;\n' }],
    ["flow-entry-between-flows", { "registry/client/pull.ts": 'import { gate } from "../publish/gate.js";\nexport const pull = gate;\n' }],
    ["no-command-imports-another", { "cli/commands/pull.ts": 'import { push } from "./push.js";\nexport const pull = push;\n' }],
    ["scanner-standalone", { "scanner/engine.ts": 'import { SKILLS_DIR } from "../registry/core/index.js";\nexport const e = SKILLS_DIR;\n' }],
    ["registry-knows-no-terminal", { "registry/publish/print.ts": 'import { push } from "../../cli/commands/push.js";\nexport const p = push;\n' }],
  ])("refuse a deliberate violation of %s", async (rule, change) => {
    const { code, output } = await cruise({ ...LEGAL, ...change });
    expect(code).not.toBe(0);
    expect(output).toContain(`error ${rule}:`);
  });
});
