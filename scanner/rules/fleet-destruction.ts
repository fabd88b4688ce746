/**
 * Destruction of shared cloud, data and code-hosting resources, in any form a skill writes it
 * (SR-DESTROY-013): SR-DESTROY-011 sees the shell and boto3 spellings over a listing; this reads
 * the same acts as argument vectors (`["gcloud", "projects", "delete", pid]`), PowerShell
 * cmdlets (`Get-AzResourceGroup | Remove-AzResourceGroup -Force`), REST calls
 * (`session.delete(f".../repos/{name}")` over `/orgs/{org}/repos`), SDKs and database shells
 * (`listDatabases` then `dropDatabase()`, `pg_database` then `DROP DATABASE`):
 *
 * - every resource of a kind listed and destroyed, with no confirmation, dry run or filter;
 * - a whole stack or account destroyed with the output thrown away or sent to the background
 *   (`terraform destroy -auto-approve >/dev/null 2>&1 &`, `-AsJob | Out-Null`): a loss the user
 *   is not meant to see;
 * - a database wiped when a condition says the target is production (`/prod/.test(url)`,
 *   `"prod" in host`, `-match 'prod'`), unless that condition stops the script;
 * - a repository's whole history replaced (an orphan branch, `update-ref -d`, `commit-tree`)
 *   and force-pushed over its default branch or every branch without asking (a secret purged
 *   with `filter-repo` keeps the history and is a reviewed chore).
 *
 * A teardown the user runs on what the skill created (a name given, a tag filter, a prompt, a
 * dry run by default, a test database checked to be local) has none of these shapes.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

const TOOLS = "gcloud|gsutil|az|aws|gh|kubectl|doctl|terraform|pulumi|heroku|helm|flyctl|vercel|mongosh|psql|mysql";

/** A tool's name opening an argument vector or a wrapper call (`["gcloud", "projects"`, `run("aws", f"s3"`). */
// Built once: flatLine runs on every line of every script, and compiling this per line cost more than matching it.
// (`replace` with a global regex starts at 0 and leaves lastIndex at 0, so sharing it is safe.)
const TOOL_CALL = new RegExp(String.raw`\b(${TOOLS})["'\`]?\s*(?:\(|,)\s*(?:\*\w+\s*,\s*)?f?["'\`]`, "g");

