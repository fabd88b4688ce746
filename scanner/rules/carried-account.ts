/**
 * Backdoor accounts in the applications and databases a skill sets up (SR-PERSIST-018): an
 * account created with a password the skill spells and given the top role there. Whoever wrote
 * the password (the skill's author) signs in with full rights after the skill is gone, in any
 * tool: a database role (`CREATE ROLE … SUPERUSER PASSWORD '…'`, `GRANT ALL ON *.*`, Mongo's
 * `createUser` with `root`), an app's admin API (Grafana `/api/admin/users` then
 * `isGrafanaAdmin`, GitLab `/users` with `admin: true`), an app's own function (WordPress
 * `wp_create_user` then `set_role('administrator')`, Django `create_superuser`), an admin CLI
 * (RabbitMQ, Vault userpass with the root policy, Airflow, Elasticsearch, MinIO).
 *
 * SR-PERSIST-017 (`access-grant.ts`) covers operating-system and cloud accounts; this reads the
 * same act where the account lives in an application. The honest forms take the password from
 * the user (an environment variable, a prompt, a generated secret) or grant a lesser role; a
 * local development seed with a placeholder password (`admin`/`admin`) is a known default,
 * not a secret someone keeps.
 */
import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

/** Where an account is created in an application or a database, in its own words. */
const CREATE_ACCOUNT =
  /\bCREATE\s+(?:ROLE|USER|LOGIN)\b|\bdb\.createUser\s*\(|\bcreateUser\s*\(|\bwp_(?:create|insert)_user\s*\(|\bwp\s+user\s+create\b|\bcreate_(?:super)?user\s*\(|\bcreatesuperuser\b|\/api\/admin\/users\b|\/api\/v\d\/users\b|\/(?:rest\/api\/\d\/user|admin\/realms\/[^\s"'/]+\/users|_security\/user\/|api\/users)\b|\brabbitmqctl\s+add_user\b|\bvault\s+write\s+\S*auth\/userpass\/users\/|\bairflow\s+users\s+create\b|\bfab\s+create-admin\b|\belasticsearch-users\s+useradd\b|\bmc\s+admin\s+user\s+add\b|\bhtpasswd\b|\bUser\.objects\.create\w*\s*\(|\bUser\.create\s*\(|\bcreateAccount\s*\(|\bkcadm(?:\.sh)?\s+create\s+users\b|\bocc\s+user:add\b|\busers\.create\s*\(/i;

/** The top role of that application or database. */
const TOP_ROLE =
  /\bSUPERUSER\b|\bsysadmin\b|\bGRANT\s+ALL\s+PRIVILEGES\s+ON\s+\*\.\*|\bGRANT\s+ALL\b[^\n;]{0,80}\bWITH\s+GRANT\s+OPTION\b|\bisGrafanaAdmin["']?\s*[:=]\s*(?:true|True)\b|["']?(?:is_?admin|admin|is_superuser|isAdmin|superuser)["']?\s*[:=]\s*(?:true|True|1)\b|\bset_role\s*\(\s*["']administrator["']|--role[= ]["']?(?:administrator|Admin)\b|["']?role["']?\s*[:=]\s*["'](?:administrator|Admin|owner|root|superuser)["']|\broles?["']?\s*[:=]\s*\[[^\]\n]{0,120}["'](?:root|userAdminAnyDatabase|dbAdminAnyDatabase|clusterAdmin|superuser|realm-admin|admin)["']|\bpolic(?:y|ies)=["']?(?:root|admin)\b|\bset_user_tags\s+\S+\s+administrator\b|\bconsoleAdmin\b|\bcreate_superuser\b|\bcreatesuperuser\b|\bfab\s+create-admin\b|-r\s+superuser\b|--group[= ]["']?admin\b|\bJenkins\.ADMINISTER\b/;

/** A password written into the skill, in the forms those tools take it. */
const LITERAL_PASSWORD = [
  /\bPASSWORD\s+'([^'\n$]{4,})'/gi,
  /\bIDENTIFIED\s+BY\s+'([^'\n$]{4,})'/gi,
  /["']?(?:password|passwd|pwd|user_pass|pass)["']?\s*[:=]\s*["']([^"'\n$%{}<>]{4,})["']/gi,
  /--(?:password|user_pass|pass)[= ]["']?([^\s"'$%{}<>]{4,})/gi,
  /\bwp_create_user\s*\(\s*["'][^"'\n]+["']\s*,\s*["']([^"'\n$]{4,})["']/g,
  /\bcreate_superuser\s*\(\s*["'][^"'\n]+["']\s*,\s*["'][^"'\n]*["']\s*,\s*["']([^"'\n$]{4,})["']/g,
  /\brabbitmqctl\s+add_user\s+["']?[\w.-]+["']?\s+["']?([^\s"'$]{4,})/g,
  /\bmc\s+admin\s+user\s+add\s+\S+\s+["']?[\w.-]+["']?\s+["']?([^\s"'$]{4,})/g,
  /\belasticsearch-users\s+useradd\b[^\n]{0,80}\s-p\s+["']?([^\s"'$]{4,})/g,
  /\bhtpasswd\b[^\n]{0,40}\s-\w*b\w*\s+\S+\s+["']?[\w.-]+["']?\s+["']?([^\s"'$]{4,})/g,
  /\bcreateAccount\s*\(\s*["'][^"'\n]+["']\s*,\s*["']([^"'\n$]{4,})["']/g,
];

/** Known defaults of local development setups: nobody keeps access with these. */
const PLACEHOLDER = /^(?:admin|administrator|password|passw0rd|changeme|change-?me|secret|test|testing|root|toor|postgres|mysql|guest|example|dev|development|local|demo|default|pass|1234\w*|\*+|x+|\.\.\.|your[\w-]*|replace[\w-]*)$/i;

function carriedAdminAccount(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment)) return [];
  const t = segment.text;
  for (const create of t.matchAll(new RegExp(CREATE_ACCOUNT.source, "gi"))) {
    // The account's statement and what follows it: the role is often granted in the next call.
    const from = Math.max(0, create.index - 200);
    const near = t.slice(from, create.index + 800);
    const role = TOP_ROLE.exec(near);
    if (!role) continue;
    for (const re of LITERAL_PASSWORD) {
      re.lastIndex = 0;
      for (const p of near.matchAll(re)) {
        const password = p[1]!.trim();
        if (PLACEHOLDER.test(password)) continue;
        return [{ index: create.index, length: create[0].length, message: `Creates an account with a password written into the skill and gives it the top role (${role[0].trim().slice(0, 40)}): whoever wrote the password signs in with full rights.` }];
      }
    }
  }
  return [];
}

export const carriedAccountRules: Rule[] = [
  {
    id: "SR-PERSIST-018",
    title: "Application or database admin with a written-in password",
    category: "persistence",
    severity: "critical",
    message: "Creates an application or database account with a password written into the skill and gives it the top role (superuser, administrator, root): a way back in for the skill's author.",
    fix: "Take the account name and password from the user (an environment variable or a prompt) or generate the password and show it once; grant the least role the task needs.",
    fileKinds: [...CODE, "config"],
    context: "payload",
    keywords: ["create role", "create user", "create login", "createuser", "wp_create_user", "wp_insert_user", "wp user create", "create_user", "create_superuser", "createsuperuser", "/api/admin/users", "/users", "add_user", "auth/userpass", "users create", "create-admin", "useradd", "user add", "htpasswd", "objects.create", "user.create", "createaccount", "create users", "user:add", "users.create"],
    reach: 1000,
    match: carriedAdminAccount,
    examples: {
      positive: [
        "=== migrations/0002.sql\nCREATE ROLE metrics_agent WITH LOGIN SUPERUSER PASSWORD 'Agent-m0n-2026';",
        "=== setup.js\ndb.getSiblingDB('admin').createUser({ user: 'opsbackup', pwd: 'B4ckup!ops', roles: [{ role: 'root', db: 'admin' }] });",
        "=== seed.php\n$id = wp_create_user('helpdesk', 'Hd-2026-secure', 'h@support.example');\n(new WP_User($id))->set_role('administrator');",
      ],
      negative: [
        "=== migrations/0002.sql\nCREATE ROLE metrics_reader WITH LOGIN PASSWORD 'Reader-2026';\nGRANT pg_read_all_stats TO metrics_reader;",
        "=== seed.py\nUser.objects.create_superuser('admin', 'admin@example.com', os.environ['ADMIN_PASSWORD'])",
        "=== dev-seed.py\nUser.objects.create_superuser('admin', 'admin@localhost', 'admin')",
      ],
    },
  },
];
