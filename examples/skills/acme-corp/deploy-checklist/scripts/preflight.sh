#!/bin/sh
# Read-only pre-deploy checks for the Git repository in the current folder.
# Prints one "ok:" or "fail:" line per check and exits 1 when any check fails.
# Never fetches, commits or writes: it only asks git about the local state.
set -u

branch_wanted="${DEPLOY_BRANCH:-main}"
failed=0

ok() { printf 'ok:   %s\n' "$1"; }
fail() { printf 'fail: %s\n' "$1"; failed=1; }

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "fail: not inside a Git repository" >&2
  exit 2
fi

if [ -z "$(git status --porcelain)" ]; then
  ok "working tree is clean"
else
  fail "working tree has uncommitted or untracked files (git status)"
fi

branch="$(git symbolic-ref --quiet --short HEAD || echo '(detached)')"
if [ "$branch" = "$branch_wanted" ]; then
  ok "on release branch $branch"
else
  fail "on branch $branch, expected $branch_wanted (set DEPLOY_BRANCH to change it)"
fi

if upstream="$(git rev-parse --abbrev-ref --symbolic-full-name '@{u}' 2>/dev/null)"; then
  behind="$(git rev-list --count "HEAD..$upstream")"
  if [ "$behind" -eq 0 ]; then
    ok "not behind $upstream (as last fetched)"
  else
    fail "$behind commit(s) behind $upstream; pull before deploying"
  fi
else
  fail "branch has no upstream; cannot tell whether it is current"
fi

tag="$(git describe --exact-match --tags --match 'v[0-9]*.[0-9]*.[0-9]*' HEAD 2>/dev/null || true)"
if [ -n "$tag" ]; then
  ok "HEAD is tagged $tag"
else
  fail "HEAD has no version tag vMAJOR.MINOR.PATCH"
fi

if [ -n "$tag" ] && [ -f CHANGELOG.md ]; then
  version="${tag#v}"
  if grep -Eq "^##+ \\[?v?$version\\]?" CHANGELOG.md; then
    ok "CHANGELOG.md has a section for $version"
  else
    fail "CHANGELOG.md has no section for $version"
  fi
elif [ ! -f CHANGELOG.md ]; then
  fail "no CHANGELOG.md at the repository root"
fi

exit "$failed"
