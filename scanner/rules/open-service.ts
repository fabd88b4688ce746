/**
 * Services and system protections a skill's own files open to anyone, as the configuration file
 * or the command that sets them (reviewed, high: each has a lab or debugging use, none carries a
 * payload of its own).
 *
 * SR-PRIV-060, a service that runs code or hands out data opened to whoever reaches it, with its
 * authentication switched off:
 * - PostgreSQL `trust` for every address (`host all all 0.0.0.0/0 trust`), MySQL without its grant
 *   tables on the network, MongoDB without authorization on every interface, Elasticsearch with
 *   security off on every interface, Redis with protected mode off and no password;
 * - Grafana's anonymous users made Admin or Editor; the kubelet taking anonymous requests or
 *   allowing everything; `kubectl proxy` on every interface for any Host; Spring Boot's actuator
 *   (env, heapdump, shutdown) all exposed with security off or secrets shown;
 * - WinRM over plain HTTP with Basic authentication; an NFS export or Samba share of a whole tree
 *   writable by anyone (root kept as root: `no_root_squash`).
 * SR-PRIV-061, a protection of the whole machine taken away: kernel hardening switched off
 * (address randomisation, ptrace scope, kernel pointers, core dumps of setuid programs), root's
 * capabilities given to an interpreter every user can run, the X server opened to every host.
 *
 * Only the files a skill ships: a document's snippet teaches or warns (the prose rules weigh it).
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE } from "./common.js";

const MAX_TEXT = 256 * 1024;
const EVERY_ADDRESS = String.raw`(?:0\.0\.0\.0|\*|::|\[::\])`;

/** One family: the lower-case words its check needs (any of them), and the check. */
interface OpenCheck {
  needs: readonly string[];
  message: string;
  find(text: string): RegExpExecArray | null;
}

/** A match of `re` only when `without` (a safeguard the same file sets) is absent. */
function unless(re: RegExp, without: RegExp): (text: string) => RegExpExecArray | null {
  return (text) => (without.test(text) ? null : re.exec(text));
}

/** A match of `re` only when `also` (the other half of the opening) is in the same file. */
function withAlso(re: RegExp, also: RegExp): (text: string) => RegExpExecArray | null {
  return (text) => (also.test(text) ? re.exec(text) : null);
}

