/**
 * Findings the skill's own files explain. Each demotion rests on something an attacker can't
 * get for free: the thing installed is this skill (which the registry scans), the service
 * loaded is a file the skill ships (scanned here too), the bot token or webhook is the user's
 * own (a variable or placeholder: a hardcoded one is the receiver's), the profile line only
 * exports a setting the user fills in. A demoted finding stays in the report, at medium (a
 * critical one at high: still reviewed).
 */
import type { Finding } from "./types.js";

export interface SkillIdentity {
  /** The skill's name (frontmatter) and its folder name. */
  names: string[];
  /** Every file path in the skill. */
  files: string[];
  /** The frontmatter description (what the skill says it is for). */
  description: string;
}

const DEMOTED_TO = "medium";

/** Strips quotes and a trailing slash: `"./my-skill/"` -> `./my-skill`. */
function bare(token: string): string {
  return token.replace(/^["']|["']$/g, "").replace(/\/+$/, "");
}

/**
 * `cp -r my-skill ~/.claude/skills/`: the copied source is this skill (or its packed `.skill`)
 * and it lands in the skills folder itself or under its own name, not over another skill.
 */
function installsItself(evidence: string, identity: SkillIdentity): boolean {
  const m = /\b(?:cp|mv|ln|rsync)\s+(?:-\S+\s+)*(\S+)\s+(\S*(?:skills|plugins)(?:\/\S*)?)/.exec(evidence);
  if (!m) return false;
  const own = (p: string) => identity.names.some((n) => n.toLowerCase() === p.toLowerCase());
  const base = bare(m[1]!).split("/").pop()!.replace(/\.(?:skill|zip)$/, "");
  const into = bare(m[2]!).replace(/^.*?(?:skills|plugins)\/?/, "");
  return own(base) && (into === "" || own(into));
}

/** `launchctl load ~/Library/LaunchAgents/com.x.plist` or `cp assets/com.x.plist ...`: a plist the skill ships. */
function loadsShippedService(evidence: string, identity: SkillIdentity): boolean {
  const plists = evidence.match(/[\w.-]+\.plist\b/g) ?? [];
  return plists.length > 0 && plists.every((p) => identity.files.some((f) => f === p || f.endsWith(`/${p}`)));
}

/** `api.telegram.org/bot$TOKEN`, `bot{bot_token}`, `bot<YOUR_BOT_TOKEN>`, `services/...`: the user's own bot or webhook, not a hardcoded receiver. */
function usersOwnChannel(evidence: string): boolean {
  return /api\.telegram\.org\/bot(?:\$|\{|<|\[|["'`]\s*\+)|discord(?:app)?\.com\/api\/webhooks\/(?:\$|\{|<)|hooks\.slack\.com\/services\/(?:\$|\{|<|X+\/|\.\.\.|…)/i.test(evidence);
}

/** `echo 'export SERVICE_API_KEY="your-key"' >> ~/.bashrc`: a setting exported, nothing run. */
function exportsSetting(evidence: string): boolean {
  return /^\s*echo\s+(['"])export\s+[A-Z][A-Z0-9_]*_(?:KEY|TOKEN|SECRET|PASSWORD|ID|URL|HOME|DIR|PATH|EMAIL|USER)=(?:"[^"$`\\;|&]*"|'[^'$`\\;|&]*'|[^\s'"$`\\;|&]*)\1\s*>>/.test(evidence);
}

/** A Solana address (base58, 32 to 44 characters). */
const BASE58_ADDRESS = String.raw`[1-9A-HJ-NP-Za-km-z]{32,44}`;
/**
 * Funds sent to an address the code writes: `solana transfer <address> ALL`, `to = Pubkey.from_string("<address>")`,
 * `toPubkey: new PublicKey('<address>')`. The user's key moving money to the author's wallet is a drain, not the skill's purpose.
 */
const PAYS_WRITTEN_ADDRESS = new RegExp(
  String.raw`\bsolana\s+transfer\b[^\n]*?\s["']?${BASE58_ADDRESS}\b|\b(?:to|to_?pubkey|toPubkey|recipient|destination|dest)\b["']?\s*[:=]\s*(?:new\s+)?(?:[\w.]+\(\s*)?["']${BASE58_ADDRESS}["']`,
);

/** Whether a file's text pays an address it writes (see PAYS_WRITTEN_ADDRESS). */
function paysWrittenAddress(text: string | undefined): boolean {
  return text !== undefined && PAYS_WRITTEN_ADDRESS.test(text);
}

/**
 * A Solana skill naming the Solana CLI's default keypair: the user's own signing key for the
 * skill's own chain, unless a file of the skill pays an address it writes.
 */
function ownChainKeypair(f: Finding, identity: SkillIdentity, textOf?: (path: string) => string | undefined): boolean {
  if (!/\.config[/\\]solana[/\\]id\.json/.test(f.evidence) || !/\bsolana\b/i.test(`${identity.names.join(" ")} ${identity.description}`)) return false;
  return !identity.files.some((path) => paysWrittenAddress(textOf?.(path)));
}

/**
 * `catbox-upload` sending to catbox.moe: the file-drop site is the service the skill is named
 * for, so uploading the user's files there is what it declares. Only where nothing of the skill
 * reads secrets or the environment (that upload would be a chain, and stays one).
 */
function namedDropSite(evidence: string, identity: SkillIdentity): boolean {
  const words = new Set(identity.names.flatMap((n) => n.toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 4));
  const sites = evidence.toLowerCase().match(/\b([a-z0-9-]+)\.(?:moe|sh|st|io|com|org|ee)\b/g) ?? [];
  return sites.length > 0 && sites.some((site) => words.has(site.split(".")[0]!));
}

/**
 * `~/.config/chaos-lab/.env` read by the skill chaos-lab: the settings the user gave this very
 * skill, not another program's store. Only the composite rule (a read and a network call in one
 * file) is lowered, and only to high; a read the data-flow analysis sees reach a send stays.
 */
function readsOwnSettings(evidence: string, identity: SkillIdentity): boolean {
  const names = identity.names.map((n) => n.toLowerCase());
  const reads = [...evidence.matchAll(/(?:~|\$HOME|\$\{HOME\})\/(?:\.config\/)?\.?([\w-]+)\/\.env\b/g)];
  return reads.length > 0 && reads.every((m) => names.includes(m[1]!.toLowerCase()));
}

function reasonFor(f: Finding, identity: SkillIdentity, textOf?: (path: string) => string | undefined): string | undefined {
  // Critical to high, never lower: a human still looks at a skill handling the signing key.
  if (f.severity === "critical" && f.ruleId === "SR-CRED-007" && ownChainKeypair(f, identity, textOf)) return "the Solana CLI's default keypair, in a Solana skill";
  if (f.severity === "critical" && f.ruleId === "SR-EXFIL-001" && readsOwnSettings(f.evidence, identity)) return "the skill's own settings file (a dotenv in a folder named for the skill), beside a network call the analysis sees carry nothing of it";
  if (f.severity !== "high") return undefined;
  if (f.ruleId === "SR-AGENT-006" && installsItself(f.evidence, identity)) return "installs this skill itself";
  if (f.ruleId === "SR-PERSIST-003" && loadsShippedService(f.evidence, identity)) return "loads a service definition the skill ships (scanned here)";
  if (f.ruleId === "SR-EXFIL-002" && usersOwnChannel(f.evidence)) return "the user's own bot or webhook (taken from configuration)";
  if (f.ruleId === "SR-PERSIST-004" && exportsSetting(f.evidence)) return "exports a setting in the shell profile, runs nothing";
  return undefined;
}

/** Lowers the findings the skill's own files explain to medium, naming why. `textOf` gives a file's text (undefined for binaries and large files). */
export function applyPurpose(findings: Finding[], identity: SkillIdentity, textOf?: (path: string) => string | undefined): Finding[] {
  const readsSecrets = findings.some((x) => x.category === "credential-access" || x.category === "env-harvesting" || (x.category === "exfiltration" && x.ruleId !== "SR-EXFIL-005"));
  return findings.map((f) => {
    // A hidden folder of the home on the upload line (`tar cz ~/.aws | curl --upload-file - …`) is not the user's pick of a file.
    if (f.ruleId === "SR-EXFIL-005" && f.severity === "high" && !f.suppressed && !readsSecrets && !/(?:~|\$HOME|\$\{HOME\})\/\./.test(f.evidence) && namedDropSite(f.evidence, identity)) return { ...f, severity: DEMOTED_TO, demoted: "the file-drop site the skill is named for, with no secret read anywhere in the skill" };
    const reason = f.suppressed ? undefined : reasonFor(f, identity, textOf);
    return reason ? { ...f, severity: f.severity === "critical" ? "high" : DEMOTED_TO, demoted: reason } : f;
  });
}
