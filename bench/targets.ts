/**
 * The one output form every benchmark ends with (issue 15):
 * `target <name>: <measured> <op> <goal> ok|short`, where measured and goal are in the same
 * unit, and the measured side is a ratio against a baseline run in the same process tree, or
 * a bound on memory or bytes.
 */
export type TargetOp = "<=" | "<" | ">=";

export function targetLine(name: string, measured: number, op: TargetOp, goal: number, unit: string, digits = 2): string {
  const met = op === "<=" ? measured <= goal : op === "<" ? measured < goal : measured >= goal;
  return `target ${name}: ${measured.toFixed(digits)}${unit} ${op} ${goal}${unit} ${met ? "ok" : "short"}`;
}

/** Print the target line on stdout (bench/run.ts collects it). */
export function reportTarget(name: string, measured: number, op: TargetOp, goal: number, unit: string, digits = 2): void {
  console.log(targetLine(name, measured, op, goal, unit, digits));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Heavy sizes run only with `npm run bench -- --large`. */
export const LARGE = process.argv.includes("--large");
