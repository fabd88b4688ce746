import { parseArgs } from "node:util";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { likelyTypo, loadScanner, printable, SkillregError, UsageError } from "../registry/core/index.js";
import { skillregVersion } from "../registry/core/index.js";
import { COMMAND_GROUPS, commandLoaders, commandTable } from "./command-table.js";
import { seeHelp, type Command, type CommandContext } from "./command.js";
import { makeOutput, safeStream, type Stream } from "./output.js";

export interface MainIO {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: Stream;
  stderr?: Stream;
}

/** Every command by group, each with its summary and one example (loads every command module). */
async function topHelp(): Promise<string> {
  const lines = ["Usage: skillreg <command> [options]", "", "A Git-backed registry for AI-agent skills."];
  for (const [group, title] of Object.entries(COMMAND_GROUPS)) {
    lines.push("", `${title} (${group}):`);
    for (const [name, entry] of Object.entries(commandTable).filter(([, e]) => e.group === group)) {
      const { command } = await entry.load();
      lines.push(`  ${name.padEnd(22)}${command.summary}`, `  ${"".padEnd(22)}e.g. ${entry.example}`);
    }
  }
  lines.push(
    "",
    "Run `skillreg <command> --help` for a command's options.",
    "Global: --help, --version. Set SKILLREG_DEBUG=1 for stack traces, NO_COLOR=1 for plain output.",
  );
  return lines.join("\n");
}

/**
 * What npm, cargo and Homebrew call our commands. Typed here they are not typos to correct by
 * spelling: 'uninstall' is one letter-edit from 'install', its opposite.
 */
const OTHER_TOOLS_WORDS: Readonly<Record<string, string>> = {
  uninstall: "remove",
  un: "remove",
  rm: "remove",
  add: "pull",
  i: "pull",
  ls: "list",
  upgrade: "update",
  view: "info",
  show: "info",
};

/** Pick the longest command name that prefixes argv ("registry check" before "registry"). */
function findCommand(argv: string[]): { key: string; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const key = argv.slice(0, words).join(" ");
    if (argv.length >= words && key in commandLoaders) return { key, rest: argv.slice(words) };
  }
  return undefined;
}

function groupHelp(prefix: string): string | undefined {
  const subs = Object.keys(commandLoaders).filter((k) => k.startsWith(prefix + " "));
  if (subs.length === 0) return undefined;
  return [`Usage: skillreg ${prefix} <subcommand> [options]`, "", "Subcommands:", ...subs.map((s) => `  ${s}`)].join("\n");
}

/** Run the CLI in-process. Returns the exit code; never throws. */
export async function runMain(given: string[], io: MainIO = {}): Promise<number> {
  // `skillreg help pull` is `skillreg pull --help`, as with npm, cargo and git.
  const argv = given[0] === "help" && given.length > 1 ? [...given.slice(1), "--help"] : given;
  const env = io.env ?? process.env;
  // Every byte a command prints passes through terminalSafe (cli/output.ts).
  const stdout = safeStream(io.stdout ?? process.stdout, env);
  const stderr = safeStream(io.stderr ?? process.stderr, env);
  const quiet = argv.includes("--json") || argv.includes("--quiet");
  const out = makeOutput(stdout, stderr, env, quiet);
  const ctx: CommandContext = { cwd: io.cwd ?? process.cwd(), env, out, stdout, stderr };
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      out.line(await topHelp());
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === "--version" || argv[0] === "-v") {
      out.line(skillregVersion());
      return 0;
    }
    const first = argv[0] ?? "";
    if (first.startsWith("-")) {
      throw new UsageError(`unknown option '${first}'${didYouMean(first, ["--help", "--version"], "")}; run 'skillreg --help' for the commands`);
    }
    const found = findCommand(argv);
    if (!found) {
      const group = groupHelp(argv[0] ?? "");
      if (group && (argv.length === 1 || argv[1] === "--help")) {
        out.line(group);
        return argv[1] === "--help" ? 0 : 2;
      }
      // "registry chek" is a typo of a subcommand; "pul @a/b" of a command (its arguments are not part of the name).
      const typed = group ? argv.slice(0, 2).join(" ") : (argv[0] ?? "");
      const ours = Object.hasOwn(OTHER_TOOLS_WORDS, typed) ? OTHER_TOOLS_WORDS[typed] : undefined;
      if (ours !== undefined) throw new UsageError(`unknown command '${typed}'; skillreg calls it '${ours}': run 'skillreg ${ours} --help'`);
      throw new UsageError(`unknown command '${typed}'${didYouMean(typed, Object.keys(commandLoaders), "'")}; run 'skillreg --help' for the list`);
    }
    const { command } = (await commandLoaders[found.key]!()) as { command: Command };
    if (found.rest.includes("--help") || found.rest.includes("-h")) {
      out.line(command.help);
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: found.rest, options: command.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(`${argumentError(e as Error & { code?: string }, command)}; ${seeHelp(command.name)}`);
    }
    // Loaded here, not imported: help and --version start without the scanner's parsers,
    // and the client's commands load it only where they scan (Command.scanner).
    if (command.scanner !== "on demand") await loadScanner();
    return await command.run(parsed as never, ctx);
  } catch (e) {
    return reportError(e, stderr, env);
  }
}

/**
 * node:util's parseArgs messages, made short: its unknown-option text explains `--` for
 * positionals (with an unbalanced quote), where a user who mistyped a flag needs the flag's name.
 */
function argumentError(e: Error & { code?: string }, command: Command): string {
  const unknown = e.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /^Unknown option '([^']+)'/.exec(e.message)?.[1] : undefined;
  if (unknown) {
    const flags = Object.entries(command.options).flatMap(([name, spec]) => [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]);
    return `unknown option '${unknown}'${didYouMean(unknown, flags, "")}`;
  }
  const first = e.message.split("\n")[0]!;
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** " (did you mean X?)" when one candidate is a likely typo of `typed` (a third of its letters or fewer differ), else "". */
function didYouMean(typed: string, candidates: string[], quote: string): string {
  const best = typed.length < 3 ? undefined : likelyTypo(typed, candidates);
  return best === undefined ? "" : ` (did you mean ${quote}${best}${quote}?)`;
}

/** One line on stderr, the stack only with SKILLREG_DEBUG=1. */
export function reportError(e: unknown, stderr: Stream, env: NodeJS.ProcessEnv): number {
  const debug = env.SKILLREG_DEBUG === "1";
  if (e instanceof SkillregError) {
    stderr.write(`skillreg: error: ${oneLine(e.message)}\n`);
    if (debug && e.stack) stderr.write(e.stack + "\n");
    return e.exitCode;
  }
  const err = e as Error;
  stderr.write(`skillreg: error: ${oneLine(err?.message ?? String(e))} (set SKILLREG_DEBUG=1 for details)\n`);
  if (debug && err?.stack) stderr.write(err.stack + "\n");
  return 2;
}

/** One printable line: messages quote registry data (yank reasons, names), which may carry terminal escapes. */
function oneLine(s: string): string {
  return printable(s.replace(/\s*\n\s*/g, " ").trim());
}

// Run when executed directly (tsx cli/main.ts); bin/skillreg.js imports runMain instead.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runMain(process.argv.slice(2));
}
