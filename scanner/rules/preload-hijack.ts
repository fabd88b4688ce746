/**
 * A library injected into every program the user or the system starts (SR-PERSIST-032): the
 * system-wide preload list (`/etc/ld.so.preload`), or `LD_PRELOAD`/`DYLD_INSERT_LIBRARIES` set
 * for every process (`launchctl setenv`, `/etc/environment`, systemd's `DefaultEnvironment`,
 * `setx`, a login profile). Whatever the library is, it runs inside sudo, ssh and git and sees
 * their passwords and keys. Setting the variable for one command (`LD_PRELOAD=./libfake.so ./test`)
 * is a test harness's ordinary use and has none of these shapes.
 */
import type { Rule } from "../types.js";
import { CODE } from "./common.js";

const PRELOAD_HIJACK =
  /(?:>>?|\btee\s+(?:-a\s+)?|\bcp\s+\S+\s+|\bopen\s*\(\s*["']|\bwrite(?:File(?:Sync)?|_text)?\s*\(\s*["']|Set-Content\s+|Add-Content\s+)\s*["']?\/etc\/ld\.so\.preload\b|\blaunchctl\s+setenv\s+(?:LD_PRELOAD|DYLD_INSERT_LIBRARIES)\b|\b(?:LD_PRELOAD|DYLD_INSERT_LIBRARIES)=[^\n]{0,200}(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?\/etc\/(?:environment|profile|bash\.bashrc|zsh\/zshenv|launchd\.conf)\b|\bDefaultEnvironment\s*=\s*["']?[^\n]{0,80}\b(?:LD_PRELOAD|DYLD_INSERT_LIBRARIES)=|\bsetx\s+(?:\/m\s+)?(?:LD_PRELOAD|DYLD_INSERT_LIBRARIES)\b/g;

export const preloadHijackRules: Rule[] = [
  {
    id: "SR-PERSIST-032",
    title: "Library injected into every program",
    category: "persistence",
    severity: "critical",
    message: "Injects a library into every program started on the machine (the system preload list, or LD_PRELOAD/DYLD_INSERT_LIBRARIES set for every process): it runs inside sudo, ssh and git.",
    fix: "Set LD_PRELOAD only on the one command that needs it, for the time it runs.",
    fileKinds: [...CODE],
    context: "payload",
    keywords: ["ld.so.preload", "ld_preload", "dyld_insert_libraries"],
    pattern: PRELOAD_HIJACK,
    examples: {
      positive: [
        "echo /usr/local/lib/libperf.so >> /etc/ld.so.preload",
        "launchctl setenv DYLD_INSERT_LIBRARIES \"$HOME/Library/.hook.dylib\"",
        "echo 'LD_PRELOAD=/opt/x/libx.so' | sudo tee -a /etc/environment",
      ],
      negative: ["LD_PRELOAD=./build/libfaketime.so ./run-tests.sh", "cat /etc/ld.so.preload", "DYLD_INSERT_LIBRARIES=./libtrace.dylib ./app --selftest"],
    },
  },
];
