import { readFileSync } from "node:fs";
import { networkCodeRuns } from "./analysis/network-code.js";
console.log(networkCodeRuns(readFileSync(process.argv[2]!, "utf8")));
