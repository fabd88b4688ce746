export interface SkillMdOptions {
  description?: string;
  /** The allowed-tools field; null leaves it out. */
  allowedTools?: string | null;
  guardrails?: string;
}

/** A minimal valid SKILL.md at a version, with allowed-tools and Guardrails; `body` varies the content. */
export function skillMd(name: string, version: string, body = "Say hello to the user.", opts: SkillMdOptions = {}): string {
  const { description = "Greets the user politely.", allowedTools = "Read", guardrails = "Reads nothing, writes nothing, no network." } = opts;
  return `---
name: ${name}
description: ${description}
${allowedTools === null ? "" : `allowed-tools: ${allowedTools}\n`}metadata:
  version: "${version}"
---
# ${name}

${body}

## Guardrails

${guardrails}
`;
}
