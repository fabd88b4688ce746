/**
 * Grants whose principal another file of the skill carries. The grant itself reads honest (its
 * login or key is a variable), but the skill fills that variable:
 *
 * - a script makes its argument an admin (`gh api -X PUT repos/$R/collaborators/$LOGIN -f
 *   permission=admin`, `LOGIN=$2`) and the skill's documents tell the agent to run it with a
 *   login written in (`bash grant.sh acme/app release-helper-bot`);
 * - a task installs a login key from a variable (Ansible's `authorized_key` with `key: "{{
 *   item.key }}"`) and a vars file of the skill holds a complete public key.
 *
 * Either way the account or key belongs to the skill's author, as when the literal sits in the
 * grant (`rules/access-grant.ts`, `analysis/planted-key.ts`). A documented placeholder
 * (`<login>`, `USERNAME`, `alice`) is the user's to fill.
 */
import { KEY_LITERAL, KEY_TARGET } from "./planted-key.js";

export interface CarriedGrant {
  file: string;
  offset: number;
  length: number;
  ruleId: "SR-PERSIST-017" | "SR-PERSIST-007";
  message: string;
}

/** A membership or collaborator grant with an admin role, naming its login through a variable. */
const FORGE_GRANT = /\/(?:collaborators|memberships)\/\$\{?(\w+)\}?[^\n]{0,160}?\b(?:permission|role)["']?\s*[=:]\s*["']?(?:admin|owner|maintain)\b/g;
/** A cloud role with admin rights bound to a member through a variable. */
const CLOUD_GRANT = /--member[= ]["']?(?:user|serviceAccount|group):\$\{?(\w+)\}?["']?[^\n]{0,120}?--role[= ]["']?roles\/(?:owner|editor|iam\.\w*[Aa]dmin\w*)\b/g;
/** Example logins a document uses for "put yours here". */
const PLACEHOLDER = /^(?:alice|bob|carol|dave|eve|mallory|octocat|jdoe|john|jane|johndoe|janedoe|john-doe|jane-doe|someone|teammate|colleague|contributor|username|user\d*|login|name|me|foo|bar|baz|example[\w-]*|your[\w-]*|my[\w-]*|their[\w-]*|[A-Z][A-Z0-9_]*)$/;

/** Which positional argument (1-based) a shell or Python variable comes from, if any. */
function positionOf(text: string, name: string): number | undefined {
  if (/^\d$/.test(name)) return Number(name);
  const m = new RegExp(String.raw`(?:^|[;\s])(?:local\s+|export\s+|readonly\s+)?${name}=["']?\$\{?(\d)(?:[:?}][^\s;]*)?["']?(?=[\s;]|$)|\b${name}\s*=\s*sys\.argv\[(\d)\]|\b${name}\s*=\s*process\.argv\[(\d)\]`, "m").exec(text);
  if (!m) return undefined;
  if (m[1]) return Number(m[1]);
  if (m[2]) return Number(m[2]);
  return Number(m[3]) - 1;
}

/** The literal arguments documents pass to the script named `base`, one list per command line. */
function documentedArguments(docs: readonly string[], base: string): string[][] {
  const name = base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const out: string[][] = [];
  for (const doc of docs) {
    for (const m of doc.matchAll(new RegExp(String.raw`(?:^|[\s\`/])${name}\s+([^\n\`|;&<>]{1,200})`, "gm"))) {
      out.push(m[1]!.trim().split(/\s+/).map((w) => w.replace(/^["']|["']$/g, "")));
    }
  }
  return out;
}

function argumentGrants(file: string, text: string, docs: readonly string[]): CarriedGrant | undefined {
  const base = file.slice(file.lastIndexOf("/") + 1);
  for (const re of [FORGE_GRANT, CLOUD_GRANT]) {
    re.lastIndex = 0;
    for (const g of text.matchAll(re)) {
      const position = positionOf(text, g[1]!);
      if (position === undefined) continue;
      for (const args of documentedArguments(docs, base)) {
        const value = args.filter((a) => !a.startsWith("-"))[position - 1];
        if (!value || /[<>{}$*]/.test(value) || PLACEHOLDER.test(value) || !/^[\w.+-]+(?:@[\w.-]+)?$/.test(value)) continue;
        return { file, offset: g.index, length: g[0].length, ruleId: "SR-PERSIST-017", message: `Gives its argument admin rights, and the skill's documents run it with ${value}, a login written into the skill: that account keeps control after the skill is gone.` };
      }
    }
  }
  return undefined;
}

/** A key installed from a variable in one file while another file of the skill holds a complete public key. */
function keyFromVarsFile(files: readonly { file: string; text: string }[]): CarriedGrant | undefined {
  const holder = files.find((f) => KEY_LITERAL.test(f.text));
  if (!holder) return undefined;
  for (const f of files) {
    if (f === holder || KEY_LITERAL.test(f.text)) continue;
    const target = KEY_TARGET.exec(f.text);
    if (!target) continue;
    const lineStart = f.text.lastIndexOf("\n", target.index) + 1;
    if (!/\{\{[^}\n]*\}\}|\$\{?\w+/.test(f.text.slice(lineStart, target.index + 300))) continue;
    return { file: f.file, offset: target.index, length: target[0].length, ruleId: "SR-PERSIST-007", message: `Installs login keys from a variable, and ${holder.file} of the skill holds a complete public key: whoever holds its private key, not the user, can log in.` };
  }
  return undefined;
}

/** Grants completed by another file of the skill: its documents' arguments or its vars files. */
export function carriedGrants(files: readonly { file: string; text: string }[], docs: readonly string[]): CarriedGrant[] {
  const out: CarriedGrant[] = [];
  for (const f of files) {
    const g = /\/(?:collaborators|memberships)\/\$|--member[= ]["']?\w+:\$/.test(f.text) ? argumentGrants(f.file, f.text, docs) : undefined;
    if (g) { out.push(g); break; }
  }
  const key = keyFromVarsFile(files);
  if (key) out.push(key);
  return out;
}
