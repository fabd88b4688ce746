/**
 * A public key the skill itself carries, installed as a login key: written into an
 * `authorized_keys` file or the CA sshd trusts (any route: a variable holding the path, PowerShell's
 * `administrators_authorized_keys`, Ansible's `authorized_key` module, cloud-init's
 * `ssh_authorized_keys`, `AuthorizedKeysFile`) or added to a forge account or repository as an
 * SSH or deploy key (`POST /user/keys`, `/repos/…/keys`, GitLab's `/deploy_keys`, `gh ssh-key
 * add`): git pushes and logins then accept it. Whoever holds the matching private key (the
 * skill's author, not the user) can log in. A key the user supplies (a parameter, their own
 * `~/.ssh/id_*.pub`) is not written as a literal and does not count.
 */
import type { CodeHit } from "./code.js";

/** A complete OpenSSH public key literal (type, then a base64 blob long enough to be a real key). */
export const KEY_LITERAL = /\b(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com)\s+AAAA[0-9A-Za-z+/]{40,}={0,2}/;
/** Where login keys are installed. */
export const KEY_TARGET = /(?:\b|_)authorized_keys2?\b|\bauthorized_key\s*:|\bansible\.posix\.authorized_key\b|\bssh_authorized_keys\s*:|\bssh-authorized-keys\s*:|\bAuthorizedKeysFile\b|\bssh_keys\s*:|(?:\/|\bapi\b[^\n|;&]{0,80}?\s["']?)user\/keys\b|(?:\/|\bapi\b[^\n|;&]{0,80}?\s["']?)repos\/[^\s"']+\/keys\b|\bTrustedUserCAKeys\b|\bauthorized_principals\b|\bssh-keys=|\/deploy_keys\b|\bgh\s+(?:ssh-key\s+add|repo\s+deploy-key\s+add)\b/;

/** A public key the file spells, installed where sshd reads login keys. */
export function plantedKeys(text: string): CodeHit[] {
  const target = KEY_TARGET.exec(text);
  if (!target) return [];
  const key = KEY_LITERAL.exec(text);
  if (!key) return [];
  return [{ ruleId: "SR-PERSIST-007", offset: key.index, length: key[0].length, message: "Installs a public key the skill carries as a login key (authorized_keys, a forge account's or repository's SSH keys): whoever holds its private key, not the user, can log in.", related: { offset: target.index, length: target[0].length } }];
}
