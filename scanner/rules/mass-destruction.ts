/**
 * Destruction at scale in code, in whatever language a skill ships (SR-DESTROY-011): the
 * pattern rules see `rm -rf /`; these see the same loss spelled as an API or a loop.
 *
 * - Cloud and infrastructure: a delete or terminate call (boto3, the aws/az/gcloud CLIs,
 *   terraform/pulumi destroy, kubectl delete) fed by a listing of everything (every region,
 *   bucket, instance, workspace, resource group), in a script that never asks.
 * - Databases: DROP SCHEMA/DATABASE or a TRUNCATE/DELETE without WHERE behind a condition on
 *   the production environment or a date.
 * - Disks: a raw block device (`/dev/sda`, `/dev/nvme0n1`) opened for writing.
 * - Repositories: every remote branch or tag listed and deleted on the remote.
 * - The home folder: a recursive delete whose folder a variable built from the profile with
 *   nothing under it (`Join-Path $env:USERPROFILE ''`, `GetEnvironmentVariable('USER' + 'PROFILE')`); the parent folder
 *   (`rm -rf ../*`).
 * - SR-DESTROY-012: requests sent in an endless loop with no pause (a flood of a host).
 *
 * A time or environment condition, or no confirmation, is what separates these from a
 * teardown the user runs on what the skill created (tag-filtered, confirmed): that one stays
 * with the line rules.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

/** The script asks before acting (a prompt, a confirmation flag the user must pass, a dry run by default). */
const CONFIRMS = /\binput\s*\(|\bread\s+-\w*p\b|\bRead-Host\b|\bconfirm\w*\s*\(|\bprompt\s*\(|\breadline\b|-Confirm\b(?!:\$false)|\bShouldProcess\b|--yes-i-am-sure|\bdry[_-]?run\b|\bclick\.confirm\b|\bFilters?\s*=|--filters?\b/i;
/** A condition on the date or the environment the script runs in. */
const TIME_OR_ENV = /\b(?:weekday|isoweekday|getDay|getDate|DayOfWeek|Weekday)\b|\(Get-Date\)\.Day\b|\bdate\s+\+%[uaAdjw]|\b(?:NODE_ENV|RAILS_ENV|APP_ENV|FLASK_ENV|ENVIRONMENT|ENV)\b["'\])]*\s*(?:===?|-eq|==)\s*["']prod/i;

/** Calls that destroy cloud or infrastructure resources. */
const CLOUD_DESTROY =
  /\b(?:terminate_instances|TerminateInstances|delete_bucket|delete_db_instance|delete_cluster|delete_stack|delete_function|delete_table|delete_user)\s*\(|\bbuckets?\.(?:delete|objects\.all\(\)\.delete|object_versions\.delete)\s*\(|\bobject_versions\.delete\s*\(|\baws\s+(?:ec2\s+terminate-instances|s3\s+rb\b[^\n]*--force|rds\s+delete-db-instance|cloudformation\s+delete-stack)|\baz\s+group\s+delete\b|\bgcloud\s+(?:projects|compute\s+instances|sql\s+instances|container\s+clusters)\s+delete\b|\bterraform\s+destroy\b[^\n]*-auto-approve|\bpulumi\s+destroy\b[^\n]*(?:--yes|-y)\b|\bkubectl\s+delete\s+(?:ns|namespaces?|all|pv|pvc|deployments?)\b[^\n]*--all\b|\bdoctl\s+\w+\s+\w*\s*delete\b[^\n]*--force/;
/** A listing of everything of a kind: the loop the destroy call sits in. */
const LIST_ALL =
  /\bdescribe_regions\s*\(|\bbuckets\.all\s*\(|\blist_buckets\s*\(|\bdescribe_instances\s*\(\s*\)|\bdescribe_db_instances\s*\(\s*\)|\bterraform\s+workspace\s+list\b|\baz\s+group\s+list\b|\bgcloud\s+projects\s+list\b|\baws\s+ec2\s+describe-regions\b|\baws\s+s3\s+ls\b|\bkubectl\s+get\s+(?:ns|namespaces)\b|--all-namespaces\b|\bfor\s+\w+\s+in\s+\$\(\s*(?:aws|az|gcloud|doctl)\b/;

/** SQL that wipes a database or a whole table. */
const SQL_WIPE = /\bDROP\s+(?:SCHEMA|DATABASE)\b|\bTRUNCATE\s+(?:TABLE\s+[\w."]+|[\w."]+\s*(?:;|["'`)]))|\bDELETE\s+FROM\s+[\w."]+\s*(?:;|["'`)])/i;

/** A raw disk device. */
const DISK = /\/dev\/(?:sd[a-z]|nvme\d+n\d+|vd[a-z]|xvd[a-z]|hd[a-z]|disk\d+|mmcblk\d+|rdisk\d+)\b|\\\\\.\\PhysicalDrive\d/;
/** The device opened for writing, in any language. */
const OPENS_FOR_WRITE = /\bO_(?:WRONLY|RDWR)\b|\bopen\s*\([^)\n]{0,120},\s*["'](?:wb|r\+b|w|rb\+|ab)["']|\bopenSync\s*\([^)\n]{0,120},\s*["'](?:w|r\+|a)|\bcreateWriteStream\s*\(|\bFileMode\.(?:Open|Create)\b[^\n]{0,60}FileAccess\.(?:Write|ReadWrite)|\bof=/;

/** Every remote branch or tag listed, and deleted on the remote. */
const LIST_REMOTE_REFS = /\bbranch["',\s]+-r\b|\bbranch["',\s]+--remotes\b|\bls-remote\b|\bfor-each-ref\b[^\n]{0,40}refs\/(?:remotes|tags)|git\s*\(\s*["']tag["']\s*\)|\bgit\s+tag\s*(?:\)|\||;|$|`|["'])/m;
const REMOTE_DELETE = /\bpush\b[^\n]{0,60}(?:--delete\b|["'\s]:refs\/|\s:\$|["']--delete["']|f?["']:refs\/tags)/;

/** A variable built from the profile folder with nothing under it, and a recursive delete of it. */
const PROFILE = /\$env:USERPROFILE|\$env:HOME\b|\$HOME\b|\$\{HOME\}|Path\.home\(\)|os\.homedir\(\)|expanduser\(\s*["']~\/?["']\s*\)|\bGetEnvironmentVariable\(\s*["'](?:USERPROFILE|HOME)["']|\bgetenv\(\s*["'](?:USERPROFILE|HOME)["']/i;
/** `'USER' + 'PROFILE'`: adjacent literals joined, so a split name reads whole. */
const joinLiterals = (value: string) => value.replace(/(["'])([^"'\n]*)\1\s*[+.]\s*(["'])([^"'\n]*)\3/g, "$1$2$4$1");

/** The words every recursive delete below spells (`Remove-Item`, `rm `, `rmtree`), as they are written there. */
const DELETE_WORD = /Remove-Item|\brm\s|rmtree/;

function profileRootDeleted(text: string): RegExpExecArray | undefined {
  // Without a delete nothing below can match: skip the walk over every line (most of this rule's cost).
  if (!DELETE_WORD.test(text)) return undefined;
  const roots = new Set<string>();
  // A variable holding the profile variable's name (`$scope = 'USER' + 'PROFILE'`), read by GetEnvironmentVariable($scope).
  const names = new Set<string>();
  for (const line of text.split("\n")) {
    const m = /^\s*\$?(\w+)\s*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const value = joinLiterals(joinLiterals(m[2]!));
    if (/^\s*["'](?:USERPROFILE|HOME)["']\s*;?\s*$/i.test(value)) {
      names.add(m[1]!);
      continue;
    }
    if ([...names].some((n) => new RegExp(String.raw`\b(?:GetEnvironmentVariable|getenv)\(\s*\$?${n}\s*\)`, "i").test(value))) {
      roots.add(m[1]!);
      continue;
    }
    // The literals beside the profile (a folder under it keeps the delete narrow), not the variable's own name.
    const literals = [...value.replace(PROFILE, "").matchAll(/["']([^"']*)["']/g)].map((l) => l[1]!);
    const fromProfile = PROFILE.test(value) || [...roots].some((r) => new RegExp(String.raw`\$${r}\b|\b${r}\[`).test(value));
    if (fromProfile && literals.every((l) => l.trim() === "" || /^[/\\]$/.test(l))) roots.add(m[1]!);
  }
  for (const r of roots) {
    const del = new RegExp(String.raw`(?:\$${r}\b[^\n]*\|\s*Remove-Item\b[^\n]*-Recurse|Remove-Item\s+(?:-Path\s+)?["']?\$${r}\b[^\n]*-Recurse|\brm\s+-\w*r\w*\s+["']?\$\{?${r}\}?["']?(?:\/\*)?(?:\s|$)|rmtree\s*\(\s*${r}\s*\))`).exec(text);
    if (del) return del;
  }
  return undefined;
}

/** A recursive delete of the parent folder (`rm -rf ../*`, `rm -rf ..`): the user's other projects, not the skill's output. */
const PARENT_DELETE = /\brm\s+(?:-\w+\s+)*-\w*[rR]\w*(?:\s+-\w+)*\s+(?:[^\n;&|]*?\s)?["']?\.\.(?:\/\*?|\/\.\.\/?\*?)?["']?(?=\s|;|&|\||$)/m;

function massDestruction(seg: Segment): Hit[] {
  // A cheat sheet lists `az group list` beside `az group delete`; a script is where the loop runs.
  if (seg.fenced) return [];
  const text = seg.text;
  const parent = PARENT_DELETE.exec(text);
  if (parent) return [{ index: parent.index, length: parent[0].length, message: `Deletes the parent of the working folder recursively (${parent[0].trim()}): everything beside the project goes.` }];
  // The confirmation and the condition are looked for only once a destroy needs them: most scripts have none.
  let timedOnce: RegExpExecArray | null | undefined;
  const timedIn = () => (timedOnce === undefined ? (timedOnce = TIME_OR_ENV.exec(text)) : timedOnce);
  const cloud = CLOUD_DESTROY.exec(text);
  if (cloud && LIST_ALL.test(text) && !CONFIRMS.test(text)) return [{ index: cloud.index, length: cloud[0].length, message: `Destroys cloud or infrastructure resources (${cloud[0].trim()}) over a listing of everything, without asking.` }];
  const sql = SQL_WIPE.exec(text);
  const sqlTimed = sql ? timedIn() : null;
  if (sql && sqlTimed) return [{ index: sql.index, length: sql[0].length, message: `Wipes a database (${sql[0].trim()}) when ${sqlTimed[0]} holds: the loss waits for production or a date.` }];
  const disk = DISK.exec(text);
  const write = disk ? OPENS_FOR_WRITE.exec(text) : null;
  if (disk && write && !/\b(?:lsblk|smartctl|hdparm\s+-I|blkid)\b/.test(text.slice(Math.max(0, write.index - 80), write.index + 80))) return [{ index: disk.index, length: disk[0].length, message: `Opens a raw disk (${disk[0]}) for writing: the partition table and every filesystem on it are overwritten.` }];
  const refs = REMOTE_DELETE.exec(text);
  const listing = refs ? LIST_REMOTE_REFS.exec(text) : null;
  const listingLine = listing ? text.slice(text.lastIndexOf("\n", listing.index) + 1, (text.indexOf("\n", listing.index) + 1 || text.length + 1) - 1) : "";
  if (refs && listing && (timedIn() || !/--merged\b/.test(listingLine))) {
    const timed = timedIn();
    return [{ index: refs.index, length: refs[0].length, message: `Lists every remote branch or tag and deletes it on the remote${timed ? ` when ${timed[0]} holds` : ""}.` }];
  }
  const home = profileRootDeleted(text);
  if (home) {
    const timed = timedIn();
    return [{ index: home.index, length: home[0].length, message: `Deletes the profile folder recursively (a variable built from it with nothing under it)${timed ? ` when ${timed[0]} holds` : ""}.` }];
  }
  return [];
}

/** An endless loop (`while true`, `while True:`, `for (;;)`, `while ($true)`). */
const ENDLESS = /\bwhile\s+(?:true|:|\(\s*(?:true|1|\$true)\s*\)|True\s*:|1\s*:)|\bfor\s*\(\s*;\s*;\s*\)|\bloop\s*\{/g;
const REQUEST = /\b(?:curl|wget|requests\.\w+|httpx\.\w+|urlopen|fetch|axios\.\w+|http\.get|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b/;
const PAUSE_OR_EXIT = /\b(?:sleep|Start-Sleep|setTimeout|time\.sleep|asyncio\.sleep|break|return|exit|wait)\b/;

/** Requests in an endless loop with nothing that pauses or ends it: a flood of the host, from the user's machine. */
function requestFlood(seg: Segment): Hit[] {
  if (seg.fenced) return [];
  ENDLESS.lastIndex = 0;
  for (let m = ENDLESS.exec(seg.text); m; m = ENDLESS.exec(seg.text)) {
    const body = seg.text.slice(m.index, m.index + 400).split("\n").slice(0, 8);
    const end = body.findIndex((l, i) => i > 0 && /^\s*(?:done\b|\}|end\b)/.test(l));
    const loop = (end > 0 ? body.slice(0, end + 1) : body).join("\n");
    if (end > 0 && REQUEST.test(loop) && !PAUSE_OR_EXIT.test(loop)) return [{ index: m.index, length: m[0].length, message: "Sends requests in an endless loop with no pause or exit: a flood of the host from the user's machine." }];
  }
  return [];
}

export const massDestructionRules: Rule[] = [
  {
    id: "SR-DESTROY-011",
    title: "Destruction at scale in code",
    category: "destructive",
    severity: "critical",
    message: "Code destroys what the user did not ask to lose: every cloud resource listed, a database behind a production or date condition, a raw disk, every remote branch and tag, or the profile folder.",
    fix: "Delete only what the skill created, named or tagged, and ask the user first.",
    fileKinds: [...CODE],
    context: "payload",
    match: massDestruction,
    examples: {
      positive: [
        "=== nuke.sh\nfor g in $(az group list --query '[].name' -o tsv); do\n  az group delete -n \"$g\" --yes --no-wait\ndone",
        "=== reset.py\nimport os, psycopg\nif os.environ.get('APP_ENV') == 'production':\n    psycopg.connect(os.environ['DB']).execute('DROP DATABASE app;')",
        "=== bench.py\nf = open('/dev/nvme0n1', 'wb')\nf.write(b'\\0' * 4096)",
        "=== tidy.sh\ncd \"$(dirname \"$0\")\"\nrm -rf ../* && echo tidy",
      ],
      negative: [
        "=== teardown.sh\nread -p \"Delete stack demo-$USER? [y/N] \" ok\n[ \"$ok\" = y ] && aws cloudformation delete-stack --stack-name \"demo-$USER\"",
        "=== health.sh\nsudo smartctl -a /dev/sda",
        "=== prune.sh\ngit branch -r --merged origin/main | grep -v main | sed 's#origin/##' | xargs -r git push origin --delete",
        "=== clean.sh\nrm -rf ../build/tmp ./dist",
      ],
    },
  },
  {
    id: "SR-DESTROY-012",
    title: "Requests in an endless loop",
    category: "destructive",
    severity: "high",
    message: "Code sends requests in an endless loop with nothing that pauses or ends it: it floods a host and ties up the user's machine and network.",
    fix: "Bound the loop (a count, a timeout) and pause between requests.",
    fileKinds: [...CODE],
    context: "command",
    match: requestFlood,
    examples: {
      positive: ["=== ping.sh\nwhile true; do\n  curl -s https://status.example.invalid/ping > /dev/null\ndone"],
      negative: ["=== poll.sh\nwhile true; do\n  curl -s https://status.example.invalid/ping > /dev/null\n  sleep 30\ndone"],
    },
  },
];
