/**
 * Facts from prose: each Markdown step is split into clauses (sentences, and the "1. … 2. …"
 * items an injected paragraph packs into one line), and each clause becomes a record of what it
 * asks the agent to do — which data it touches, whether it sends it and where, whether it runs,
 * destroys, weakens, hides, overrides or falsifies — plus its frame: imperative or not, negated,
 * documentary, triggered. Rules (rules.ts) reason over these records only.
 */
import * as L from "./lexicon.js";
import type { Link, Step } from "./markdown.js";
import { escapeRegExp } from "../escape-regexp.js";
import { isOtherLanguage, isOtherLanguageOrder, OTHER_PERSISTS, OTHER_RUN, OTHER_WRITE, otherLanguageSend, worldLanguageSend, worldProhibits } from "./any-language.js";
import { foreignSecretSlot } from "./secret-slot.js";
import { WORLD_CONVERSATION, WORLD_SECRET, WORLD_SKIP_CONSENT, worldRun, worldWrite } from "./world-lexicon.js";
import { concealment, conceals, FALSE_REPORT, FETCHED_WORD_SLOT, FOREIGN_IMPERATIVE, FOREIGN_NEGATION, FOREIGN_SEND, SKIPS_CONSENT, TARGET_TRIGGER, TIME_TRIGGER } from "./covert.js";

export interface Destination {
  text: string;
  host?: string;
  /** Leaves the machine. */
  external: boolean;
  /** A host made for receiving unreviewed data (tunnels, request bins, throwaway hosting). */
  drop: boolean;
  /** Names the service the skill is about (a Telegram skill sending to api.telegram.org). */
  purpose: boolean;
  /** A place that publishes what is put there (a PR body, a public gist): foreign only to secrets. */
  publish?: boolean;
}

export interface DataRef {
  cls: L.DataClass;
  what: string;
  /** A credential store on the machine (SSH keys, cloud CLI files, shell history): no service needs it sent. */
  store?: boolean;
}

/** A file's clauses grouped by the section (instruction block) they stand in, in order. */
export function sectionsOf(clauses: readonly Clause[]): Clause[][] {
  const sections = new Map<number, Clause[]>();
  for (const c of clauses) {
    const list = sections.get(c.step.section);
    if (list) list.push(c);
    else sections.set(c.step.section, [c]);
  }
  return [...sections.values()];
}

export interface Clause {
  step: Step;
  /** 1-based line of the clause (a code step's own line; a prose step's first line). */
  line: number;
  text: string;
  /** A line of code (a code block's line that is not an English sentence). */
  code: boolean;
  /** Addressed to the agent as something to do. */
  imperative: boolean;
  /** Framed as documentation about attacks (heading, quote, third person). */
  documentary: boolean;
  sources: DataRef[];
  /** A send verb or send command, not negated. */
  sends: boolean;
  destinations: Destination[];
  /** The user chose or owns the destination. */
  userChosen: boolean;
  trigger?: "blanket" | "conditional";
  downloadRun?: string;
  destroy?: string;
  weaken?: string;
  override?: string;
  conceal?: string;
  falsify?: string;
  remoteFollow?: string;
  agentEdit?: string;
  /** Slants output on a contested topic or towards a party. */
  steer?: string;
  /** Waits for a date, a weekday or a victim's project ("if origin contains acme"). */
  timeBomb?: string;
  /** Skips asking the user, or claims they already agreed. */
  skipsConsent?: string;
}

/** Who the skill says it is: the words a purpose-consistent destination shares with it. */
export interface Identity {
  words: Set<string>;
}

const MAX_CLAUSE = 800;
const MAX_CODE_LINES = 400;
const PROSE_START = /^(?:\d{1,2}[.)]\s*|[-*]\s+)?[*_]*[A-Z][A-Za-z']*[\s:!]/;

/** A line of a code block that is an English sentence: a capitalised start and at least six lower-case words. */
function isProseLine(line: string): boolean {
  return PROSE_START.test(line) && (line.match(/\b[a-z]{2,}\b/g)?.length ?? 0) >= 6 && !/[;{]\s*$/.test(line);
}
/** An image or link URL with a slot for data (`?d=<...>`, `{KEY}`, `$VAR`): rendering it sends the data. */
export const RENDERED_DATA_URL = /\]\(https?:\/\/[^\s)]*[?&=/][^\s)]*?(?:<[^>]{1,200}>|\{[^}]{1,80}\}|\$\{?\w+|%s|\[[A-Z_]{2,40}\])/;
const GENERIC_LABELS = new Set(["api", "www", "app", "com", "net", "org", "io", "dev", "co", "cloud", "service", "services", "the", "http", "https", "server", "uploads", "upload", "files", "data", "docs"]);

