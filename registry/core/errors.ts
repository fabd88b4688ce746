/**
 * The one error type the domain throws on purpose. The CLI prints `message` as a single line
 * and exits with `exitCode`: 2 for bad input or usage (the design's contract), 1 for a
 * check that ran and failed.
 */
export class SkillregError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "SkillregError";
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad command-line usage: unknown flag, missing argument. Always exit 2. */
export class UsageError extends SkillregError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
    this.name = "UsageError";
  }
}
