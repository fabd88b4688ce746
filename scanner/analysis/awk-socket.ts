/**
 * gawk's network special files (`/inet/tcp/0/host/port`): a connection with no socket call and
 * no network tool in sight. A program that reads from it (`s |& getline c`) and runs what it read
 * as a command (`c |& getline`, `system(c)`) gives the other end a shell: a reverse shell
 * (`SR-SHELL-008`) that the socket vocabularies of the grammar languages never see.
 */
import type { CodeHit } from "./code.js";

const INET = /\/inet[46]?\/tcp\/\d{1,5}\/([^/"'\s]{1,253})\/(\d{1,5})/;
const SOCKET_NAME = /\b([A-Za-z_]\w*)\s*=\s*["']\/inet[46]?\/tcp\//;
/** `X |& getline` or `X | getline`: X is run as a command (or read, when X is the socket). */
const COMMAND_PIPE = /(?<![\w"'/])([A-Za-z_]\w*)\s*\|&?\s*getline\b/g;

export function awkSocketShells(text: string): CodeHit[] {
  const inet = INET.exec(text);
  if (!inet || !/\|&\s*getline\b/.test(text)) return [];
  const socket = SOCKET_NAME.exec(text)?.[1];
  let runs = /\bsystem\s*\(/.test(text);
  COMMAND_PIPE.lastIndex = 0;
  for (let m = COMMAND_PIPE.exec(text); m && !runs; m = COMMAND_PIPE.exec(text)) if (m[1] !== socket) runs = true;
  if (!runs) return [];
  return [{ ruleId: "SR-SHELL-008", offset: inet.index, length: inet[0].length, message: `Reverse shell: gawk connects to ${inet[1]}:${inet[2]} through /inet/tcp and runs the commands the connection sends.` }];
}
