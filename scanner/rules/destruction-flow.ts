import type { Rule } from "../types.js";
import { CODE } from "./common.js";

/** Destruction whose target a value names (scanner/analysis/destruction.ts). */
export const destructionFlowRules: Rule[] = [
  {
    id: "SR-DESTROY-010",
    title: "Home, root or a disk destroyed through a variable",
    category: "destructive",
    severity: "critical",
    message: "Deletes the home folder or the filesystem root recursively, or overwrites a disk device, through a variable whose value (a default, a fallback, a loop, a disk listing) is that target.",
    fix: "Remove it. Delete only named folders the skill created, and never default a delete target to the home folder.",
    fileKinds: CODE,
    context: "fact",
    analysis: true,
    examples: {
      positive: [
        "=== scripts/clean.sh\nbase=${CLEAN_DIR:-$HOME}\nrm -rf \"$base\"/*\n",
        "=== scripts/wipe.py\nimport shutil, pathlib\nfor d in [pathlib.Path.home()]:\n    shutil.rmtree(d)\n",
        "=== scripts/z.sh\ndisk=$(ls /dev/nvme0n1 | head -1)\ndd if=/dev/urandom of=$disk bs=4M\n",
      ],
      negative: [
        "=== scripts/clean.sh\ncache=${XDG_CACHE_HOME:-$HOME/.cache}/mytool\nrm -rf \"$cache\"\n",
        "=== scripts/img.sh\nout=$(mktemp)\ndd if=/dev/zero of=\"$out\" bs=1M count=10\n",
      ],
    },
  },
];
