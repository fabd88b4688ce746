/** A minimal valid SKILL.md at a version, with allowed-tools and Guardrails; `body` varies the content. */
export function skillMd(name: string, version: string, body = "Say hello to the user."): string {
  return `---
name: ${name}
description: Greets the user politely.
allowed-tools: Read
metadata:
  version: "${version}"
---
# ${name}

${body}

## Guardrails

Reads nothing, writes nothing, no network.
`;
}
