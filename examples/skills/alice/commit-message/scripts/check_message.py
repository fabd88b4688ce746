#!/usr/bin/env python3
"""Check a commit message file against Conventional Commits and common Git conventions.

Prints one "line N: problem" per problem and exits 1 when there are any, 0 when the message
is fine, 2 on bad usage. Reads the one file it is given; writes nothing.
"""
import re
import sys

TYPES = ("feat", "fix", "docs", "style", "refactor", "perf", "test", "build", "ci", "chore", "revert")
SUBJECT = re.compile(r"^(?P<type>[a-z]+)(\((?P<scope>[^()\s]+)\))?(?P<bang>!)?: (?P<summary>.+)$")
PAST_TENSE = re.compile(r"^(added|fixed|changed|removed|updated|made|improved)\b", re.IGNORECASE)


def check(text):
    problems = []
    # Git drops comment lines when it commits; check what will be recorded.
    lines = [l for l in text.splitlines() if not l.startswith("#")]
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines or not lines[0].strip():
        return [(1, "the message is empty; write a subject line")]
    subject = lines[0]
    match = SUBJECT.match(subject)
    if len(subject) > 72:
        problems.append((1, f"subject is {len(subject)} characters; keep it to 72"))
    if not match:
        problems.append((1, "subject must look like 'type(scope): summary', e.g. 'fix(api): reject empty names'"))
    else:
        if match["type"] not in TYPES:
            problems.append((1, f"unknown type '{match['type']}'; use one of {', '.join(TYPES)}"))
        summary = match["summary"]
        if summary.endswith("."):
            problems.append((1, "subject ends with a period; drop it"))
        if PAST_TENSE.match(summary):
            problems.append((1, "write the summary in the imperative ('add', not 'added')"))
        if match["bang"] and not any(l.startswith("BREAKING CHANGE: ") for l in lines):
            problems.append((1, "'!' marks a breaking change; add a 'BREAKING CHANGE: <what breaks>' footer"))
    if len(lines) > 1 and lines[1].strip():
        problems.append((2, "leave line 2 empty between the subject and the body"))
    for number, line in enumerate(lines[2:], start=3):
        # URLs and footers cannot always be wrapped.
        if len(line) > 72 and "://" not in line and not re.match(r"^[A-Za-z-]+: ", line):
            problems.append((number, f"body line is {len(line)} characters; wrap at 72"))
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: check_message.py <message-file>", file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print(f"check_message.py: cannot read {sys.argv[1]}: {e}", file=sys.stderr)
        return 2
    problems = check(text)
    for number, message in problems:
        print(f"line {number}: {message}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
