import { stringify } from "yaml";

/** One file of a new skill. */
export interface ScaffoldFile {
  path: string;
  text: string;
  executable: boolean;
}

/**
 * The files of a new skill named `name`: a SKILL.md that validates as it is (frontmatter with
 * allowed-tools and metadata.version 0.1.0, a Guardrails section) and one small script that
 * the instructions use, so the author starts from a working example rather than a blank page.
 */
export function scaffoldSkill(name: string, description: string): ScaffoldFile[] {
  const title = name
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
  const frontmatter = stringify(
    { name, description, "allowed-tools": "Read Grep Bash(sh scripts/summarize.sh *)", metadata: { version: "0.1.0" } },
    { lineWidth: 0 },
  );
  const skillMd = `---
${frontmatter}---

# ${title}

${description}

## When to use

Describe the requests this skill is for, in the words a user would type.

## Steps

1. Ask for the file to work on if the user did not name one.
2. Run \`sh scripts/summarize.sh <file>\` to get its size in lines, words and bytes.
3. Read the file and do the task, quoting the lines you rely on.

## Guardrails

- Read only the files the user names; do not create, change or delete files.
- Run no commands other than \`scripts/summarize.sh\`; it reads one file and prints counts.
- No network access.
`;
  const script = `#!/bin/sh
# Print the size of one text file as "lines words bytes path". Reads the file; writes nothing.
set -eu
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
  echo "usage: summarize.sh <file>" >&2
  exit 2
fi
wc -l -w -c -- "$1"
`;
  return [
    { path: "SKILL.md", text: skillMd, executable: false },
    { path: "scripts/summarize.sh", text: script, executable: true },
  ];
}
