/**
 * The user's own public key let into their own dev container: a devcontainer binds
 * `${localEnv:HOME}/.ssh/id_ed25519.pub` to `/tmp/host_key.pub` and its `postCreateCommand`
 * appends that file to the container's `~/.ssh/authorized_keys` (a Compose service does the same
 * with `~/.ssh/id_ed25519.pub:/tmp/key.pub:ro`). The key that gets in is the one the user holds
 * the private half of, read from their machine at start, never a key the skill carries.
 *
 * Only when every authorized_keys append on the finding's line copies a file that the same file
 * mounts from the user's home `.ssh` folder, a `.pub` file, does a planted-key finding go to
 * medium. A key file the skill ships (`${localWorkspaceFolder}/.devcontainer/key.pub`), a key
 * written inline, fetched or echoed keeps its severity.
 */
import type { Finding } from "./types.js";

/** `source=${localEnv:HOME}/.ssh/x.pub,target=/tmp/k.pub` (devcontainer) or `~/.ssh/x.pub:/tmp/k.pub` (Compose, docker -v). */
const HOME_KEY_MOUNT =
  /source=\$\{localEnv:(?:HOME|USERPROFILE)\}[/\\]\.ssh[/\\][\w.-]+\.pub\s*,\s*target=([\w./-]+)|(?:~|\$\{?HOME\}?|\$\{localEnv:HOME\})\/\.ssh\/[\w.-]+\.pub:([\w./-]+?)(?::ro)?(?=["'\s,\]]|$)/gm;
/** An append to authorized_keys, and what it appends (group 1: the file `cat` reads), anything else captured as not a file. */
const APPEND = /\b(?:cat\s+["']?([\w./-]+)["']?|[^|&;]*?)\s*>>\s*["']?(?:~|\$HOME|\/root|\/home\/[\w.-]+)\/\.ssh\/authorized_keys\b|\btee\s+-a\s+["']?(?:~|\$HOME)\/\.ssh\/authorized_keys\b/g;

/** `textOf` gives a skill file's text (undefined for binaries and large files). */
export function demoteOwnKeyMount(findings: Finding[], textOf: (path: string) => string | undefined): Finding[] {
  return findings.map((f) => {
    if ((f.ruleId !== "SR-PERSIST-007" && f.ruleId !== "SR-CRED-001") || (f.severity !== "critical" && f.severity !== "high") || f.suppressed) return f;
    const text = textOf(f.file);
    const line = text?.split("\n")[f.line - 1];
    if (!text || !line || !/authorized_keys/.test(line)) return f;
    const mounted = new Set([...text.matchAll(HOME_KEY_MOUNT)].map((m) => m[1] ?? m[2]!));
    const appends = [...line.matchAll(APPEND)];
    if (mounted.size === 0 || appends.length === 0 || !appends.every((m) => m[1] !== undefined && mounted.has(m[1]))) return f;
    // Nothing else on the line may name a key: `echo ssh-ed25519 AAAA… >> …` beside it.
    if (/\b(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\w+)\s+AAAA|\b(?:curl|wget)\b/.test(line)) return f;
    return { ...f, severity: "medium", demoted: f.demoted ?? "the user's own public key, mounted from their ~/.ssh, let into their own container" };
  });
}
