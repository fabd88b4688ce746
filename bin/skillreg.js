#!/usr/bin/env node
// The published entry point: runs the compiled CLI (npm run build, run by `prepare`).
import { runMain } from "../dist/cli/main.js";

process.exitCode = await runMain(process.argv.slice(2));
