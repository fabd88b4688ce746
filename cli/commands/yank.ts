import { flagVersionCommand } from "../version-flag.js";

export const command = flagVersionCommand("yanked");
