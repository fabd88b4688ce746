/**
 * Whether a line of a YAML file sits under a key some tool runs as a command: GitLab's `script:`
 * (any top-level key of `.gitlab-ci.yml` is a job, so a job may be named `detection:`), a
 * workflow's `run:`, Taskfile's `cmds:`, a container's `command:`/`args:`/`entrypoint:`, Ansible's
 * `shell:`. A Sigma rule's values are text a SIEM compares logs against; the same string under one
 * of these keys is a command, whatever the rest of the file looks like.
 */
const COMMAND_KEY = /^(?:script|before_script|after_script|run|cmds?|commands?|args|entrypoint|shell|exec|steps|hooks?|post_?install|pre_?install|install|test_command|on_\w+)$/i;
const KEY_LINE = /^(\s*)(?:-\s+)?([\w.-]{1,60})(?:\|[\w|]{1,40})?:(?:\s|$)/;

/** Every place `lineText` stands in `text` is under (or is) a command key: true if any one is. */
export function underCommandKey(text: string, lineText: string): boolean {
  const lines = text.split("\n", 20000);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== lineText) continue;
    const own = KEY_LINE.exec(lineText);
    if (own && COMMAND_KEY.test(own[2]!)) return true;
    // The keys it nests in: each nearest line above with less indentation (a list item counts its dash as indentation).
    let indent = /^\s*/.exec(lineText)![0].length;
    for (let k = i - 1; k >= 0 && indent > 0; k--) {
      const m = KEY_LINE.exec(lines[k]!);
      if (!m || m[1]!.length >= indent) continue;
      if (COMMAND_KEY.test(m[2]!)) return true;
      indent = m[1]!.length;
    }
  }
  return false;
}
