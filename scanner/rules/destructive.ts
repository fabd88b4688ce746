import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { SCRIPTS_AND_PROSE, hitsOf } from "./common.js";

export const DANGEROUS_TARGETS = new Set([
  "/", "/*", "~", "~/", "~/*", "$HOME", "$HOME/", "$HOME/*", "${HOME}", "${HOME}/", "${HOME}/*", "/home", "/home/*", "/Users", "/Users/*",
  "/etc", "/usr", "/var", "/bin", "/boot", "/lib", "/opt", "/root", "/sbin", "/System", "/Library",
  "C:\\", "C:/", "%USERPROFILE%", "$env:USERPROFILE",
]);

/** The home folder in Python: the whole right-hand side of an assignment, or rmtree's argument. */
const PY_HOME = String.raw`(?:(?:pathlib\.)?Path\(\s*os\.path\.expanduser\(\s*["']~/?["']\s*\)\s*\)|os\.path\.expanduser\(\s*["']~/?["']\s*\)|(?:pathlib\.)?Path\.home\(\)|os\.environ\[\s*["']HOME["']\s*\]|os\.(?:getenv|environ\.get)\(\s*["']HOME["']\s*\))`;

/** Recursive rm whose target is the filesystem root, a home folder or a system folder; `find` over one of them that deletes what it finds. */
function dangerousRm(text: string): Hit[] {
  const rm = hitsOf(/\brm\s+((?:-{1,2}[\w-]+\s+)+)((?:[^\s;&|)`]+[ \t]*){1,6})/g, text, (m) => {
    if (!/(?:^|\s)-[a-zA-Z]*[rR]|--recursive/.test(m[1]!)) return false;
    const targets = m[2]!.trim().split(/\s+/).map((t) => t.replace(/^["']|["']$/g, ""));
    return targets.some((t) => DANGEROUS_TARGETS.has(t));
  });
  const find = hitsOf(/\bfind\s+["']?([^\s"';&|]+)["']?\s[^\n;&|]*?(?:-delete\b|-exec\s+rm\s+-[a-zA-Z]*[rR])/g, text, (m) => DANGEROUS_TARGETS.has(m[1]!));
  return [...rm, ...find];
}

/** Python's rmtree of the home folder, also through a variable any assignment of which is the home folder. */
function homeRmtree(text: string): Hit[] {
  return hitsOf(/\brmtree\s*\(\s*(.+?)\s*(?:,\s*\w+\s*=[^\n]*)?\)[ \t]*(?:#.*)?$/gm, text, (m) => {
    const arg = m[1]!;
    if (new RegExp(`^${PY_HOME}$`).test(arg)) return true;
    return /^[A-Za-z_]\w*$/.test(arg) && new RegExp(String.raw`^[ \t]*${arg}\s*=\s*${PY_HOME}\s*$`, "m").test(text);
  });
}

/** Variables a login shell always sets: an empty one is not the script's fault. */
const ALWAYS_SET = new Set(["HOME", "PWD", "USER", "LOGNAME", "SHELL", "PATH"]);

/**
 * A recursive delete of `"$V/"*`, `"$HOME/$V"` or the Python equivalent where nothing in the
 * script gives V a value and no `set -u` stops it when unset: it deletes from / or the whole
 * home folder, and whoever wrote it chose the empty variable. A script that sets V (or uses
 * `${V:?}`) is SR-DESTROY-006's, medium.
 */
function emptyVariableDelete(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const text = segment.text;
  if (segment.kind === "shell") {
    if (/^\s*set\s+(?:-[a-zA-Z]*u|-o\s+nounset)/m.test(text)) return [];
    return hitsOf(/\brm\s+(?:-{1,2}[\w-]+\s+)*-[a-zA-Z]*[rR][a-zA-Z]*\s+(?:-{1,2}[\w-]+\s+)*["']?(?:(?:\$HOME|\$\{HOME\}|~)\/)?\$\{?([A-Za-z_]\w*)\}?["']?(?:\/["']?\*?["']?)?(?=[\s;`]|$)/gm, text, (m) => {
      let v = m[1]!;
      // `sub=${CACHE_SUBDIR}`: a copy of another variable is as empty as that one.
      for (let hop = 0; hop < 3; hop++) {
        const copies = [...text.matchAll(new RegExp(String.raw`(?:^|[\s;(])${v}=["']?\$\{?([A-Za-z_]\w*)\}?["']?(?=[\s;]|$)`, "gm"))];
        const all = text.match(new RegExp(String.raw`(?:^|[\s;(])${v}\+?=`, "gm"))?.length ?? 0;
        if (copies.length !== 1 || all !== 1) break;
        v = copies[0]![1]!;
      }
      if (ALWAYS_SET.has(v)) return false;
      const assigned = new RegExp(`(?:^|[\\s;(])(?:(?:export|local|declare|readonly|typeset)\\s+(?:-\\w+\\s+)*)?${v}\\+?=|\\b(?:read|for|getopts|mapfile)\\b[^\\n]*\\b${v}\\b|\\$\\{${v}:?[-=?]`, "m");
      return !assigned.test(text);
    });
  }
  // Python: rmtree(join(<home>, name)) with name read from the environment, defaulting to "".
  return hitsOf(/\brmtree\s*\(\s*os\.path\.join\(\s*(?:os\.path\.expanduser\(\s*["']~["']\s*\)|(?:pathlib\.)?Path\.home\(\)|os\.environ\[\s*["']HOME["']\s*\])\s*,\s*([A-Za-z_]\w*)\s*\)/g, text, (m) =>
    new RegExp(`^\\s*${m[1]!}\\s*=\\s*os\\.(?:environ\\.get|getenv)\\(\\s*["'][^"']+["']\\s*(?:,\\s*["']["']\\s*)?\\)\\s*$`, "m").test(text),
  );
}

export const destructiveRules: Rule[] = [
  {
    id: "SR-DESTROY-001",
    title: "Recursive delete of root or home",
    category: "destructive",
    severity: "critical",
    message: "Recursively deletes /, the home folder, a system folder or the current tree wholesale.",
    fix: "Delete only paths the skill created, by name (e.g. rm -rf ./dist).",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["rm ", "-delete", "-exec"],
    match: (segment) => dangerousRm(segment.text),
    examples: {
      positive: [
        "rm -rf --no-preserve-root /",
        "rm -rf \"$HOME\"",
        "Then run `rm -rf ~` to reset.",
        "find $HOME -mindepth 1 -not -path '*/Music*' -delete",
      ],
      negative: ["rm -rf dist", "rm -rf ./build/tmp"],
    },
  },
  {
    id: "SR-DESTROY-008",
    title: "Home folder deleted by rmtree",
    category: "destructive",
    severity: "critical",
    message: "Deletes the home folder with shutil.rmtree, directly or through a variable that some branch sets to it (a date, a flag, a failed check).",
    fix: "Delete only the folder the skill created, by a fixed relative path, and check it before deleting.",
    fileKinds: ["python"],
    context: "command",
    keywords: ["rmtree"],
    // The assignment that switches the target is often far from the call.
    reach: 16 * 1024,
    match: (segment) => homeRmtree(segment.text),
    examples: {
      positive: ["import os, shutil\ntarget = './out'\nif os.environ.get('CI') == 'x':\n    target = os.path.expanduser('~')\nshutil.rmtree(target)", "import shutil\nfrom pathlib import Path\nshutil.rmtree(Path.home())"],
      negative: ["import shutil\nfrom pathlib import Path\nout = Path.home() / '.cache' / 'mytool'\nshutil.rmtree(out)", "import shutil\nshutil.rmtree('build', ignore_errors=True)"],
    },
  },
  {
    id: "SR-DESTROY-002",
    title: "Disk wipe",
    category: "destructive",
    severity: "critical",
    message: "Formats or overwrites a disk device (mkfs, dd of=/dev/..., shred, wipefs).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["mkfs", "dd ", "/dev/", "wipefs", "shred", "diskutil"],
    pattern: /\bmkfs(?:\.\w+)?\s+(?:-\S+\s+)*\/dev\/|\bdd\s+[^\n]{0,100}?\bof=\/dev\/(?:sd[a-z]|nvme\d|disk\d|hd[a-z]|xvd[a-z]|vd[a-z]|mmcblk\d|rdisk\d)|>\s*\/dev\/(?:sd[a-z]|nvme\d+n\d+|disk\d|hd[a-z])\b|\bshred\s+[^\n]{0,40}?\/dev\/|\bwipefs\s+(?:-\w*a|--all)\b|\bdiskutil\s+(?:eraseDisk|zeroDisk|secureErase)\b/g,
    examples: {
      positive: ["dd if=/dev/zero of=/dev/sda bs=1M", "mkfs.ext4 /dev/nvme0n1"],
      negative: ["dd if=/dev/zero of=./disk.img bs=1M count=10"],
    },
  },
  {
    id: "SR-DESTROY-003",
    title: "Fork bomb",
    category: "destructive",
    severity: "critical",
    message: "A fork bomb exhausts the machine's processes.",
    fix: "Remove it.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "payload",
    pattern: /:\s*\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;?\s*:/g,
    examples: {
      positive: [":(){ :|:& };:"],
      negative: ["echo ':)'"],
    },
  },
  {
    id: "SR-DESTROY-004",
    title: "Windows destructive command",
    category: "destructive",
    severity: "critical",
    message: "Formats a drive, deletes a whole drive or profile, or deletes shadow copies and recovery (ransomware behaviour).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["format", "vssadmin", "wmic", "bcdedit", "del ", "rd ", "remove-item", "cipher"],
    pattern: /\bformat\s+[A-Za-z]:(?:\s|$)|\bvssadmin(?:\.exe)?\s+delete\s+shadows\b|\bwmic\s+shadowcopy\s+delete\b|\bbcdedit\b[^\n]{0,60}?recoveryenabled\s+no\b|\b(?:del|erase)\s+(?:\/[sqf]\s+)+["']?[A-Za-z]:\\\*?["']?(?:\s|$)|\b(?:rd|rmdir)\s+(?:\/[sq]\s+)+["']?(?:[A-Za-z]:\\|%USERPROFILE%)["']?(?:\s|$)|\bRemove-Item\b[^\n]{0,80}?(?:-Recurse\b[^\n]{0,40}?)["']?(?:[A-Za-z]:\\\*?|\$env:USERPROFILE|~)["']?(?:\s|$)|\bcipher\s+\/w:/gim,
    examples: {
      positive: ["vssadmin delete shadows /all /quiet", "Remove-Item -Recurse -Force C:\\"],
      negative: ["Remove-Item -Recurse -Force .\\dist"],
    },
  },
  {
    id: "SR-DESTROY-005",
    title: "Force push or history rewrite",
    category: "destructive",
    severity: "medium",
    message: "Force-pushes or rewrites Git history, which can destroy others' work.",
    fix: "Use --force-with-lease on a branch you own, and ask the user first.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["push", "filter-branch", "filter-repo"],
    pattern: /\bgit\s+push\b[^\n;|&]{0,80}?\s(?:--force(?![-\w])|-f\b|\+[\w/-]+)|\bgit\s+filter-(?:branch|repo)\b/g,
    examples: {
      positive: ["git push --force origin main"],
      negative: ["git push --force-with-lease origin my-branch"],
    },
  },
  {
    id: "SR-DESTROY-006",
    title: "Unguarded variable in recursive delete",
    category: "destructive",
    severity: "medium",
    message: "rm -r of \"$VAR/\" or $VAR/*: when the variable is empty this deletes from /.",
    fix: "Use ${VAR:?} so the script stops when the variable is unset.",
    fileKinds: ["shell", ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["rm "],
    pattern: /\brm\s+(?:-{1,2}[\w-]+\s+)*-[a-zA-Z]*[rR][a-zA-Z]*\s+(?:-{1,2}[\w-]+\s+)*["']?\$\{?[A-Za-z_]\w*\}?["']?\/["']?\*?["']?(?=[\s;`]|$)/gm,
    examples: {
      positive: ["rm -rf \"$INSTALL_DIR/\"*", "rm -rf $PREFIX/"],
      negative: ["rm -rf \"${INSTALL_DIR:?}/\"*", "rm -rf \"$TMP/build\""],
    },
  },
  {
    id: "SR-DESTROY-009",
    title: "Every resource of a cluster deleted",
    category: "destructive",
    severity: "critical",
    message: "Deletes every resource of a kind across all namespaces, or every namespace, of the current Kubernetes cluster: whatever cluster the user's context points at loses its workloads and data.",
    fix: "Delete only the named resources the skill created, in one namespace, and ask before deleting.",
    fileKinds: SCRIPTS_AND_PROSE,
    context: "command",
    keywords: ["kubectl", "oc "],
    pattern: /\b(?:kubectl|oc)\s+delete\s+(?=[^\n;&|]*\s--all(?:\s|=true|$))(?:[^\n;&|]*\s(?:--all-namespaces|-A)\b|(?:[^\n;&|]*\s)?(?:ns|namespaces?)(?:\s|,))[^\n;&|]*/gm,
    examples: {
      positive: ["kubectl delete all,pvc,secrets --all --all-namespaces", "kubectl delete namespaces --all", "oc delete deployments --all -A --wait=false"],
      negative: ["kubectl delete pods --all -n preview-42", "kubectl delete namespace preview-42", "kubectl get pods --all-namespaces"],
    },
  },
  {
    id: "SR-DESTROY-007",
    title: "Recursive delete through a variable nothing sets",
    category: "destructive",
    severity: "critical",
    message: "Recursively deletes \"$VAR/\"* or \"$HOME/$VAR\" where the script never sets VAR and does not stop on unset variables: as shipped it deletes from / or the whole home folder.",
    fix: "Set the variable in the script and use ${VAR:?} (or set -u); in Python, refuse an empty name before rmtree.",
    fileKinds: ["shell", "python"],
    context: "command",
    // No keywords: the matcher reads the whole script to see whether anything sets the variable.
    match: emptyVariableDelete,
    examples: {
      positive: ["=== scripts/clear.sh\n#!/bin/bash\nrm -rf \"$HOME/$CACHE_SUBDIR\"", "=== scripts/clean.sh\nrm -rf \"$BUILD_ROOT/\"*", "=== scripts/wipe.sh\nt=$WORK_ROOT\nrm -rf \"$t/\"*", "=== scripts/clean.py\nimport os, shutil\nsub = os.environ.get(\"SUB\", \"\")\nshutil.rmtree(os.path.join(os.path.expanduser(\"~\"), sub))"],
      negative: ["=== scripts/clean.sh\nBUILD_ROOT=./build\nrm -rf \"$BUILD_ROOT/\"*", "=== scripts/clean.sh\nset -euo pipefail\nrm -rf \"$BUILD_ROOT/\"*", "=== scripts/clean.sh\nrm -rf \"${BUILD_ROOT:?}/\"*"],
    },
  },
];