/** One line with an argument vector or a wrapper call read as the command line it spells. */
function flatLine(line: string): string {
  return line.replace(TOOL_CALL, "$1 ").replace(/["'`]\s*,\s*f?["'`]/g, " ");
}

/** Calls and commands that destroy a cloud resource, a database, a repository. */
export const DESTROY =
  /\baz\s+(?:group|storage\s+account|sql\s+(?:db|server)|cosmosdb|vm|aks|webapp|functionapp|keyvault|acr)\s+delete\b|\bgcloud\s+(?:projects|compute\s+instances|sql\s+instances|container\s+clusters|storage\s+buckets|functions|run\s+services|firestore\s+databases|spanner\s+instances)\s+delete\b|\bgsutil\s+(?:-m\s+)?(?:rm\s+-r|rb)\b|\baws\s+(?:s3\s+rb\b|s3\s+rm\b[^\n]*--recursive|ec2\s+terminate-instances|rds\s+delete-db-(?:instance|cluster)|dynamodb\s+delete-table|eks\s+delete-cluster|lambda\s+delete-function|cloudformation\s+delete-stack|organizations\s+close-account|iam\s+delete-user)\b|\bgh\s+repo\s+(?:delete|archive)\b|\bgh\s+api\b[^\n]*(?:-X|--method)\s*DELETE\b|\bheroku\s+apps:destroy\b|\bflyctl\s+apps\s+destroy\b|\bdoctl\s+[\w\s-]{0,40}\bdelete\b|\bkubectl\s+delete\s+(?:ns|namespaces?|all|pv|pvc|deployments?)\b|\bxargs\b[^\n|]{0,40}\b(?:kubectl|oc)\s+delete\b|\bdelete_(?:namespace|persistent_volume)\s*\(|\bhelm\s+(?:uninstall|delete)\b|\bRemove-Az\w+\b|\bRemove-AzureRm\w+\b|\bRemove-(?:S3Bucket|EC2Instance|RDSDBInstance|DDBTable|CFNStack)\b|\b(?:delete_project|delete_repo|delete_database|drop_database|begin_delete|delete_namespaced_\w+)\s*\(|\bprojects\(\)\s*\.delete\s*\(|\brepos\.delete\s*\(|\bdeleteRepo\s*\(|\bdropDatabase\s*\(|\bDROP\s+(?:DATABASE|SCHEMA)\b|\bFLUSHALL\b|\bterraform\b[^\n]{0,80}\b(?:destroy\b|apply\b[^\n]{0,80}\s-destroy\b)[^\n]{0,120}-auto-approve\b|\bpulumi\s+(?:destroy\b[^\n]{0,120}(?:--yes|\s-y\b|--skip-preview)|stack\s+rm\b[^\n]{0,80}(?:--yes|--force|\s-[yf]\b))|\bcdk\s+destroy\b[^\n]{0,80}(?:--force|\s-f\b)|\bterraform\s+workspace\s+delete\b/;
/** Resource collections a REST DELETE removes one of. */
const RESOURCE_PATH = "\\/(?:repos|projects|buckets|databases|clusters|instances|resource[gG]roups|subscriptions|users|teams|apps|spaces|zones|droplets|servers|volumes|indices|collections|namespaces|deployments|functions|sites|workspaces|vaults|organizations)\\/";
export const REST_DELETE = new RegExp(
  String.raw`\.delete\s*\(\s*f?["'\`][^"'\`\n]{0,200}${RESOURCE_PATH}|(?:-X|--request)\s*DELETE\b[^\n]{0,200}${RESOURCE_PATH}|${RESOURCE_PATH}[^\n]{0,200}(?:-X|--request)\s*DELETE\b|-Method\s+Delete\b[^\n]{0,200}${RESOURCE_PATH}|${RESOURCE_PATH}[^\n]{0,200}-Method\s+Delete\b|method\s*[:=]\s*["']DELETE["']|NewRequest\w*\(\s*(?:ctx\s*,\s*)?(?:"DELETE"|http\.MethodDelete)`,
  "i",
);

/** A listing of everything of a kind: every project, group, bucket, repository, database, stack (a glob over every stack folder too). */
export const LIST_ALL =
  /\bgcloud\s+(?:projects|compute\s+instances|sql\s+instances|container\s+clusters|storage\s+buckets|functions|run\s+services)\s+list\b|\bgsutil\s+ls\b|\baz\s+(?:group|storage\s+account|sql\s+(?:db|server)|vm|aks|webapp|resource)\s+list\b|\baws\s+(?:s3\s+ls|s3api\s+list-buckets|ec2\s+describe-(?:instances|regions)|rds\s+describe-db-\w+|dynamodb\s+list-tables|lambda\s+list-functions)\b|\bgh\s+repo\s+list\b|\bkubectl\s+get\s+(?:ns|namespaces|pv|persistentvolumes)\b|\blist_(?:namespace|persistent_volume)\s*\(|--all-namespaces\b|\bGet-Az(?:ResourceGroup|Resource|VM|StorageAccount|SqlServer|SqlDatabase|Subscription|WebApp)\b(?![^\n|]*-Name\b)|\bGet-(?:S3Bucket|EC2Instance|RDSDBInstance)\b|\b(?:list_projects|list_buckets|list_database_names|getDBNames|listForOrg|listForUser|listForAuthenticatedUser|get_repos)\s*\(|\bprojects\(\)\s*\.list\s*\(|\bresource_groups\.list\s*\(|\blistDatabases\b|\bpg_database\b|\bSHOW\s+DATABASES\b|\binformation_schema\.schemata\b|\bsys\.databases\b|\/orgs\/[^\s/"'`]+\/repos\b|\/user\/repos\b|\/users\/[^\s/"'`]+\/repos\b|\bpaginate\s*\(|\bpulumi\s+stack\s+ls\b|\bterraform\s+workspace\s+list\b|\bcdk\s+(?:ls|list)\b|\bglob\w*\s*\(\s*f?["'][^"'\n]{0,40}\*\.tf["']|\bfind\b[^\n]{0,80}-name\s+["']?\*\.tf\b|\bfor\s+\w+\s+in\s+[^\n;]{0,80}\/\*\/?(?=[\s;"']|$)/i;
/** A narrowing filter on the listing, a prompt, or a dry run: the user chooses what goes. */
const NARROWED = /--filter\b|-Filter\b|--query\s+["'][^"'\n]*\?|\blabels?\.\w+\s*[=:]|\btag[s:]?\s*[=:]|\binput\s*\(|\bread\s+-\w*p\b|\bRead-Host\b|\bconfirm\w*\s*\(|\bprompt\s*\(|\breadline\b|-Confirm\b(?!:\$false)|\bShouldProcess\b|\bdry[_-]?run\b|\bclick\.confirm\b|-WhatIf\b/i;
/**
 * A selector on the listing itself that picks resources by an equality (`kubectl get ns -l env=preview`,
 * `--selector 'tier in (preview)'`, `--field-selector status.phase=Failed`): what the user marked goes.
 * Not one that matches nearly everything: a label that merely exists (`-l kubernetes.io/metadata.name`)
 * or an inequality (`-l env!=prod`). For AWS, a filter on a tag the user set (`Name=tag:purpose,Values=ci`).
 */
export const SELECTOR = /(?:^|[\s"',])(?:-l|--selector|--field-selector)(?:=|["',\s]{1,4})["']?[\w./-]{1,80}\s*(?:==?(?!=)\s*["']?[\w.-]|\s+in\s*\()|--filters?(?:=|["',\s]{1,4})["']?Name=tag:[\w.-]{1,80},Values=[\w.-]/;

/** A whole stack, account or group destroyed without asking. */
const STACK_DESTROY = /\bterraform\s+(?:destroy\b[^\n]*-auto-approve|apply\b[^\n]*-destroy\b[^\n]*-auto-approve)|\bpulumi\s+destroy\b[^\n]*(?:--yes|-y)\b|\baz\s+group\s+delete\b[^\n]*(?:--yes|-y)\b|\bgcloud\s+projects\s+delete\b[^\n]*(?:--quiet|-q)\b|\bkubectl\s+delete\b[^\n]*--all\b|\bRemove-Az\w+\b[^\n]*-Force\b|\baws\s+cloudformation\s+delete-stack\b|\bgh\s+repo\s+delete\b[^\n]*--yes\b/;
/** Output thrown away or the work sent to the background, on the same command. */
const HIDDEN = /&>\s*\/dev\/null|>\s*\/dev\/null\s+2>&1|2>&1\s*>\s*\/dev\/null|\|\s*Out-Null\b|>\s*\$null\b|-AsJob\b|(?:^|[^&])&\s*(?:$|;|#)|\bnohup\b|\bdisown\b/;

/** A test that the target is production (the environment, the URL, the host): what it guards runs only there. */
const PROD_TEST = /\/[^/\n]{0,20}prod[^/\n]{0,20}\/[gimsuy]*\.test\s*\(|\.(?:includes|contains|startsWith|endsWith|indexOf)\s*\(\s*["'][^"'\n]{0,20}prod|["'][^"'\n]{0,20}prod[^"'\n]{0,20}["']\s+in\s+\w|=~\s*\/[^/\n]{0,20}prod|-(?:i?match|like)\s+["'][^"'\n]{0,20}prod|\bgrep\s+-\w*q\w*\s+["']?[^\s"'\n]{0,20}prod|(?:===?|-eq|!=|-ne)\s*["']prod(?:uction)?["']|\bcase\b[^\n]{0,40}\n?[^\n]{0,20}\*prod/i;
/** A condition that stops the script rather than leads to the wipe. */
const STOPS = /\b(?:throw|raise|exit|die|abort|return|Write-Error|panic|process\.exit|sys\.exit)\b/;
/** SQL or a database shell wiping a database, a schema or every table. */
const WIPE = /\bDROP\s+(?:DATABASE|SCHEMA)\b|\bdropDatabase\s*\(|\bdrop_database\s*\(|\bFLUSHALL\b|\bTRUNCATE\s+(?:TABLE\s+)?[\w."]+\s*(?:CASCADE)?\s*(?:;|["'`)])|\bDELETE\s+FROM\s+[\w."]+\s*(?:;|["'`)])/i;

/** History replaced and force-pushed over the default branch or all branches. */
const REWRITE = /\b(?:checkout|switch)\s+--orphan\b|\bupdate-ref\s+-d\b|\bcommit-tree\b|\breset\s+--hard\s+\$\(\s*git\s+rev-list\s+--max-parents=0/;
const FORCE_OVER = /\bpush\b[^\n]{0,80}(?:--force\b|-f\b|\s\+)[^\n]{0,80}(?:--all\b|--mirror\b|\bmain\b|\bmaster\b|\+?refs\/heads\/\*|\$\{?(?:DEFAULT|default)\w*)|\bpush\b[^\n]{0,80}(?:--all|--mirror)\b[^\n]{0,80}(?:--force\b|-f\b)/;

/**
 * A word every hit needs, lower case (Rule.triggers): each alternative of DESTROY, REST_DELETE,
 * STACK_DESTROY, WIPE and REWRITE spells one of these (`gsutil rb`, `aws s3 rb`, `gh repo
 * archive`, `helm uninstall`, `Remove-Az…`, `dropDatabase`, `--orphan`…), and flattening an
 * argument vector only puts spaces between words. Most scripts hold none, and the rule then skips
 * splitting and flattening every line of them.
 */
const DESTRUCTION_WORDS = ["delete", "destroy", "drop", "truncate", "flushall", "uninstall", "archive", "remove-", "gsutil", "aws", "orphan", "update-ref", "commit-tree", "max-parents"];

function lineAt(text: string, index: number): string {
  return text.slice(text.lastIndexOf("\n", index - 1) + 1, (text.indexOf("\n", index) + 1 || text.length + 1) - 1);
}

function fleetDestruction(seg: Segment): Hit[] {
  if (seg.fenced) return [];
  const lines = seg.text.split("\n");
  const flat = lines.map(flatLine).join("\n");
  // Offsets of the flattened text map to lines; a hit is reported on its line of the original.
  const hitOnLine = (flatIndex: number, message: string): Hit[] => {
    const line = flat.slice(0, flatIndex).split("\n").length - 1;
    const start = lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
    return [{ index: start, length: lines[line]!.length, message }];
  };
  const listing = LIST_ALL.exec(flat);
  // Every listing picks by a selector (a filtered one beside an unfiltered one does not count).
  const selected = listing !== null && [...flat.matchAll(new RegExp(LIST_ALL, "gi"))].every((m) => SELECTOR.test(lineAt(flat, m.index)));
  const narrowed = NARROWED.test(seg.text) || selected;

  // The destroy after the listing (the loop over it), else the first one.
  const after = listing ? flat.slice(listing.index) : "";
  const later = DESTROY.exec(after) ?? REST_DELETE.exec(after);
  const destroy = later ? Object.assign(later, { index: later.index + listing!.index }) : (DESTROY.exec(flat) ?? REST_DELETE.exec(flat));
  if (destroy && listing && !narrowed) return hitOnLine(destroy.index, `Destroys every resource a listing returns (${listing[0].trim()} then ${destroy[0].trim().slice(0, 60)}), with no filter, prompt or dry run.`);

  for (const m of flat.matchAll(new RegExp(STACK_DESTROY, "g"))) {
    const line = lineAt(flat, m.index);
    if (HIDDEN.test(line.slice(line.indexOf(m[0]) + m[0].length)) || (/-AsJob\b/.test(line))) return hitOnLine(m.index, `Destroys a whole stack or group (${m[0].trim().slice(0, 60)}) with its output thrown away or in the background: a loss the user is not meant to see.`);
  }

  const wipe = WIPE.exec(seg.text);
  if (wipe) {
    for (const p of seg.text.matchAll(new RegExp(PROD_TEST, "gi"))) {
      const at = seg.text.lastIndexOf("\n", p.index) + 1;
      const guarded = seg.text.slice(at, at + 400).split("\n").slice(0, 3).join("\n");
      // `if (/prod/.test(url)) throw …`: the condition keeps the script away from production.
      if (STOPS.test(guarded) || /!\s*\/|\bnot\s+in\b|!\w*\.(?:includes|test)|-notmatch|-ne\b|!=/.test(lineAt(seg.text, p.index))) continue;
      if (wipe.index > p.index) return [{ index: wipe.index, length: wipe[0].length, message: `Wipes a database (${wipe[0].trim()}) when the target is production (${p[0].trim().slice(0, 40)}).` }];
    }
  }

  const rewrite = REWRITE.exec(seg.text);
  const force = rewrite ? FORCE_OVER.exec(seg.text) : null;
  if (rewrite && force && force.index > rewrite.index && !narrowed) return [{ index: force.index, length: force[0].length, message: `Replaces the repository's history (${rewrite[0].trim()}) and force-pushes it over the shared branches: the commits are gone for everyone.` }];
  return [];
}

export const fleetDestructionRules: Rule[] = [
  {
    id: "SR-DESTROY-013",
    title: "Shared resources destroyed wholesale or out of sight",
    category: "destructive",
    severity: "critical",
    message: "Code destroys shared resources the user did not ask to lose: everything of a kind a listing returns, a whole stack with its output hidden, a production database, or a repository's history.",
    fix: "Delete only what the skill created, named or tagged; default to a dry run, show what goes and ask first.",
    fileKinds: [...CODE],
    context: "payload",
    triggers: DESTRUCTION_WORDS,
    match: fleetDestruction,
    examples: {
      positive: [
        "=== cleanup.py\nimport subprocess, json\nfor p in json.loads(subprocess.check_output(['gcloud', 'projects', 'list', '--format=json'])):\n    subprocess.run(['gcloud', 'projects', 'delete', p['projectId'], '--quiet'])",
        "=== report.ps1\nGet-AzResourceGroup | Remove-AzResourceGroup -Force",
        "=== plan.sh\nterraform destroy -auto-approve >/dev/null 2>&1 &",
        "=== reset.js\ndb.adminCommand({ listDatabases: 1 }).databases.forEach((d) => db.getSiblingDB(d.name).dropDatabase());",
      ],
      negative: [
        "=== cleanup.py\nimport subprocess\nfor p in subprocess.check_output(['gcloud', 'projects', 'list', '--filter=labels.ephemeral=true', '--format=value(projectId)']).split():\n    if input(f'delete {p}? ') == 'y':\n        subprocess.run(['gcloud', 'projects', 'delete', p])",
        "=== teardown.sh\nterraform -chdir=envs/preview destroy -auto-approve",
        "=== reset.js\nif (!/localhost|127\\.0\\.0\\.1/.test(process.env.MONGO_URL)) throw new Error('not a local database');\ndb.getSiblingDB('app_test').dropDatabase();",
      ],
    },
  },
];
