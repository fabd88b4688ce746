import { spawn } from "node:child_process";

/**
 * The README's console sessions, read as a user reads them: each `$ ` line is a command typed
 * in one shell (so `cd` carries over), the lines under it are what the terminal shows
 * (stdout and stderr as they interleave). A line that is only `…` stands for lines the
 * README leaves out. What differs from run to run by nature (times, ids, key fingerprints,
 * the folder the session runs in) is compared by shape: see `normalize`.
 */

export interface SessionStep {
  command: string;
  /** The README's lines under the command. */
  expected: string[];
}

/** Every ```console block of a Markdown text, with the heading it sits under. */
export function consoleBlocks(markdown: string): { heading: string; lines: string[] }[] {
  const out: { heading: string; lines: string[] }[] = [];
  let heading = "";
  let block: string[] | undefined;
  for (const line of markdown.split("\n")) {
    if (block) {
      if (line.startsWith("```")) {
        out.push({ heading, lines: block });
        block = undefined;
      } else block.push(line);
    } else if (line.startsWith("```console")) block = [];
    else if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, "");
  }
  return out;
}

export function sessionSteps(lines: readonly string[]): SessionStep[] {
  const steps: SessionStep[] = [];
  for (const line of lines) {
    if (line.startsWith("$ ")) steps.push({ command: line.slice(2), expected: [] });
    else if (steps.length === 0) throw new Error(`a console block must start with a '$ ' command, not ${JSON.stringify(line)}`);
    else steps.at(-1)!.expected.push(line);
  }
  return steps;
}

/** ASCII record separator: never in a command's output, so it frames each command's. */
const MARK = "\x1e";

/**
 * Run the commands verbatim, in order, in one bash in `cwd`; returns each one's output
 * (stdout and stderr together, as a terminal shows them). A failing command does not stop
 * the session: the README shows failures and `echo $?`.
 */
export function runSession(commands: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string[]> {
  // `mark` keeps $? so that a README's `echo $?` sees the command before it.
  const script = [
    "exec 2>&1",
    `mark() { local s=$?; printf '\\n${MARK}%s\\n' "$1"; return $s; }`,
    ...commands.flatMap((c, i) => [`mark ${i}`, c]),
    `mark end`,
  ].join("\n");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["--noprofile", "--norc", "-c", script], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.once("error", reject);
    child.once("close", () => {
      clearTimeout(timer);
      const parts = out.split(new RegExp(`\\n${MARK}(?:\\d+|end)\\n`));
      // parts[0] is what came before the first mark (nothing); each later part ends with the
      // newline `mark` printed before itself.
      if (parts.length !== commands.length + 2) return reject(new Error(`the session stopped early (${parts.length - 2} of ${commands.length} commands ran):\n${out}`));
      resolve(parts.slice(1, -1).map((p) => p));
    });
  });
}

/** Run-to-run differences, replaced by their kind on both sides. */
export function normalize(text: string): string {
  return text
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\b/g, "<time>")
    .replace(/SHA256:[A-Za-z0-9+/]{43}/g, "SHA256:<fingerprint>")
    .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b/g, "<id>");
}

/** The output's lines, without the one trailing newline. */
export function outputLines(output: string): string[] {
  const lines = output.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Whether `actual` reads as `expected`, where a `…` line of `expected` stands for any lines. */
export function matchesWithGaps(expected: readonly string[], actual: readonly string[]): boolean {
  // can[i][j]: expected[i..] matches actual[j..]. Small inputs: a plain table.
  const can: boolean[][] = Array.from({ length: expected.length + 1 }, () => new Array<boolean>(actual.length + 1).fill(false));
  can[expected.length]![actual.length] = true;
  for (let i = expected.length - 1; i >= 0; i--) {
    for (let j = actual.length; j >= 0; j--) {
      can[i]![j] = expected[i] === "…" ? can[i + 1]![j]! || (j < actual.length && can[i]![j + 1]!) : j < actual.length && expected[i] === actual[j] && can[i + 1]![j + 1]!;
    }
  }
  return can[0]![0]!;
}