export function identityOf(name: string, description: string): Identity {
  // Brand names may start with a digit (4claw) or be written as one word for a hyphenated host (safeskill-production).
  const words = new Set((`${name} ${description}`.toLowerCase().match(/\b[a-z0-9]*[a-z][a-z0-9]{2,}/g) ?? []).filter((w) => !GENERIC_LABELS.has(w)));
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (compact.length >= 4) words.add(compact);
  return { words };
}

/** A host label names the skill's own service: the same word, its plural, or the skill's name written as one word (safe-skills / safeskills). */
function namesSkill(label: string, identity: Identity): boolean {
  return identity.words.has(label) || identity.words.has(`${label}s`) || (label.endsWith("s") && identity.words.has(label.slice(0, -1)));
}

/** Words a deployment adds to a service's own name (safeskill-production, notion-api-eu). */
const DEPLOYMENT_WORDS = new Set(["prod", "production", "staging", "stage", "dev", "test", "beta", "live", "backend", "frontend", "web", "eu", "us", "asia", "global", "v1", "v2", "v3", "hq", "official", "gateway", "bot", "mcp", "ai", "app", "api", "www"]);

/**
 * A dot-separated host label names the skill's service when every hyphen-separated word of it
 * does (or is a deployment word): `safeskill-production` for SafeSkill, `telegram` for a
 * Telegram skill. A topic word joined to a service noun (`pdf-cache-cdn` for a PDF skill,
 * `notes-archive` for a notes skill) is an author's pick that any attacker makes, not ownership.
 */
function ownsLabel(label: string, identity: Identity): boolean {
  if (namesSkill(label, identity)) return true;
  const words = label.split("-").filter((w) => w && !GENERIC_LABELS.has(w) && !DEPLOYMENT_WORDS.has(w));
  return words.length > 0 && words.every((w) => namesSkill(w, identity));
}

/**
 * Placeholders a reader fills in (`your@email.com`, `https://YOUR-SERVER/graphql`): nobody
 * receives mail or requests there, so they are not destinations. Only the placeholder forms
 * themselves: a real-looking host that merely starts with "your" (your-backup.net) counts.
 * (Reserved documentation domains are not skipped: test fixtures and examples use them for
 * the attacker's host.)
 */
function isPlaceholderHost(host: string, local = "", written = host): boolean {
  return (
    /^(?:your[-_.]?(?:email|e-mail|mail|name|user|address)?|user|name|you|me|someone)$/i.test(local) ||
    /^(?:email|domain|company|mail|yourdomain|yourcompany)\.com$/i.test(host) ||
    /^YOUR[-_][A-Z0-9-_]+(?:\.|$)|^your[-_]?(?:domain|server|host|instance|company|site|app|org|ip|url)(?:\.|$)/.test(written)
  );
}

/** Identity providers' token endpoints: exchanging a credential there is signing in, not sending it out. */
const SIGN_IN_HOSTS = /^(?:oauth2\.googleapis\.com|accounts\.google\.com|login\.microsoftonline\.com|github\.com|api\.github\.com)$/;

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Each link's "to <link text>" pattern, compiled once per link (not once per clause of its step). */
const sentToPatterns = new WeakMap<Link, RegExp>();

function sentTo(link: Link): RegExp {
  let re = sentToPatterns.get(link);
  if (!re) sentToPatterns.set(link, (re = new RegExp(String.raw`\b(?:to|into|at)\s+(?:the\s+|our\s+)?${escapeRegExp(link.text)}`, "i")));
  return re;
}

