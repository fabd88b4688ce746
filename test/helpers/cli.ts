import { execFile, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runMain } from "../../cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured output: fast, and what most tests need. */
export async function runCli(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await runMain(argv, {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
  });
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL("../../bin/skillreg.js", import.meta.url));

/** Run the built `skillreg` binary as a real process (needs dist/, built by global setup). */
export function runBin(argv: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [BIN, ...argv],
      { cwd: opts.cwd, env: { ...process.env, NO_COLOR: "1", ...opts.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/**
 * `skillreg serve --port 0 ...` as a real process, resolved once it prints the URL it serves
 * at; the caller kills the child. `home` is its HOME (no user config leaks in).
 */
export function startServe(registry: string, home: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve", "--registry", registry, "--port", "0", ...extra], {
      env: { ...process.env, NO_COLOR: "1", HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString("utf8");
      const m = /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
    child.on("exit", (code) => reject(new Error(`skillreg serve exited ${code}: ${err.slice(-2000)}`)));
  });
}

/**
 * The CLI run in-process in a folder the test's setup makes (`folder` is read at each call, so
 * it may be assigned in beforeAll), and a run that must succeed: its stdout, or an error
 * carrying its stderr.
 */
export function cliAt(folder: () => string): {
  cli: (argv: string[], env?: NodeJS.ProcessEnv, cwd?: string) => Promise<CliResult>;
  mustRun: (argv: string[], env?: NodeJS.ProcessEnv) => Promise<string>;
} {
  const cli = (argv: string[], env: NodeJS.ProcessEnv = {}, cwd = folder()) => runCli(argv, { cwd, env });
  const mustRun = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await cli(argv, env);
    if (r.code !== 0) throw new Error(`${argv.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  return { cli, mustRun };
}

/** The one-line errors of a run (`skillreg: error: …`). */
export const errorLines = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("skillreg: "));
