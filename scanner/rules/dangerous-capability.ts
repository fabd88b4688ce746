/**
 * Capabilities that hand control of the machine or cluster to whoever reaches it, whatever the
 * skill says they are for: a Docker daemon listening on the network without TLS, cluster-admin
 * granted to every pod or to anonymous users, a container given the host's root, an MCP tool
 * that runs any shell command served on every interface, a script that overwrites itself with
 * whatever a URL serves, a model file from the network unpickled, and a login autostart entry.
 * Each is reviewed (high): a legitimate setup exists for some, and the reviewer decides.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { CODE, SCRIPTS_AND_PROSE, SCRIPTS_PROSE_CONFIG, hitsOf } from "./common.js";

/** The first match of `re` in the segment as a hit (one finding per file is enough for a review). */
function firstHit(re: RegExp, text: string): Hit[] {
  const m = re.exec(text);
  return m ? [{ index: m.index, length: m[0].length }] : [];
}

/** A daemon address on every interface (`tcp://0.0.0.0:2375`, `tcp://:2375`, `tcp://[::]:2375`) or on 2375, Docker's plain-text port. */
const DOCKER_TCP = /(?:\bdockerd\b[^\n]{0,200}?(?:-H|--host)[= ]|"hosts"\s*:\s*\[[^\]]{0,200}?|\bExecStart=[^\n]{0,200}?(?:-H|--host)[= ])["']?tcp:\/\/(?:0\.0\.0\.0|\[::\]|::|)(?=:\d|["'\s,\]]|$)(?::\d+)?|\btcp:\/\/(?:0\.0\.0\.0|\[::\])?:2375\b/g;
const DOCKER_TLS = /tlsverify|--tlscacert|"tlscacert"|\b2376\b/i;

function dockerDaemonOpen(segment: Segment): Hit[] {
  if (DOCKER_TLS.test(segment.text)) return [];
  // A client pointed at a daemon in the same job (`DOCKER_HOST: tcp://docker:2375`, CI docker-in-docker) is not the daemon listening.
  return hitsOf(DOCKER_TCP, segment.text, (m) => /dockerd|"hosts"|ExecStart|0\.0\.0\.0|\[::\]/.test(m[0])).slice(0, 1);
}

/** A binding of cluster-admin whose subject is every pod of a namespace (its `default` service account), every service account, or anonymous users. */
const BINDS_CLUSTER_ADMIN = /\bkind:\s*(?:Cluster)?RoleBinding\b/;
const ROLE_CLUSTER_ADMIN = /\broleRef:[\s\S]{0,200}?\bname:\s*["']?cluster-admin\b/;
const EVERYONE_SUBJECT = /\bsubjects:[\s\S]{0,400}?(?:\bkind:\s*ServiceAccount\b[\s\S]{0,80}?\bname:\s*["']?default\b|\bname:\s*["']?default["']?[\s\S]{0,80}?\bkind:\s*ServiceAccount\b|\bname:\s*["']?system:(?:anonymous|unauthenticated|authenticated|serviceaccounts)\b)/;
const KUBECTL_EVERYONE = /\bkubectl\s+create\s+(?:cluster)?rolebinding\b[^\n]{0,300}--clusterrole[= ]cluster-admin\b[^\n]{0,300}(?:--serviceaccount[= ][\w-]+:default\b|--group[= ]system:(?:anonymous|unauthenticated|authenticated|serviceaccounts)\b|--user[= ]system:anonymous\b)|\bkubectl\s+create\s+(?:cluster)?rolebinding\b[^\n]{0,300}(?:--serviceaccount[= ][\w-]+:default\b|--group[= ]system:(?:anonymous|unauthenticated|serviceaccounts)\b)[^\n]{0,300}--clusterrole[= ]cluster-admin\b/g;
/** API servers and dashboards with authentication turned off. */
const AUTH_OFF = /--enable-skip-login(?:[= ]true)?\b|--anonymous-auth[= ]true\b|--authorization-mode[= ]AlwaysAllow\b|--disable-settings-authorizer\b/g;

function clusterAdminForEveryone(segment: Segment): Hit[] {
  const hits = [...hitsOf(KUBECTL_EVERYONE, segment.text), ...hitsOf(AUTH_OFF, segment.text)];
  for (const doc of segment.text.split(/^---\s*$/m)) {
    if (!BINDS_CLUSTER_ADMIN.test(doc) || !ROLE_CLUSTER_ADMIN.test(doc) || !EVERYONE_SUBJECT.test(doc)) continue;
    const index = segment.text.indexOf(doc) + doc.search(BINDS_CLUSTER_ADMIN);
    hits.push({ index, length: 20 });
  }
  return hits.slice(0, 2);
}

/** `docker run --privileged` that also mounts the host's root read-write or joins the host's process namespace. */
const CONTAINER_RUN = /\b(?:docker|podman|nerdctl)\s+(?:container\s+)?(?:run|create)\b(?:[^\n\\]|\\\r?\n){0,1200}/g;
/** A pod or Compose service: privileged, with the host's root as a volume or the host's process namespace. */
const PRIVILEGED_YAML = /\bprivileged:\s*true\b/;
const HOST_ROOT_YAML = /\bhostPath:\s*\{?\s*path:\s*["']?\/["']?\s*(?:[,}]|$)|^\s*-\s*["']?\/:\/[^\s"':]*(?::rw)?["']?\s*$|\bhostPID:\s*true\b|^\s*pid:\s*["']?host\b/m;

function hostRootContainer(segment: Segment): Hit[] {
  if (segment.kind === "config") {
    for (const doc of segment.text.split(/^---\s*$/m)) {
      if (!PRIVILEGED_YAML.test(doc) || !HOST_ROOT_YAML.test(doc)) continue;
      const index = segment.text.indexOf(doc) + doc.search(PRIVILEGED_YAML);
      return [{ index, length: 16 }];
    }
    return [];
  }
  return hitsOf(CONTAINER_RUN, segment.text, (m) => {
    const run = m[0];
    if (!/--privileged\b/.test(run)) return false;
    const rootMount = /(?:-v|--volume)[= ]["']?\/:[^\s:"']+(?::(?!ro\b)\w+)?(?=["'\s\\]|$)/.test(run);
    return rootMount || /--pid[= ]host\b/.test(run);
  }).slice(0, 1);
}

/** An MCP tool (or a tool an agent framework serves) whose parameter is run as a shell command, on a server bound to every interface. */
const TOOL_DECORATOR = /@(?:\w+\.)?tool\s*\([^)]{0,300}\)\s*\n\s*(?:async\s+)?def\s+\w+\s*\(([^)]{0,300})\)|\.(?:tool|registerTool)\s*\(\s*["'][\w-]+["'][\s\S]{0,400}?(?:async\s*)?\(\s*\{?\s*([\w\s,]+?)\s*\}?\s*\)\s*=>/g;
const SHELL_RUN = /\b(?:subprocess\.(?:run|Popen|call|check_output|check_call)\s*\(\s*(\w+)[^)]{0,300}shell\s*=\s*True|os\.(?:system|popen)\s*\(\s*(\w+)|(?:child_process\.)?exec(?:Sync)?\s*\(\s*(\w+)|asyncio\.create_subprocess_shell\s*\(\s*(\w+))/g;
const ALL_INTERFACES = /["'](?:0\.0\.0\.0|::)["']/;

function networkShellTool(segment: Segment): Hit[] {
  if (!ALL_INTERFACES.test(segment.text)) return [];
  const hits: Hit[] = [];
  for (const tool of segment.text.matchAll(TOOL_DECORATOR)) {
    const params = (tool[1] ?? tool[2] ?? "").split(",").map((p) => p.split(/[:=]/)[0]!.trim()).filter(Boolean);
    const body = segment.text.slice(tool.index + tool[0].length, tool.index + tool[0].length + 1500);
    const nextTool = body.search(/\n\s*@(?:\w+\.)?tool\b|\.(?:tool|registerTool)\s*\(/);
    for (const run of (nextTool >= 0 ? body.slice(0, nextTool) : body).matchAll(SHELL_RUN)) {
      const arg = run[1] ?? run[2] ?? run[3] ?? run[4];
      if (arg && params.includes(arg)) hits.push({ index: tool.index, length: tool[0].length });
    }
  }
  return hits.slice(0, 1);
}

/** A download written over the running script itself, with nothing checking what arrived. */
const SELF_OVERWRITE = /\b(?:curl|wget)\b[^\n|;&]{0,300}\s(?:-[a-zA-Z]*[oO]|--output(?:-document)?)[= ]?\s*["']?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)\b|\b(?:curl|wget)\b[^\n|;&]{0,300}>\s*["']?\$(?:0|\{0\})\b|-OutFile\s+["']?\$(?:PSCommandPath|MyInvocation\.MyCommand\.(?:Path|Definition))|\bopen\s*\(\s*(?:__file__|sys\.argv\[0\])\s*,\s*["']wb?["']|\bwriteFile(?:Sync)?\s*\(\s*(?:__filename|process\.argv\[1\])|\b(?:urlretrieve|os\.replace|shutil\.(?:move|copy\w*))\s*\([^,\n]+,\s*(?:__file__|sys\.argv\[0\])\s*\)|\b(?:mv|cp|install)\s+(?:-\w+\s+)*["']?\S+["']?\s+["']?\$(?:0|\{0\}|\{BASH_SOURCE(?:\[0\])?\}|BASH_SOURCE)["']?\s*(?:$|[;&|])|\bMove-Item\b[^\n]*-Destination\s+["']?\$(?:PSCommandPath|MyInvocation\.MyCommand\.(?:Path|Definition))/gm;
const VERIFIES = /\b(?:sha256sum|sha512sum|shasum|gpg\s+--verify|minisign|cosign\s+verify|signify|Get-FileHash|hashlib|createHash|Authenticode)\b/i;
const FETCHES = /\b(?:curl|wget|urlopen|requests\.get|fetch|https?\.get|Invoke-WebRequest|iwr|DownloadString|DownloadFile)\b/;

function unverifiedSelfUpdate(segment: Segment): Hit[] {
  if (VERIFIES.test(segment.text)) return [];
  return hitsOf(SELF_OVERWRITE, segment.text, (m) => /\b(?:curl|wget|urlretrieve)\b|-OutFile/.test(m[0]) || FETCHES.test(segment.text)).slice(0, 1);
}

/** Loading that runs code stored in the file (pickle and its wrappers), of a file the same code downloads or takes as a URL. */
const UNPICKLES = /\btorch\.load\s*\([^\n]{0,300}?weights_only\s*=\s*False|\b(?:pickle|cPickle|dill|cloudpickle|joblib)\.load\s*\(|\bpd\.read_pickle\s*\(|\bnp\.load\s*\([^\n]{0,300}?allow_pickle\s*=\s*True|\byaml\.load\s*\([^\n]{0,300}?Loader\s*=\s*yaml\.(?:Unsafe)?Loader\b|\bload_model\s*\([^\n]{0,300}?safe_mode\s*=\s*False/g;
const DOWNLOADS = /\burlretrieve\s*\(|\burlopen\s*\(|\brequests\.get\s*\(|\bhttpx\.get\s*\(|\bdownload_url_to_file\s*\(|\bwget\.download\s*\(|\bgdown\.download\s*\(/;

function remoteUnpickle(segment: Segment): Hit[] {
  if (!DOWNLOADS.test(segment.text)) return [];
  return hitsOf(UNPICKLES, segment.text).slice(0, 1);
}

/** Login autostart folders: Windows Startup, XDG autostart. A file put there runs at every sign-in. */
const AUTOSTART = /\bSpecialFolders\s*\(\s*"(?:All Users )?Startup"\s*\)|\bshell:(?:common )?startup\b|\bGetFolderPath\s*\(\s*["']?(?:\[Environment\+SpecialFolder\]::)?(?:Common)?Startup\b|\[Environment\+SpecialFolder\]::(?:Common)?Startup\b|\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\|(?:>>?|\btee\s+(?:-a\s+)?|\b(?:cp|mv|install|ln\s+-s\w*)\s+\S+\s+)["']?\S{0,60}(?:\.config|\/etc\/xdg)\/autostart\/|\b(?:RegWrite|Set-ItemProperty|SetValueEx|SetValue|New-ItemProperty|reg(?:\.exe)?\s+add)\b[\s\S]{0,300}?\\?CurrentVersion\\{1,2}Run(?:Once)?\b|\bCurrentVersion\\{1,2}Run(?:Once)?\b[\s\S]{0,300}?\b(?:RegWrite|Set-ItemProperty|SetValueEx|SetValue|New-ItemProperty)\b/gi;

export const dangerousCapabilityRules: Rule[] = [
  {
    id: "SR-PRIV-007",
    title: "Docker daemon open on the network without TLS",
    category: "privilege-escalation",
    severity: "high",
    message: "Makes the Docker daemon listen on TCP without TLS: anyone who reaches the port controls the host as root.",
    fix: "Keep the daemon on its Unix socket, or use TLS (--tlsverify, port 2376) or SSH (`DOCKER_HOST=ssh://…`).",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "command",
    keywords: ["tcp://"],
    reach: 400,
    match: dockerDaemonOpen,
    examples: {
      positive: ["sudo dockerd -H unix:///var/run/docker.sock -H tcp://0.0.0.0:4243", "=== etc/daemon.json\n{ \"hosts\": [\"tcp://0.0.0.0:2375\", \"unix:///var/run/docker.sock\"] }"],
      negative: ["=== etc/daemon.json\n{ \"hosts\": [\"tcp://0.0.0.0:2376\"], \"tlsverify\": true, \"tlscacert\": \"/etc/docker/ca.pem\" }", "export DOCKER_HOST=tcp://docker:2375"],
    },
  },
  {
    id: "SR-PRIV-008",
    title: "Cluster admin for every pod or anonymous user",
    category: "privilege-escalation",
    severity: "high",
    message: "Grants cluster-admin to a namespace's default service account, every service account or anonymous users, or turns authentication off: every pod (or anyone) controls the cluster.",
    fix: "Bind the narrowest role to a dedicated service account; keep authentication on.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "command",
    keywords: ["cluster-admin", "skip-login", "anonymous-auth", "alwaysallow"],
    reach: 800,
    match: clusterAdminForEveryone,
    examples: {
      positive: [
        "=== k8s/rbac.yaml\nkind: ClusterRoleBinding\nmetadata:\n  name: everyone\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: system:serviceaccounts\n",
        "kubectl create clusterrolebinding ci-admin --clusterrole=cluster-admin --serviceaccount=build:default",
      ],
      negative: ["=== k8s/rbac.yaml\nkind: ClusterRoleBinding\nmetadata:\n  name: argo\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: argocd-server\n    namespace: argocd\n", "kubectl create clusterrolebinding me --clusterrole=cluster-admin --user=alice@example.com"],
    },
  },
  {
    id: "SR-PRIV-009",
    title: "Container given the host's root",
    category: "privilege-escalation",
    severity: "high",
    message: "Runs a privileged container with the host's root mounted writable or the host's processes: the container owns the host.",
    fix: "Drop --privileged; mount only the folder the tool needs, read-only.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "command",
    keywords: ["--privileged", "privileged: true"],
    reach: 600,
    match: hostRootContainer,
    examples: {
      positive: ["podman run -d --privileged -v /:/mnt/host quay.io/acme/agent:latest", "docker run --rm --privileged --pid=host alpine nsenter -t 1 -m sh", "=== k8s/ds.yaml\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          securityContext:\n            privileged: true\n      volumes:\n        - name: root\n          hostPath:\n            path: /\n"],
      negative: ["docker run --rm -v \"$PWD\":/work -w /work node:20 npm test", "docker run --privileged --rm tonistiigi/binfmt --install all", "=== k8s/ds.yaml\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      containers:\n        - name: logs\n          securityContext:\n            privileged: true\n      volumes:\n        - name: varlog\n          hostPath:\n            path: /var/log\n"],
    },
  },
  {
    id: "SR-SHELL-009",
    title: "Shell tool served on every interface",
    category: "reverse-shell",
    severity: "high",
    message: "An agent tool runs any shell command it is given, on a server bound to every network interface: anyone who reaches the port runs commands.",
    fix: "Bind to 127.0.0.1, require authentication, and run a fixed list of commands.",
    fileKinds: CODE,
    context: "fact",
    keywords: ["tool"],
    reach: 100000,
    match: networkShellTool,
    examples: {
      positive: ["=== srv.py\nimport os\nfrom fastmcp import FastMCP\napp = FastMCP(\"ops\")\n\n@app.tool()\ndef sh(cmdline: str) -> str:\n    return os.popen(cmdline).read()\n\napp.run(transport=\"sse\", host=\"0.0.0.0\")"],
      negative: ["=== srv.py\nimport subprocess\nfrom fastmcp import FastMCP\napp = FastMCP(\"ops\")\n\n@app.tool()\ndef disk(path: str) -> str:\n    return subprocess.run([\"du\", \"-sh\", path], capture_output=True, text=True).stdout\n\napp.run(transport=\"sse\", host=\"0.0.0.0\")"],
    },
  },
  {
    id: "SR-SUPPLY-008",
    title: "Self-update without verification",
    category: "supply-chain",
    severity: "high",
    message: "Overwrites its own script with whatever a URL serves, with no pinned version, checksum or signature: whoever controls the URL controls the next run.",
    fix: "Pin a release and check its checksum or signature before replacing the script.",
    fileKinds: CODE,
    context: "command",
    keywords: ["$0", "bash_source", "pscommandpath", "mycommand", "__file__", "argv[0]", "__filename", "argv[1]"],
    reach: 400,
    match: unverifiedSelfUpdate,
    examples: {
      positive: ["=== upd.sh\nwget -qO \"$0\" https://git.example.org/me/tool/raw/branch/master/tool.sh", "=== upd.ps1\nInvoke-WebRequest https://tools.example.net/t.ps1 -OutFile $PSCommandPath", "=== upd.sh\ntmp=$(mktemp)\ncurl -fsSL https://tools.example.net/main/t.sh -o \"$tmp\"\nmv \"$tmp\" \"$0\"", "=== upd.py\nimport sys, urllib.request\nurllib.request.urlretrieve(\"https://tools.example.net/main/t.py\", sys.argv[0])"],
      negative: ["=== upd.sh\ncurl -fsSL -o /tmp/t.sh https://tools.example.net/v1.2.0/t.sh\necho \"$SUM  /tmp/t.sh\" | sha256sum -c - && mv /tmp/t.sh \"$0\""],
    },
  },
  {
    id: "SR-DLEXEC-010",
    title: "Downloaded file unpickled",
    category: "download-execute",
    severity: "high",
    message: "Loads a file the code downloads with a loader that runs code stored in it (pickle, torch.load without weights_only, joblib, unsafe YAML).",
    fix: "Load weights only (torch.load(weights_only=True), safetensors), or pin the file's checksum.",
    fileKinds: CODE,
    context: "fact",
    keywords: ["load"],
    reach: 100000,
    match: remoteUnpickle,
    examples: {
      positive: ["=== get.py\nimport joblib, requests, sys\nopen(\"m.pkl\", \"wb\").write(requests.get(sys.argv[1]).content)\nmodel = joblib.load(\"m.pkl\")"],
      negative: ["=== get.py\nimport torch, urllib.request\nurllib.request.urlretrieve(URL, \"w.pt\")\nstate = torch.load(\"w.pt\", weights_only=True)"],
    },
  },
  {
    id: "SR-PERSIST-010",
    title: "Login autostart entry",
    category: "persistence",
    severity: "high",
    message: "Puts a file in a login autostart folder (Windows Startup, XDG autostart) or writes a Run key: it runs at every sign-in.",
    fix: "Tell the user how to add it to their session themselves.",
    fileKinds: [...CODE, ...SCRIPTS_AND_PROSE],
    context: "command",
    keywords: ["startup", "autostart", "currentversion"],
    match: (segment) => firstHit(new RegExp(AUTOSTART.source, "i"), segment.text),
    examples: {
      positive: ["=== a.vbs\nSet sh = CreateObject(\"WScript.Shell\")\np = sh.SpecialFolders(\"Startup\") & \"\\x.lnk\"", "cp agent.desktop ~/.config/autostart/", "=== a.py\nimport winreg\nk = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r\"Software\\Microsoft\\Windows\\CurrentVersion\\Run\", 0, winreg.KEY_SET_VALUE)\nwinreg.SetValueEx(k, \"upd\", 0, winreg.REG_SZ, exe)"],
      negative: ["ls ~/.config/autostart", "Write-Host 'startup time: 3s'"],
    },
  },
];
