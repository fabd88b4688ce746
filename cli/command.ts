import type { ParseArgsConfig } from "node:util";
import type { Output, Stream } from "./output.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
}

/** What a command gets from main: where it runs and how it prints. No process globals. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out: Output;
  stdout: Stream;
  stderr: Stream;
}

/** One command, one file in cli/commands/. `name` may have two words ("registry check"). */
export interface Command {
  name: string;
  summary: string;
  /** Full help text shown by --help, starting with the usage line. */
  help: string;
  options: OptionSpec;
  /** Returns the exit code. Throws SkillregError for bad input (exit 2). */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}

/** Read a string option, or undefined. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/** Read a boolean flag. */
export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

/** Read a repeatable string option (`multiple: true`); empty when absent. */
export function strList(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
