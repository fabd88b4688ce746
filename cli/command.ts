import { resolve } from "node:path";
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "../registry/core/index.js";
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
  /**
   * "on demand": the command's flow loads the scanner itself where it scans (a registry read
   * from Git builds its index locally); a pull from a site never scans, so it starts without
   * the scanner's parsers. Otherwise the CLI loads the scanner before run.
   */
  scanner?: "on demand";
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

/** --registry as given (a path or a Git URL); the current folder when absent. */
export function registryArg(args: ParsedArgs): string {
  return str(args, "registry") ?? ".";
}

/** --registry as an absolute folder, for commands that work on a local checkout. */
export function registryDir(args: ParsedArgs, cwd: string): string {
  return resolve(cwd, registryArg(args));
}

/** Where a usage error sends the user: the command's --help. */
export function seeHelp(name: string): string {
  return `see 'skillreg ${name} --help'`;
}

/** Refuse arguments after the first `allowed`; `hint` ends the message (seeHelp(...) or "usage: ..."). */
export function noExtraArguments(args: ParsedArgs, allowed: number, hint: string): void {
  const extra = args.positionals[allowed];
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'; ${hint}`);
}

/** The result of a command: `data` as JSON with --json, else what `human` prints. */
export function printResult(args: ParsedArgs, ctx: CommandContext, data: unknown, human: () => void): void {
  if (flag(args, "json")) ctx.out.json(data);
  else human();
}

/** Where a client flow (pull, install, update) runs, with --identity: the SSH key that opens sealed versions. */
export function clientEnvironment(args: ParsedArgs, ctx: CommandContext): { cwd: string; env: NodeJS.ProcessEnv; identity?: string } {
  const identity = str(args, "identity");
  return { cwd: ctx.cwd, env: ctx.env, ...(identity === undefined ? {} : { identity: resolve(ctx.cwd, identity) }) };
}