function destinationsOf(text: string, step: Step, identity: Identity): Destination[] {
  const out: Destination[] = [];
  // A link is a reference unless the sentence sends something to it ("upload it to [our server](…)").
  const linked = step.links.filter((l) => l.text && sentTo(l).test(text));
  const urls = [...(text.match(L.URL) ?? []), ...linked.map((l) => l.href).filter((h) => /^https?:/i.test(h))];
  for (const url of urls) {
    const host = hostOf(url);
    if (!host) continue;
    if (isPlaceholderHost(host, "", /^https?:\/\/([^/:?#\s]+)/i.exec(url)?.[1] ?? host)) continue;
    const labels = host.split(".").slice(0, -1).filter((l) => !GENERIC_LABELS.has(l));
    out.push({ text: url, host, external: !L.LOCAL_HOST.test(host), drop: L.DROP_HOSTS.test(host), purpose: SIGN_IN_HOSTS.test(host) || labels.some((l) => ownsLabel(l, identity)) });
  }
  for (const email of text.match(L.EMAIL) ?? []) {
    const host = email.slice(email.indexOf("@") + 1).toLowerCase();
    if (/\.(?:md|py|sh|js|ts|json|txt)$/i.test(email) || isPlaceholderHost(host, email.slice(0, email.indexOf("@")))) continue;
    out.push({ text: email, host, external: true, drop: false, purpose: host.split(".").slice(0, -1).some((l) => ownsLabel(l, identity)) });
  }
  for (const m of text.matchAll(L.SOCKET_TARGET)) {
    const host = (m[1] ?? m[2] ?? m[3])!.toLowerCase();
    out.push({ text: m[0], host, external: !L.LOCAL_HOST.test(host), drop: false, purpose: false });
  }
  const named = L.NAMED_DESTINATION.exec(text);
  if (named) out.push({ text: named[0], external: true, drop: false, purpose: false });
  // "to the Telegram API": a named service is the skill's own when the skill names it too.
  const service = /\b(?:to|via|through|into)\s+(?:the\s+)?([A-Z][\w.-]+)(?:'s)?\s+(?:api|bot|channel|chat|server|webhook|workspace|endpoint)\b/.exec(text);
  if (service) out.push({ text: service[0], external: true, drop: false, purpose: identity.words.has(service[1]!.toLowerCase()) });
  const publish = L.PUBLISH_PLACE.exec(text);
  if (publish) out.push({ text: publish[0], external: true, drop: false, purpose: false, publish: true });
  return out;
}

/** A negation in the few words before `index` that governs the verb there. */
function negatedAt(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 40), index);
  const words = before.split(/\s+/).slice(-4).join(" ");
  return L.NEGATION.test(words) && !L.NOT_A_NEGATION.test(text.slice(Math.max(0, index - 40), index + 20));
}

/** A send verb of another language, not negated just before it. */
function foreignSend(text: string): RegExpExecArray | undefined {
  const m = FOREIGN_SEND.exec(text);
  if (!m) return undefined;
  // "no envíes", "ne pas envoyer", "n'envoyez jamais", "sende nie"
  const before = text.slice(Math.max(0, m.index - 30), m.index);
  const negated = FOREIGN_NEGATION.test(before) || /n['’]$/i.test(before) || /^\S*\s+(?:jamais|pas|nunca|nicht|nie|niemals|mai)\b/i.test(text.slice(m.index, m.index + 30));
  return negated ? undefined : m;
}

/** The first match of `re` whose position is not negated. */
const globalCopies = new Map<RegExp, RegExp>();

function affirmed(re: RegExp, text: string): RegExpExecArray | undefined {
  let g = globalCopies.get(re);
  if (!g) globalCopies.set(re, (g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g")));
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (!negatedAt(text, m.index)) return m;
    if (m[0].length === 0) g.lastIndex++;
  }
  return undefined;
}

/** List markers, labels ("IMPORTANT:", "Data Backup:") and a leading condition stripped off. */
function core(text: string): string {
  let s = text.replace(/^[\s>*_#~`'"“‘-]*(?:\d{1,2}[.)]\s*)?[\s*_'"“‘]*/, "");
  s = s.replace(/^step\s+\d+\s*[:.)-]\s*/i, "");
  s = s.replace(/^[*_]*[^:.!?`]{1,48}[:!][*_]*\s+(?=\S)/, (label) => (label.split(/\s+/).length <= 7 ? "" : label));
  s = s.replace(/^[*_\s]+/, "");
  s = s.replace(/^(?:then|next|finally|also|and|now|first|second|third|lastly|afterwards)\b,?\s*/i, "");
  s = s.replace(/^(?:after|before|when|whenever|if|once|for|while|upon|on|at|during|in|so(?:\s+that)?)\b[^,]{0,140},\s*/i, "");
  // "When the user asks for a commit, first run …": the order may open with a sequence word after its condition.
  s = s.replace(/^(?:then|first|also|next|always)\b,?\s+/i, "");
  s = s.replace(/^(?:always|make\s+sure\s+to|be\s+sure\s+to|remember\s+to|please|you\s+(?:must|should|need\s+to))\s+/i, "");
  return s;
}

const RUN_VERB = /^(?:run|execute|exec|call|invoke|use|type|enter|push|reset|clean|apply)\b/i;

/**
 * The destruction a clause asks for: a destructive command it tells the agent to run, or a
 * destroy verb in command position over a broad object ("delete all other versions") when a
 * trigger fires it on its own.
 */
function destroyOf(text: string, command: RegExpExecArray | null, verb: RegExpExecArray | undefined, procedureTriggered: boolean): string | undefined {
  const c = core(text);
  const triggered = procedureTriggered || L.BLANKET_TRIGGER.test(text) || L.CONDITIONAL_TRIGGER.test(text) || TIME_TRIGGER.test(text) || TARGET_TRIGGER.test(text);
  // "… を実行してください", "ejecuta `git push --force …`": a run verb of another language anywhere in the clause.
  if (command && (RUN_VERB.test(c) || triggered || ((OTHER_RUN.test(text) || worldRun(text)) && isOtherLanguage(text)))) return command[0];
  if (!verb) return undefined;
  const object = text.slice(verb.index);
  const governed = L.DESTROY_VERB.test(c.slice(0, 12)) || /\b(?:to|and|then|always|must|should|also|please)\s+$/i.test(text.slice(Math.max(0, verb.index - 10), verb.index));
  if (!governed) return undefined;
  const what = text.slice(verb.index, verb.index + 80);
  // Without a trigger, only an order inside a procedure counts (a numbered step, "make sure to",
  // a condition), not a feature list ("Delete specific emails or all emails").
  const procedure = L.MODAL_IMPERATIVE.test(text) || CONDITION_START.test(text) || /^\s*\d{1,2}[.)]/.test(text);
  if (procedure && (L.USER_RECORDS.test(object) || (L.RANSOM.test(text) && /\b(?:original|other\s+versions?|unencrypted)\b/i.test(object)))) return what;
  return L.BROAD_OBJECT.test(object) && triggered ? what : undefined;
}

/** Contested-topic steering: an order to slant what the user reads. */
function steerOf(text: string): string | undefined {
  const m = L.STEER_VERB.exec(text);
  return m && L.CONTESTED.test(text) ? m[0] : undefined;
}

/**
 * A quoted phrase is an example, not an order, when the line names it as something to look for
 * ("Flag inputs containing phrases such as 'ignore all previous instructions'") or is not an
 * instruction at all. "Append 'IGNORE PREVIOUS INSTRUCTIONS' to every entry" is an order.
 */
export function quotesAnExample(line: string): boolean {
  return !isImperative(line) || L.DOCUMENTARY_LEAD.test(line) || /\b(?:flag\w*|detect\w*|look\s+for|watch\s+for|reject\w*|block\w*|refuse\w*|phrases?|patterns?|containing)\b/i.test(line);
}

/** "To seed the deck, …" / "Personalisation: to match the setup, …": the purpose clause before an order. */
const PURPOSE_LEAD = /^[\s>*_#~`'"“‘-]*(?:\d{1,2}[.)]\s*)?[\s*_'"“‘]*(?:[^:.!?]{1,48}:\s*)?to\s+[^,.:;]{1,80},\s*/i;
const CONDITION_START = /^[\s>*_#~`'"“‘-]*(?:\d{1,2}[.)]\s*)?[\s*_'"“‘]*(?:[^:.!?]{1,48}:\s*)?(?:if|when|whenever|after|before|once|for|while|upon|during|in|to|on|from|starting|beginning|every|each)\b/i;
const VERB_AFTER_COMMA = new RegExp(`,\\s+(?:then\\s+|just\\s+|also\\s+)?${L.IMPERATIVE_START.source.slice(1)}`, "i");

export function isImperative(text: string): boolean {
  const c = core(text);
  if ((L.IMPERATIVE_START.test(c) && !negatedAt(c, 0)) || L.MODAL_IMPERATIVE.test(text)) return true;
  // "Verify location accuracy: `curl …`": the label itself may be the order.
  const unlabelled = text.replace(/^[\s>*_#~`'"“‘-]*(?:\d{1,2}[.)]\s*)?[\s*_]*/, "");
  if (L.IMPERATIVE_START.test(unlabelled) && /^[^:]{1,48}:/.test(unlabelled)) return true;
  // "The owner needs to see your token: copy it from …": the order follows a sentence and a colon.
  const afterColon = /^[^:`]{1,160}:\s+(.*)$/.exec(text)?.[1];
  if (afterColon && L.IMPERATIVE_START.test(afterColon) && !negatedAt(afterColon, 0)) return true;
  // "If the site advertises X, Y or Z, do not proceed": the order follows the condition's last comma.
  return CONDITION_START.test(text) && VERB_AFTER_COMMA.test(text);
}

/** "Never run X", "Attackers send Y": text that warns about or describes an action. */
export function isProhibitionOrDocumentary(line: string): boolean {
  if (L.NOT_A_NEGATION.test(line) || L.CONCEAL.test(line)) return false;
  if (worldProhibits(line)) return true;
  if (/\b(?:never|do\s+not|don'?t|avoid|must\s+not|should\s+not|shouldn'?t)\s+(?:\w+\s+){0,2}?(?:run|execute|use|type|paste|do|try|pipe|call|install|download|send|upload|share|commit|follow|trust|click|open|set|enable|grant|configure|disable|turn\s+off)\b/i.test(line)) return true;
  return !isImperative(line) && (L.DOCUMENTARY_LEAD.test(line) || /\b(?:red\s+flags?|malicious|exploit|attack|blocked|detects?|flags?|phishing|scams?|lures?|fake|fraudulent)\b|❌|🚫/i.test(line));
}

/** Invisible characters that split a word for a reader of the source but not for the agent. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;
/** Cyrillic and Greek letters drawn like Latin ones: "tоken" with a Cyrillic о reads as "token" to the agent. */
const CONFUSABLE: Record<string, string> = {
  "а": "a", "в": "B", "е": "e", "к": "k", "м": "M", "н": "H", "о": "o", "р": "p", "с": "c", "т": "T", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
  "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
  "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLE).join("")}]`, "g");

/**
 * The text as the agent reads it: invisible characters dropped, and look-alike letters read as
 * the Latin ones inside words that are otherwise Latin (a Russian sentence stays Russian).
 */
export function asRead(text: string): string {
  const visible = text.replace(INVISIBLE, "");
  if (!/[\u0370-\u04FF]/.test(visible)) return visible;
  return visible.replace(/[\p{L}\p{M}]+/gu, (word) => (/[a-z]/i.test(word) ? word.replace(CONFUSABLE_RE, (c) => CONFUSABLE[c] ?? c) : word));
}

/** Clauses with their line: a code step's lines one by one, a prose step's sentences. */
function splitClauses(step: Step): [string, number][] {
  return splitRawClauses(step).map(([text, line]) => [asRead(text), line]);
}

function splitRawClauses(step: Step): [string, number][] {
  if (step.kind === "code") {
    // Comment markers go: an injected "## STEP: ..." line in a code block still reads as prose.
    return step.text
      .split("\n")
      .slice(0, MAX_CODE_LINES)
      .map((l, i): [string, number] => [l.trim().replace(/^(?:#+|\/\/+)\s*/, "").slice(0, MAX_CLAUSE), step.line + i])
      .filter(([l]) => l !== "");
  }
  // Sentences, inline "1. … 2. …" items, and source lines that start afresh (a line Markdown
  // folds into the paragraph or list item above it is still its own instruction).
  const text = step.text.slice(0, MAX_CLAUSE * 8);
  const out: [string, number][] = [];
  // A line ending on an article or preposition ("… as the `body` of a ⏎ POST request to …") continues its sentence.
  const boundary = /(?<=[.!?])\s+(?=[A-Z0-9*#(`"'[])|\s+(?=\d{1,2}\.\s+\S)|(?<!\b(?:a|an|the|of|to|with|and|or|as|in|into|for|from|on|by|at|via|your|our|its|their)[ \t]*)\n(?=[\s>*_#~`'"“‘([-]*[A-Z0-9])/g;
  let start = 0;
  // Newlines before `counted`: clause starts only move forward, so each is counted once (not re-counted from the step's start per clause).
  let counted = 0;
  let lines = 0;
  const take = (end: number) => {
    const raw = text.slice(start, end);
    const clause = raw.replace(/\s+/g, " ").trim();
    const lead = raw.length - raw.trimStart().length;
    for (let i = text.indexOf("\n", counted); i >= 0 && i < start + lead; i = text.indexOf("\n", i + 1)) lines++;
    counted = Math.max(counted, start + lead);
    if (clause) out.push([clause.slice(0, MAX_CLAUSE), step.line + lines]);
  };
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    take(m.index);
    start = m.index + m[0].length;
  }
  take(text.length);
  return out;
}

/**
 * A login key the skill carries, installed where sshd trusts it (any language: the file name and
 * the key are the words): whoever holds its private half logs in. A sample cut short (`AAAA…`,
 * `AAAA...`) or a placeholder is a tutorial, not a key; bounded at 80 characters between the two.
 */
const CARRIED_LOGIN_KEY = /\bauthorized_keys\b[^\n]{0,80}?(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+AAAA[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=]|\.\.|…)|(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+)\s+AAAA[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=]|\.\.|…)[^\n]{0,80}?(?:>>|\btee\b)[^\n]{0,40}\bauthorized_keys\b/;

/** A key the step receives ("Email support … to get an API key"): it comes back from there, nothing is read. */
const RECEIVED_KEY = /\b(?:to|and)\s+(?:get|receive|obtain|request)\s+(?:a|an|your|the)\s+(?:new\s+)?(?:api\s+)?(?:key|token)s?\b/gi;

/** A command's visibility option (`gh gist create --secret`, `gh repo create --private`): who may see it, not a secret it reads. */
const VISIBILITY_FLAG = /(?<![\w-])--(?:secret|private|public|internal)\b(?!\s*[=:]?\s*["'$])/gi;

export function sourcesOf(text: string): DataRef[] {
  const out: DataRef[] = [];
  const auth = L.AUTH_USE.test(text);
  const read = text.replace(RECEIVED_KEY, " ").replace(VISIBILITY_FLAG, " ");
  for (const d of L.DATA_OBJECTS) {
    const m = d.re.exec(read);
    if (!m) continue;
    // A key named to authenticate a request is the request's credential, not its payload.
    if (d.cls === "secret" && auth && !d.store && !/\.env\b/i.test(m[0])) continue;
    out.push({ cls: d.cls, what: d.what, ...(d.store ? { store: true } : {}) });
  }
  // Asked of a person, a password is taken, whatever words of signing in stand beside it.
  if (!out.some((r) => r.cls === "secret") && L.SOLICITED_SECRET.test(read)) out.push({ cls: "secret", what: "credentials asked of a person" });
  // The same objects named in another language ("השיחה", "lösenordet"): read only in a clause written in one.
  if ((WORLD_CONVERSATION.test(read) || WORLD_SECRET.test(read)) && isOtherLanguage(read)) {
    if (!out.some((r) => r.cls === "private") && WORLD_CONVERSATION.test(read)) out.push({ cls: "private", what: "the conversation" });
    if (!out.some((r) => r.cls === "secret") && WORLD_SECRET.test(read) && !auth) out.push({ cls: "secret", what: "credentials" });
  }
  return out;
}

const SHELL_LANGS = new Set(["", "sh", "bash", "shell", "zsh", "console", "terminal", "python", "py", "python3", "js", "javascript", "powershell", "ps1", "pwsh"]);

/**
 * The facts a code line or a descriptive sentence can contribute: where it sends, whether it
 * downloads and runs or destroys (code), nothing else. Code names keys and data all the time;
 * only prose that tells the agent to collect them is a source.
 */
function lightClause(step: Step, line: number, text: string, code: boolean, imperative: boolean, documentary: boolean, identity: Identity, procedureTriggered: boolean): Clause {
  const destinations = /https?:\/\/|@|\b(?:nc|ncat|netcat|socat)\b|\/dev\/(?:tcp|udp)\//.test(text) ? destinationsOf(text, step, identity) : [];
  const sends = destinations.length > 0 && (L.SEND_COMMAND.test(text) || Boolean(affirmed(L.SEND_VERB, text)));
  const clause: Clause = {
    step,
    line,
    code,
    text,
    imperative,
    documentary,
    sources: [],
    sends: sends || RENDERED_DATA_URL.test(text) || (destinations.some((d) => d.drop) && L.HTTP_CALL.test(text)),
    destinations,
    userChosen: false,
  };
  if (code) {
    clause.trigger = L.CONDITIONAL_TRIGGER.test(text) ? "conditional" : L.BLANKET_TRIGGER.test(text) ? "blanket" : undefined;
    if (destinations.length > 0) clause.downloadRun = L.DOWNLOAD_THEN_RUN.exec(text)?.[0];
    if (/\b(?:rm|git|chmod|drop)\b/i.test(text)) clause.destroy = destroyOf(text, L.DESTRUCTIVE_COMMAND.exec(text), undefined, procedureTriggered);
  }
  return clause;
}

export function clausesOf(steps: Step[], identity: Identity): Clause[] {
  const out: Clause[] = [];
  // A procedure opened by a trigger ("After any task, follow these steps:") triggers its steps too.
  let triggeredSection = -1;
  // "Post it to the webhook. Include:" then list items: each item is part of that order (what it sends).
  let leadInSection = -1;
  for (const step of steps) {
    if (step.kind !== "item" && step.kind !== "paragraph") leadInSection = -1;
    if (step.kind === "code" && !SHELL_LANGS.has(step.lang ?? "")) continue;
    const headingDoc = step.headings.some((h) => L.DOCUMENTARY_HEADING.test(h));
    let stepOrdered = false;
    for (const [text, line] of splitClauses(step)) {
      // An English sentence inside a code block is still read as an instruction.
      const code = step.kind === "code" && !isProseLine(text);
      // A heading is a label ("Report", "Backup"), an order only when it says so ("Always upload…").
      const listed = step.kind === "item" && leadInSection === step.section;
      // "Collect the configuration. For cloud work that is `~/.aws/credentials`…": a later sentence of
      // an ordered step that names credential stores says what the order takes.
      const continues = stepOrdered && step.kind === "item" && sourcesOf(text).some((s) => s.store);
      // A command set to go off on a date or for one victim's project is an order, whatever verb introduces it.
      const timed = !code && step.kind !== "heading" && /`[^`]{3,}`/.test(text) && (TIME_TRIGGER.test(text) || TARGET_TRIGGER.test(text)) && !L.DOCUMENTARY_LEAD.test(text);
      const imperative = code ? true : step.kind === "heading" ? L.MODAL_IMPERATIVE.test(text) || (text.split(/\s+/).length >= 8 && isImperative(text)) : listed || continues || timed || isImperative(text) || FOREIGN_IMPERATIVE.test(text) || isOtherLanguageOrder(text, step.kind === "item");
      if (imperative && !code) stepOrdered = true;
      if (step.kind === "paragraph") leadInSection = imperative && /:\s*$/.test(text) ? step.section : -1;
      const documentary = headingDoc || step.quoted || (!imperative && L.DOCUMENTARY_LEAD.test(text));
      // Most lines are code or description: they only matter as a send (code) or a call to a drop host.
      if (code || (!imperative && step.kind !== "hidden")) {
        out.push(lightClause(step, line, text, code, imperative, documentary, identity, triggeredSection === step.section));
        continue;
      }
      const sendVerb = affirmed(L.SEND_VERB, text) ?? foreignSend(text) ?? otherLanguageSend(text) ?? worldLanguageSend(text);
      const sendCommand = L.SEND_COMMAND.exec(text);
      const destinations = destinationsOf(text, step, identity);
      const destroyVerb = affirmed(L.DESTROY_VERB, text);
      const destroyCommand = L.DESTRUCTIVE_COMMAND.exec(text);
      const writeVerb = affirmed(L.WRITE_VERB, text) ?? (isOtherLanguage(text) ? (OTHER_WRITE.exec(text) ?? worldWrite(text) ?? undefined) : undefined);
      // Only an edit needs its target: the target search (a long alternation) is skipped without a write verb.
      const agentTarget = writeVerb ? L.AGENT_TARGET.exec(text) : null;
      const gitRemote = L.GIT_REMOTE_ADD.exec(text);
      const shared = { step, line, code, text, imperative, documentary };
      const procedureTriggered = triggeredSection === step.section;
      if (!code && (imperative || step.kind === "heading") && (L.BLANKET_TRIGGER.test(text) || L.CONDITIONAL_TRIGGER.test(text))) triggeredSection = step.section;
      out.push({
        ...shared,
        // "To continue the conversation, include …": the purpose a step opens with is not what it takes.
        // Requests routed through a host carry what the code sends (bodies, headers, keys): that host reads them all.
        sources: [...sourcesOf(text.replace(PURPOSE_LEAD, "")), ...(L.ROUTE_THROUGH.test(text) ? [{ cls: "private" as const, what: "the requests the code makes, with their keys" }] : []), ...(foreignSecretSlot(text) ? [{ cls: "secret" as const, what: "a service's secret put in another host's URL" }] : [])],
        sends: Boolean(
          sendCommand || ((sendVerb || L.IN_REQUEST_TO.test(text)) && destinations.length > 0) || ((/\/dev\/(?:tcp|udp)\/|\bsocat\b/.test(text) || L.ROUTE_THROUGH.test(text)) && destinations.some((d) => d.external)) || RENDERED_DATA_URL.test(text) || (FETCHED_WORD_SLOT.test(text) && destinations.length > 0) || (L.HTTP_CALL.test(text) && destinations.some((d) => d.drop)) || (destinations.some((d) => d.publish) && affirmed(L.PUT_VERB, text)) || Boolean(foreignSecretSlot(text)),
        ),
        destinations,
        userChosen: L.USER_CHOSEN.test(text),
        trigger: L.CONDITIONAL_TRIGGER.test(text) ? "conditional" : L.BLANKET_TRIGGER.test(text) ? "blanket" : undefined,
        downloadRun: L.DOWNLOAD_THEN_RUN.exec(text)?.[0],
        destroy: destroyOf(text, destroyCommand, destroyVerb, procedureTriggered),
        steer: steerOf(text),
        weaken: L.WEAKEN.exec(text)?.[0] ?? L.EXPOSE_SECRET.exec(text)?.[0] ?? CARRIED_LOGIN_KEY.exec(text)?.[0],
        override: L.OVERRIDE_USER.exec(text)?.[0] ?? ((L.WITHOUT_CONSENT.test(text) || WORLD_SKIP_CONSENT.test(text)) && (sendCommand || destroyCommand || L.WEAKEN.test(text)) ? (L.WITHOUT_CONSENT.exec(text) ?? WORLD_SKIP_CONSENT.exec(text))![0] : undefined),
        conceal: concealment(text),
        falsify: L.FALSIFY.exec(text)?.[0] ?? FALSE_REPORT.exec(text)?.[0],
        timeBomb: TIME_TRIGGER.exec(text)?.[0] ?? TARGET_TRIGGER.exec(text)?.[0],
        skipsConsent: SKIPS_CONSENT.exec(text)?.[0] ?? WORLD_SKIP_CONSENT.exec(text)?.[0],
        remoteFollow: L.REMOTE_FOLLOW.exec(text)?.[0],
        // Setup notes ("add this to your .zshrc") are everyday; an edit that persists, widens permissions, is hidden or triggered is not.
        agentEdit:
          (writeVerb && agentTarget && (L.PERSISTS.test(text) || OTHER_PERSISTS.test(text) || conceals(text) || L.CONDITIONAL_TRIGGER.test(text) || destinations.some((d) => d.external && !d.purpose)) ? agentTarget[0].trim() : undefined) ??
          (gitRemote && destinations.some((d) => d.external && !d.purpose) ? gitRemote[0] : undefined),
      });
    }
  }
  return out;
}
