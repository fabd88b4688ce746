#!/bin/sh
# Show, install or remove the nightly pg_dump line (copied to $BACKUP_BUCKET) in the user's crontab.
# Usage: sh scripts/schedule-backup.sh show|install <database>
#        sh scripts/schedule-backup.sh remove
# The line carries a marker naming the project folder, so remove deletes only that line.
set -eu

action="${1:-show}"
project="$(pwd -P)"
database="${2:-${PGDATABASE:-$(basename "$project")}}"
marker="# skillreg:nightly-db-backup:$project"

# The path goes into the crontab line between single quotes, where ' and % would break it.
case "$project" in
  *"'"*|*%*) echo "schedule-backup.sh: the project path holds ' or %, which a crontab line cannot carry safely; move the project" >&2; exit 2 ;;
esac
case "$database" in
  *[!A-Za-z0-9_-]*) echo "schedule-backup.sh: database name '$database' may hold only letters, digits, _ and -" >&2; exit 2 ;;
esac

line="30 2 * * * cd '$project' && mkdir -p backups && pg_dump --no-owner '$database' | gzip > \"backups/$database-\$(date +\\%a).sql.gz\" && aws s3 cp \"backups/$database-\$(date +\\%a).sql.gz\" \"s3://\${BACKUP_BUCKET:?}/$database/\" $marker"
# An empty or missing crontab is not an error here.
current_crontab() { crontab -l 2>/dev/null || true; }
current="$(current_crontab)"
others="$(printf '%s\n' "$current" | grep -vF "$marker" || true)"

case "$action" in
  show)
    echo "would add: $line"
    if printf '%s\n' "$current" | grep -qF "$marker"; then echo "already scheduled for $project"; fi
    ;;
  install)
    printf '%s\n%s\n' "$others" "$line" | sed '/^$/d' | crontab -
    echo "scheduled: $line"
    ;;
  remove)
    printf '%s\n' "$others" | sed '/^$/d' | crontab -
    echo "removed the nightly backup of $project"
    ;;
  *)
    echo "schedule-backup.sh: unknown action '$action' (show, install or remove)" >&2
    exit 2
    ;;
esac
