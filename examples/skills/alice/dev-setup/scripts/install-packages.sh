#!/bin/sh
# Check or install the Debian packages listed in a file (one per line, # comments).
# Usage: sh scripts/install-packages.sh check|install <packages.txt>
# check changes nothing; install runs apt-get through sudo for the missing packages only.
set -eu

action="${1:-check}"
list="${2:-packages.txt}"
case "$action" in
  check|install) ;;
  *) echo "install-packages.sh: unknown action '$action' (check or install)" >&2; exit 2 ;;
esac
[ -f "$list" ] || { echo "install-packages.sh: no $list here" >&2; exit 2; }
command -v dpkg-query >/dev/null 2>&1 || { echo "install-packages.sh: not a Debian system; install these by hand:"; sed 's/#.*//' "$list"; exit 1; }

missing=""
for pkg in $(sed 's/#.*//' "$list"); do
  # Debian package names: lower case letters, digits, + - . and at least two characters.
  case "$pkg" in
    [a-z0-9]*) ;;
    *) echo "install-packages.sh: '$pkg' is not a Debian package name" >&2; exit 2 ;;
  esac
  case "$pkg" in
    *[!a-z0-9+.-]*) echo "install-packages.sh: '$pkg' is not a Debian package name" >&2; exit 2 ;;
  esac
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    echo "have:    $pkg"
  else
    echo "missing: $pkg"
    missing="$missing $pkg"
  fi
done

[ "$action" = install ] || exit 0
if [ -z "$missing" ]; then echo "nothing to install"; exit 0; fi
# The one privileged step, named in SKILL.md's Guardrails: sudo asks the user itself.
sudo apt-get install --no-install-recommends -y $missing
