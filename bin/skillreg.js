#!/usr/bin/env node
// The published entry point: runs the compiled CLI (npm run build, run by `prepare`).
import { runMain } from "../dist/cli/main.js";

// `skillreg info x | head -3`: once the reader is gone, the rest of the output has nowhere to
// go, but the command still finishes what it does (a pull still installs), without a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code !== "EPIPE" && e.code !== "ERR_STREAM_DESTROYED") throw e;
  });
}

process.exitCode = await runMain(process.argv.slice(2));
