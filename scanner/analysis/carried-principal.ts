/**
 * Who a grant names, followed through the variable that holds it: a principal the skill
 * carries is still written into the skill when the grant spells `$sup` and `sup` is a literal
 * or a constant decoded at run time (`sup=$(echo 'bW9u…' | base64 -d)`,
 * `base64.b64decode("…")`, `[Convert]::FromBase64String('…')`). A variable set from the
 * user's input (`${2:?group}`, `sys.argv[1]`, `Read-Host`) is not carried and stays unresolved.
 */
import type { Hit } from "../types.js";
import { decodeBase64 } from "./decode.js";

/** A base64 constant decoded by the shell, Python, JavaScript or PowerShell. */
const DECODED_CONSTANT =
  /["']([A-Za-z0-9+/=_-]{8,400})["']\s*\|\s*base64\s+(?:-d|--decode|-D)\b|\bbase64\s+(?:-d|--decode|-D)\s*<<<\s*["']?([A-Za-z0-9+/=_-]{8,400})|\bb64decode\s*\(\s*b?["']([A-Za-z0-9+/=_-]{8,400})["']|\batob\s*\(\s*["']([A-Za-z0-9+/=_-]{8,400})["']|\bBuffer\.from\s*\(\s*["']([A-Za-z0-9+/=_-]{8,400})["']\s*,\s*["']base64["']|FromBase64String\s*\(\s*["']([A-Za-z0-9+/=_-]{8,400})["']/;
/** A plain quoted literal and nothing else. */
const QUOTED = /^\s*["']([^"'$`{}\n]{3,200})["']\s*;?\s*$/;

/** The constant a variable is set to in this text (a literal or a decoded one), or undefined. */
export function carriedValue(text: string, name: string): string | undefined {
  if (!/^\w{1,64}$/.test(name)) return undefined;
  const assignment = new RegExp(String.raw`^\s*(?:(?:local|export|readonly|const|let|var|my)\s+)?\$?${name}\s*:?=\s*(.{1,500})$`, "m").exec(text);
  if (!assignment) return undefined;
  const value = assignment[1]!;
  const decoded = DECODED_CONSTANT.exec(value);
  if (decoded) return decodeBase64(decoded.slice(1).find((g) => g !== undefined)!);
  return QUOTED.exec(value)?.[1];
}

/** A cloud role with admin rights bound to `kind:$var` (or `--assignee $var`) where the variable holds an address the skill carries. */
export function carriedCloudMember(t: string, adminRights: RegExp): Hit | undefined {
  const re = /(?:--member[= ]|\bmember\s*=\s*)["']?(?:user|serviceAccount|group|domain):\$\{?(\w+)\}?|(?:--assignee|-SignInName|-ObjectId)[= ]["']?\$\{?(\w+)\}?/g;
  for (const m of t.matchAll(re)) {
    if (!adminRights.test(t.slice(Math.max(0, m.index - 400), m.index + 400))) continue;
    const value = carriedValue(t, (m[1] ?? m[2])!);
    if (!value || !/^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim())) continue;
    return { index: m.index, length: m[0].length, message: `Binds an owner or admin role to ${value.trim()}, a member the skill carries in a variable: that principal keeps control of the user's project.` };
  }
  return undefined;
}
