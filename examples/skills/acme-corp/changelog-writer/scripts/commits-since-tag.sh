#!/bin/sh
# List the commits since a version tag (default: the latest one reachable from HEAD),
# classified by Conventional Commits type, as "<type>\t<hash>\t<subject>" lines.
# Read-only: it runs git log and git describe, and writes nothing.
set -eu

if [ "$#" -gt 1 ]; then
  echo "usage: commits-since-tag.sh [tag]" >&2
  exit 2
fi

if [ "$#" -eq 1 ]; then
  tag="$1"
  git rev-parse --verify --quiet "refs/tags/$tag" >/dev/null || { echo "no such tag: $tag" >&2; exit 2; }
else
  tag="$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null || true)"
fi

if [ -n "$tag" ]; then
  echo "since: $tag"
  range="$tag..HEAD"
else
  echo "since: (no version tag; listing all commits)"
  range="HEAD"
fi

# %x1f separates fields and %x1e ends records, so subjects and bodies may hold anything.
git log --no-merges --format='%h%x1f%s%x1f%b%x1e' "$range" |
  awk 'BEGIN { RS = "\036"; FS = "\037" }
    NF >= 2 {
      hash = $1; sub(/^\n+/, "", hash); subject = $2; body = $3
      type = "other"
      if (match(subject, /^[a-z]+(\([^)]*\))?!?:/)) {
        head = substr(subject, 1, RLENGTH)
        type = head; sub(/[(!:].*/, "", type)
        if (head ~ /!:$/) type = "breaking"
      }
      if (body ~ /BREAKING[ -]CHANGE:/) type = "breaking"
      line = type "\t" hash "\t" subject
      if (type == "breaking") print line; else rest[++n] = line
    }
    END { for (i = 1; i <= n; i++) print rest[i] }'
