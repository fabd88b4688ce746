import { networkCodeRuns } from "./analysis/network-code.js";
import { helperDecodings } from "./analysis/helper-decoders.js";
import { carriedCommands } from "./analysis/carried-commands.js";
import { RULES } from "./rules/index.js";
const MB = 1 << 20;
const t = `curl ${" -".repeat(200_000)}\nwget ${"a/".repeat(200_000)}\nbase64 ${"A".repeat(MB)}`;
let t0 = performance.now(); networkCodeRuns(t); console.log("network", Math.round(performance.now() - t0));
t0 = performance.now(); helperDecodings(t, false); console.log("helpers", Math.round(performance.now() - t0));
t0 = performance.now(); carriedCommands("a.sh", t); console.log("carried", Math.round(performance.now() - t0));
for (const r of RULES.filter((r) => r.id.match(/PRIV-00[789]|SHELL-009|SUPPLY-008|DLEXEC-010|PERSIST-010/))) {
  t0 = performance.now(); r.match?.({ file: "a.sh", kind: "shell", text: t, lower: t.toLowerCase(), offset: 0, fenced: false, warned: false, block: 0 }); console.log(r.id, Math.round(performance.now() - t0));
}
