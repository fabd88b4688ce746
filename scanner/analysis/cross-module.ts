/**
 * A store read in one module and sent by another: `collect.js` gathers every `.env` file and
 * returns or caches it, `report.js` posts whatever it is handed to an outside host, and the skill
 * wires them (`collect(home).then(report)`). Each file alone holds half a chain; together they
 * are the same theft as one file doing both (SR-EXFIL-010).
 *
 * The link is the skill's own wiring, read from the text: a module that imports both (or one
 * importing the other), by file name, in the forms the languages use (`require('./collect')`,
 * `import … from "./report.js"`, `from collect import`, `require_relative "report"`, `. ./send.sh`).
 */
import { secretSourceOf, stagedSecretFiles, stagedSecretFlows } from "./secret-flow.js";
import { foreignTo, theftParts, type TheftParts } from "./store-theft.js";
import { escapeRegExp } from "../escape-regexp.js";
import { attributedSends, spellsOwnWord } from "./send-attribution.js";

export interface ModuleText {
  file: string;
  text: string;
  /** A language whose grammar analysis does not read the shared list's store paths. */
  grammarless: boolean;
}

export interface ModuleChain {
  source: { file: string; offset: number; what: string };
  sink: { file: string; offset: number; hosts: string[] };
  via: string;
}

function stem(file: string): string {
  return (file.split("/").pop() ?? file).replace(/\.[^.]+$/, "");
}

/** Whether `text` imports or loads the module in `file`. */
function loads(text: string, file: string): boolean {
  const name = escapeRegExp(stem(file));
  if (name.length < 3) return false;
  return new RegExp(`(?:\\brequire(?:_relative)?\\s*\\(?\\s*|\\bimport\\s*\\(\\s*|\\bfrom\\s+|^[ \\t]*(?:\\.|source)[ \\t]+)["'\`]?[\\w./@-]*\\b${name}(?![\\w-])(?:\\.[\\w]+)?["'\`]?|^[ \\t]*import[ \\t]+(?:[\\w.]+\\.)?${name}\\b`, "m").test(text);
}

/**
 * Whether any module names another by its stem, which `loads` requires literally: without that,
 * no module can join a store read to a send, and reading every module for both (most of this
 * reader's cost on a skill of several scripts) would find nothing to join.
 */
function anyWired(modules: ModuleText[]): boolean {
  return modules.some((m) => modules.some((other) => other !== m && escapeRegExp(stem(other.file)).length >= 3 && m.text.includes(stem(other.file))));
}

/** Stores read in one module and sent by another, joined by a module that loads both. */
export function crossModuleTheft(modules: ModuleText[]): ModuleChain[] {
  if (!anyWired(modules)) return stagedChains(modules);
  // A store, or a secret a command, keyring or login file gives (`secret-flow.ts`).
  const sourceParts = (m: ModuleText): TheftParts => {
    const p = theftParts(m.text, m.grammarless);
    if (p.store) return p;
    const secret = secretSourceOf(m.text);
    return secret ? { store: secret } : p;
  };
  const sources = modules.map((m) => ({ m, p: sourceParts(m) })).filter((x) => x.p.store && !x.p.send);
  // Only a skill with a store read somewhere has sends worth reading.
  if (!sources.length) return stagedChains(modules);
  const sinks = modules.map((m) => ({ m, p: theftParts(m.text, m.grammarless, true) })).filter((x) => x.p.send && !x.p.store);
  const chains: ModuleChain[] = [];
  for (const a of sources) {
    for (const b of sinks) {
      if (b.m.file === a.m.file) continue;
      // Each send judged with its own function's destinations (a shared fetch helper goes where its callers say).
      const send = attributedSends(b.m.file, modules)
        .map((x) => ({ ...x, hosts: foreignTo(a.p.store!, x.hosts).filter((h) => !spellsOwnWord(h, a.p.store!.own)) }))
        .find((x) => x.hosts.length);
      if (!send) continue;
      const hosts = send.hosts;
      const via = modules.find((c) => (c.file === b.m.file || loads(c.text, b.m.file)) && (c.file === a.m.file || loads(c.text, a.m.file)));
      if (!via) continue;
      chains.push({ source: { file: a.m.file, offset: a.p.store!.at, what: a.p.store!.what }, sink: { file: b.m.file, offset: send.at, hosts }, via: via.file });
      break;
    }
  }
  if (chains.length === 0) chains.push(...stagedChains(modules));
  return chains;
}

/** A secret one script writes to a file by name (`context.json`) and another script reads by that name and sends: the file wires them. */
function stagedChains(modules: ModuleText[]): ModuleChain[] {
  for (const a of modules) {
    const staged = stagedSecretFiles(a.text);
    if (!staged.length) continue;
    for (const b of modules) {
      if (b.file === a.file) continue;
      const hit = stagedSecretFlows(b.text, staged)[0];
      if (!hit) continue;
      const file = staged.find((s) => hit.message.includes(s.file))?.file ?? staged[0]!.file;
      return [{ source: { file: a.file, offset: staged[0]!.at, what: staged[0]!.what }, sink: { file: b.file, offset: hit.related!.offset, hosts: hit.hosts }, via: `the file ${file} (${a.file} writes it, ${b.file} reads it)` }];
    }
  }
  return [];
}
