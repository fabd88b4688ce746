import type { Command } from "../command.js";

/**
 * Every command, loaded lazily so `skillreg --help` and small commands start fast.
 * Add a command: create cli/commands/<name>.ts exporting `command`, then list it here.
 */
export const commandLoaders: Record<string, () => Promise<{ command: Command }>> = {
};
