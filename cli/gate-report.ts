import type { GateDecision } from "../registry/publish/index.js";
import type { CommandContext } from "./command.js";

/** Each reason the publish gate blocks a change, one line each on stderr (check and merge). */
export function printBlocks(ctx: CommandContext, gate: GateDecision): void {
  for (const b of gate.blocks) ctx.stderr.write(`${ctx.out.color.red("blocked:")} [${b.code}] ${b.message}\n`);
}