const SERVICE_OPEN: readonly OpenCheck[] = [
  {
    needs: ["trust"],
    message: "PostgreSQL trusts every address (pg_hba `trust` from 0.0.0.0/0): anyone who reaches the port logs in as any role, superuser included, without a password.",
    find: (t) => new RegExp(String.raw`^[ \t]*(?:echo\s+["']?)?host(?:ssl|nossl)?[ \t]+\S+[ \t]+\S+[ \t]+(?:0\.0\.0\.0\/0|::\/0|all|0\.0\.0\.0[ \t]+0\.0\.0\.0)[ \t]+trust\b`, "m").exec(t),
  },
  {
    needs: ["skip-grant-tables", "skip_grant_tables"],
    message: "MySQL runs without its grant tables while listening on the network: anyone who reaches it is root.",
    find: withAlso(/\bskip[-_]grant[-_]tables\b/, new RegExp(String.raw`\bbind[-_]address\s*=\s*["']?${EVERY_ADDRESS}`)),
  },
  {
    needs: ["noauth", "authorization"],
    message: "MongoDB on every interface without authorization: anyone who reaches it reads and rewrites every database.",
    find: withAlso(/--noauth\b|\bauthorization\s*:\s*["']?disabled\b/, new RegExp(String.raw`--bind_ip_all\b|--bind_ip[= ]["']?0\.0\.0\.0|\bbindIp(?:All)?\s*:\s*["']?(?:0\.0\.0\.0|true)\b`)),
  },
  {
    needs: ["xpack.security.enabled"],
    message: "Elasticsearch with security off on every interface: anyone who reaches it reads, rewrites and deletes every index.",
    find: withAlso(/\bxpack\.security\.enabled\s*[:=]\s*["']?false\b/, new RegExp(String.raw`\bnetwork\.host\s*[:=]\s*["']?(?:0\.0\.0\.0|_site_|_global_)`)),
  },
  {
    needs: ["protected-mode"],
    message: "Redis with protected mode off and no password: anyone who reaches it rewrites its data, and CONFIG SET or MODULE LOAD run code on the host.",
    // The safeguard set, not a comment naming it (`# no requirepass: same network`).
    find: unless(/\bprotected-mode\s+["']?no\b/, /^[ \t]*(?:requirepass|aclfile)[ \t]+\S|^[ \t]*user[ \t]+\S+[ \t]+on\b|--requirepass\b|^[ \t]*bind[ \t]+127\.0\.0\.1[ \t]*$/m),
  },
  {
    needs: ["anonymous"],
    message: "Grafana's anonymous users are made Admin or Editor: anyone who reaches it edits dashboards, reads data sources and their credentials.",
    find: (t) =>
      /\[auth\.anonymous\][^[]{0,400}?\borg_role\s*=\s*["']?(?:Admin|Editor)\b/i.exec(t) ??
      withAlso(/\bGF_AUTH_ANONYMOUS_ORG_ROLE["']?\s*[:=]\s*["']?(?:Admin|Editor)\b/, /\bGF_AUTH_ANONYMOUS_ENABLED["']?\s*[:=]\s*["']?true\b/)(t),
  },
  {
    needs: ["alwaysallow", "anonymous"],
    message: "The kubelet takes anonymous requests or allows every request: anyone who reaches port 10250 runs commands in every pod of the node.",
    find: withAlso(/\bauthorization\s*:\s*\n[ \t]+mode\s*:\s*["']?AlwaysAllow\b|\banonymous\s*:\s*\n[ \t]+enabled\s*:\s*true\b/, /\bkind\s*:\s*KubeletConfiguration\b/),
  },
  {
    needs: ["accept-hosts", "disable-filter"],
    message: "`kubectl proxy` on every interface for any Host: the API server, with the user's own credentials, open to the whole network.",
    find: (t) => new RegExp(String.raw`\bkubectl\s+proxy\b[^\n]{0,200}?--address[= ]["']?${EVERY_ADDRESS}["']?[^\n]{0,200}?(?:--accept-hosts[= ]["']?\.?\*|--disable-filter\b)|\bkubectl\s+proxy\b[^\n]{0,200}?(?:--accept-hosts[= ]["']?\.?\*|--disable-filter\b)[^\n]{0,200}?--address[= ]["']?${EVERY_ADDRESS}`).exec(t),
  },
  {
    needs: ["exposure"],
    message: "Every Spring Boot actuator endpoint (env, heapdump, shutdown) exposed with security off or secrets shown: the process's secrets and a shutdown switch for anyone who reaches it.",
    find: withAlso(
      /\bmanagement\.endpoints\.web\.exposure\.include\s*[=:]\s*["']?\*|\bexposure\s*:\s*\n[ \t]+include\s*:\s*["']?\*/,
      /\bmanagement\.security\.enabled\s*[=:]\s*false\b|\bSecurityAutoConfiguration\b|show-values\s*[=:]\s*["']?ALWAYS\b|\bshutdown\.enabled\s*[=:]\s*true\b|\bshutdown\s*:\s*\n[ \t]+enabled\s*:\s*true\b/,
    ),
  },
  {
    needs: ["allowunencrypted"],
    message: "WinRM accepts plain HTTP with Basic authentication: administrator passwords cross the network in clear text, and the listener takes remote commands.",
    find: withAlso(
      /\bAllowUnencrypted\b[^\n]{0,40}?(?:-Value\s+)?["']?\$?true\b/i,
      /\bAuth\\Basic\b[^\n]{0,40}?(?:-Value\s+)?\$?true\b|\bBasic\s*=\s*["']true["']|\bLocalAccountTokenFilterPolicy\b/i,
    ),
  },
  {
    needs: ["no_root_squash", "guest ok"],
    message: "A whole tree shared writable with every host, root kept as root (NFS `no_root_squash`, a Samba guest share of /): anyone on the network writes as root.",
    find: (t) =>
      /(?:^[ \t]*|\b(?:echo|printf)\s+(?:-e\s+)?["']?)\/\S*[ \t]+(?:\*|0\.0\.0\.0\/0)[ \t]*\([^)\n]{0,120}(?:\brw\b[^)\n]{0,120}\bno_root_squash\b|\bno_root_squash\b[^)\n]{0,120}\brw\b)|\bexportfs\b[^\n]{0,80}\brw\b[^\n]{0,80}\bno_root_squash\b[^\n]{0,80}\s\*:\//m.exec(t) ??
      /^[ \t]*path\s*=\s*\/[ \t]*$[^[]{0,400}?\bguest ok\s*=\s*yes\b/im.exec(t),
  },
];

/** Kernel hardening settings and the value that switches each off. */
const HARDENING_OFF: readonly RegExp[] = [
  /\bkernel[./]randomize_va_space\b["']?\s*=?\s*0\b|echo\s+0\s*\|?[^\n]{0,20}\/proc\/sys\/kernel\/randomize_va_space\b/,
  /\bkernel[./]yama[./]ptrace_scope\b["']?\s*=?\s*0\b|echo\s+0\s*\|?[^\n]{0,20}\/proc\/sys\/kernel\/yama\/ptrace_scope\b/,
  /\bkernel[./]kptr_restrict\b["']?\s*=?\s*0\b/,
  /\bfs[./]suid_dumpable\b["']?\s*=?\s*2\b/,
  /\bkernel[./]perf_event_paranoid\b["']?\s*=?\s*-1\b/,
  /\bkernel[./]dmesg_restrict\b["']?\s*=?\s*0\b/,
  /\bkernel[./]unprivileged_bpf_disabled\b["']?\s*=?\s*0\b/,
];
const ASLR_OFF = HARDENING_OFF[0]!;

function hardeningOff(text: string): Hit | undefined {
  const found = HARDENING_OFF.map((re) => re.exec(text)).filter((m): m is RegExpExecArray => m !== null);
  // Address randomisation off is enough; another single switch (perf for a profiler) is a common debugging step.
  if (!found.length || (found.length < 2 && !ASLR_OFF.test(text))) return undefined;
  const first = found.reduce((a, b) => (b.index < a.index ? b : a));
  return { index: first.index, length: first[0].length, message: `Switches off kernel hardening machine-wide (${found.length} setting${found.length > 1 ? "s" : ""}: address randomisation, ptrace scope, kernel pointers…): every exploit and every process reading another's memory gets easier for every user.` };
}

/** Capabilities that amount to root, granted with setcap. */
const ROOT_CAPS = /\bsetcap\s+["']?([^\n]{0,160}?)["']?\s+(\S+)/g;
const ROOT_CAP = /\bcap_(?:sys_admin|setuid|setgid|dac_override|dac_read_search|sys_module|sys_ptrace|fowner|chown|sys_rawio)\b/;
const INTERPRETER = /(?:^|\/)(?:python[\d.]*|perl[\d.]*|ruby[\d.]*|node|nodejs|php[\d.]*|bash|sh|zsh|dash|ksh|lua[\d.]*|tclsh[\d.]*|busybox|env|gdb|vim?|java|pwsh|deno|bun)["']?$/;

function interpreterGivenRoot(text: string): Hit | undefined {
  ROOT_CAPS.lastIndex = 0;
  for (let m = ROOT_CAPS.exec(text); m; m = ROOT_CAPS.exec(text)) {
    if (!ROOT_CAP.test(m[1]!)) continue;
    const target = m[2]!.replace(/^["']|["']$/g, "");
    let interpreter = INTERPRETER.test(target);
    // `py=$(readlink -f "$(command -v python3)")` then `setcap … "$py"`.
    const variable = /^\$\{?(\w+)\}?$/.exec(target)?.[1];
    if (!interpreter && variable) {
      const assigned = new RegExp(String.raw`(?:^|[\s;])${variable}=([^\n]{0,200})`, "m").exec(text)?.[1] ?? "";
      interpreter = /\b(?:command\s+-v|which|type\s+-p)\s+["']?(?:python[\d.]*|perl|ruby|node|php|bash|sh|lua|java)\b/.test(assigned);
    }
    if (interpreter) return { index: m.index, length: m[0].length, message: "Gives root's capabilities to an interpreter every user can run (setcap cap_sys_admin/dac_read_search/setuid…): any script of any user reads every file or becomes root." };
  }
  return undefined;
}

/** `xhost +` with no host after it: every host on the network may read keystrokes, take screenshots and type into the session. */
const X_OPEN = /\bxhost\s+\+[ \t]*(?:$|[;&|#)]|\d?>)/m;

/** Of plain text, only a configuration file without a prose extension (`/etc/exports`, `application.properties`) is a setting applied. */
function shipped(segment: Segment): boolean {
  if (segment.fenced || segment.text.length > MAX_TEXT) return false;
  return segment.kind !== "text" || !/\.(?:txt|rst|html?|xml|csv)$/i.test(segment.file);
}

function serviceOpened(segment: Segment): Hit[] {
  if (!shipped(segment)) return [];
  for (const check of SERVICE_OPEN) {
    if (!check.needs.some((w) => segment.lower.includes(w))) continue;
    const m = check.find(segment.text);
    if (m) return [{ index: m.index, length: m[0].length, message: check.message }];
  }
  return [];
}

function machineProtectionOff(segment: Segment): Hit[] {
  if (!shipped(segment)) return [];
  const text = segment.text;
  const hit = hardeningOff(text) ?? (segment.lower.includes("setcap") ? interpreterGivenRoot(text) : undefined);
  if (hit) return [hit];
  if (segment.kind === "config" || segment.kind === "text") return [];
  const x = X_OPEN.exec(text);
  return x ? [{ index: x.index, length: x[0].length, message: "Opens the X server to every host (`xhost +`): anyone on the network reads keystrokes, takes screenshots and types into the user's session." }] : [];
}

const FILE_KINDS = [...CODE, "config", "text"] as const;

export const openServiceRules: Rule[] = [
  {
    id: "SR-PRIV-060",
    title: "Service opened to anyone without authentication",
    category: "privilege-escalation",
    severity: "high",
    message: "Configures a service that runs code or holds data to accept anyone who reaches it, with its authentication off (database trust, anonymous admin, an API proxy for any host, actuator endpoints, WinRM over HTTP, a share writable as root).",
    fix: "Keep the authentication on and bind to 127.0.0.1 or a named subnet; give the people who need access their own credentials.",
    fileKinds: FILE_KINDS,
    context: "payload",
    triggers: [...new Set(SERVICE_OPEN.flatMap((c) => c.needs))],
    match: serviceOpened,
    examples: {
      positive: [
        "=== open.sh\necho 'host all all 0.0.0.0/0 trust' >> \"$hba\"",
        "=== redis.conf\nbind 0.0.0.0\nprotected-mode no\nport 6379",
        "=== grafana.ini\n[auth.anonymous]\nenabled = true\norg_role = Admin",
        "=== kubelet-config.yaml\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow",
        "=== proxy.sh\nkubectl proxy --address 0.0.0.0 --accept-hosts '.*'",
        "=== exports\n/ *(rw,sync,no_root_squash)",
        "=== application.properties\nmanagement.endpoints.web.exposure.include=*\nmanagement.endpoint.env.show-values=ALWAYS",
        "=== prep.ps1\nSet-Item WSMan:\\localhost\\Service\\AllowUnencrypted -Value $true\nSet-Item WSMan:\\localhost\\Service\\Auth\\Basic -Value $true",
      ],
      negative: [
        "=== pg.sh\necho 'host all all 10.0.0.0/8 scram-sha-256' >> \"$hba\"\necho 'local all postgres peer' >> \"$hba\"",
        "=== redis.conf\nbind 0.0.0.0\nprotected-mode no\nrequirepass ${REDIS_PASSWORD}",
        "=== grafana.ini\n[auth.anonymous]\nenabled = true\norg_role = Viewer",
        "=== proxy.sh\nkubectl proxy --port 8001",
        "=== exports\n/srv/media 192.168.1.0/24(ro,sync,root_squash)",
        "=== application.properties\nmanagement.endpoints.web.exposure.include=health,info",
      ],
    },
  },
  {
    id: "SR-PRIV-061",
    title: "Machine-wide protection taken away",
    category: "privilege-escalation",
    severity: "high",
    message: "Takes away a protection of the whole machine: kernel hardening switched off (address randomisation, ptrace scope, kernel pointers), root's capabilities given to an interpreter every user runs, or the X server opened to every host.",
    fix: "Change the setting for one debugging session (`setarch -R`, `sudo sysctl -w` without persisting it), grant capabilities to a dedicated binary, and use `xhost +SI:localuser:$USER`.",
    fileKinds: FILE_KINDS,
    context: "payload",
    triggers: ["randomize_va_space", "ptrace_scope", "kptr_restrict", "suid_dumpable", "perf_event_paranoid", "dmesg_restrict", "unprivileged_bpf_disabled", "setcap", "xhost"],
    match: machineProtectionOff,
    examples: {
      positive: [
        "=== 99-debug.conf\nkernel.randomize_va_space = 0\nkernel.yama.ptrace_scope = 0",
        "=== setup.sh\npy=$(readlink -f \"$(command -v python3)\")\nsetcap cap_sys_admin,cap_sys_ptrace+ep \"$py\"",
        "=== run.sh\nxhost +\ndocker run --rm -it -e DISPLAY=\"$DISPLAY\" app",
      ],
      negative: [
        "=== perf.sh\nsudo sysctl -w kernel.perf_event_paranoid=-1",
        "=== ping.sh\nsudo setcap cap_net_raw+ep /usr/bin/ping\nsudo setcap cap_net_bind_service=+ep \"$(command -v node)\"",
        "=== run.sh\nxhost +SI:localuser:$USER\ndocker run --rm -it -e DISPLAY=\"$DISPLAY\" app",
      ],
    },
  },
];
