/**
 * Official installers and vendor endpoints, reviewed by hand. A download-and-run from one of
 * these is still a risky pattern (medium: the skill can't vouch for what it installs) but not
 * the signature of an attack. A URL matches only when its real host is exactly a listed host
 * (or, for the `*.` entries, a subdomain of it) and its path starts with the listed prefix:
 * https://astral.sh.evil.example/ is not astral.sh.
 */
import { hostOf, isOnDomain, pathOf } from "./urls.js";

/** host -> path prefixes ("" = any path). */
const INSTALLERS: Record<string, string[]> = {
  "sh.rustup.rs": [""],
  "static.rust-lang.org": ["/rustup/"],
  "astral.sh": ["/uv/", "/ruff/"],
  "ollama.com": ["/install.sh", "/install.ps1"],
  "get.docker.com": [""],
  "bun.sh": ["/install"],
  "deno.land": ["/install.sh", "/install.ps1", "/x/install/"],
  "install.python-poetry.org": [""],
  "get.pnpm.io": [""],
  "claude.ai": ["/install.sh", "/install.ps1"],
  "cli.github.com": [""],
  "starship.rs": ["/install.sh"],
  "get.helm.sh": [""],
  "fnm.vercel.app": ["/install"],
  "foundry.paradigm.xyz": [""],
  "tailscale.com": ["/install.sh"],
  "deb.nodesource.com": [""],
  "rpm.nodesource.com": [""],
  "release.solana.com": [""],
  "release.anza.xyz": [""],
  "pyenv.run": [""],
  "sdk.cloud.google.com": [""],
  "get.sdkman.io": [""],
  "install.determinate.systems": ["/nix"],
  "nixos.org": ["/nix/install"],
  "sh.flutter.dev": [""],
  "opencode.ai": ["/install"],
  "cursor.com": ["/install"],
  "get.k3s.io": [""],
  "dot.net": ["/v1/dotnet-install.sh", "/v1/dotnet-install.ps1"],
  "dotnet.microsoft.com": ["/download/"],
  "mise.run": [""],
  "volta.sh": [""],
  "get.volta.sh": [""],
  "install.julialang.org": [""],
  "cli.doppler.com": ["/install.sh"],
  "downloads.1password.com": [""],
  "apt.releases.hashicorp.com": [""],
  "community.chocolatey.org": ["/install.ps1"],
  "get.scoop.sh": [""],
  "apt.llvm.org": ["/llvm.sh"],
  "dokku.com": ["/bootstrap.sh", "/install/"],
  "run.linkerd.io": ["/install"],
  "fluxcd.io": ["/install.sh"],
  "istio.io": ["/downloadIstio"],
  "getcomposer.org": ["/installer"],
  "get.rvm.io": [""],
  "get.pulumi.com": [""],
  "pkgx.sh": [""],
  "sh.vector.dev": [""],
  "dl.k8s.io": [""],
  "get.trunk.io": [""],
  "install.duckdb.org": [""],
  "download.docker.com": [""],
  "packages.microsoft.com": [""],
  "cli.openfaas.com": [""],
  "install.meteor.com": [""],
  "chocolatey.org": ["/install.ps1"],
  "rclone.org": ["/install.sh"],
  "fly.io": ["/install.sh", "/install.ps1"],
  "proton.me": ["/download/pass-cli/"],
  "molt.bot": ["/install.sh"],
  "openclaw.ai": ["/install.sh", "/install.ps1"],
  "cli.sentry.dev": ["/install"],
  "get.jetify.com": ["/devbox"],
  "pixi.sh": ["/install.sh", "/install.ps1"],
  "get.chezmoi.io": [""],
  "sugar.metaplex.com": ["/install.sh"],
  "bootstrap.pypa.io": ["/get-pip.py"],
  "raw.githubusercontent.com": ["/babashka/babashka/", "/golangci/golangci-lint/", "/Homebrew/install/", "/nvm-sh/nvm/", "/rust-lang/rustup/", "/pyenv/pyenv-installer/", "/ohmyzsh/ohmyzsh/", "/coreos/", "/helm/helm/"],
  // Release installers of projects whose own docs say to download and run them (owner/repo exact).
  "github.com": ["/conda-forge/miniforge/releases/", "/j178/prek/releases/"],
  "awscli.amazonaws.com": ["/awscli-exe-", "/AWSCLIV2"],
  "aka.ms": ["/install-azd.sh", "/InstallAzureCLIDeb", "/InstallAzureCliLinux"],
};

/** Whether `url` is an official installer on the list (host exact, path prefix). */
export function isOfficialInstaller(url: string): boolean {
  const host = hostOf(url);
  if (!host) return false;
  const prefixes = INSTALLERS[host];
  if (!prefixes) return false;
  const path = pathOf(url);
  // curl and browsers resolve `/../` (also written `%2e%2e`) before asking: `/ohmyzsh/ohmyzsh/../../evil/` is another repository.
  if (/\/(?:\.|%2e){1,2}(?:\/|$)/i.test(path)) return false;
  return prefixes.some((p) => p === "" || path.startsWith(p));
}

/**
 * Whether `host` spells an official installer's host and then goes on (`ollama.com.install-cdn.example`,
 * `get.docker.com-mirror.example`): a look-alike that borrows the vendor's name, never the vendor.
 */
export function isInstallerLookAlike(host: string): boolean {
  return Object.keys(INSTALLERS).some((known) => (host.startsWith(`${known}.`) || host.startsWith(`${known}-`)) && !isOnDomain(host, known));
}

/**
 * Reserved documentation hosts (RFC 2606/6761, RFC 5737): nothing an attacker controls. A
 * command aimed at one is an example in documentation, whatever the text around it says.
 */
export function isDocumentationHost(host: string): boolean {
  return (
    /(?:^|\.)(?:example|invalid|test|localhost)$/.test(host) ||
    /^(?:www\.)?example\.(?:com|org|net)$/.test(host) ||
    /^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/.test(host) ||
    host === "localhost" ||
    /^127\./.test(host)
  );
}

/**
 * Vendor API hosts a credential of a kind is meant for: sending an AWS key to AWS is using
 * it, not exfiltrating it. Suffix match on dot boundaries.
 */
const PURPOSE_HOSTS: Record<string, string[]> = {
  aws: ["amazonaws.com", "aws.amazon.com"],
  gcloud: ["googleapis.com", "google.com"],
  azure: ["azure.com", "microsoft.com", "microsoftonline.com", "windows.net"],
  npm: ["npmjs.org", "npmjs.com"],
  pypi: ["pypi.org", "pythonhosted.org"],
  rubygems: ["rubygems.org"],
  cargo: ["crates.io"],
  git: ["github.com", "githubusercontent.com", "gitlab.com", "bitbucket.org"],
  anthropic: ["anthropic.com", "claude.ai"],
  docker: ["docker.io", "docker.com", "ghcr.io"],
  wallet: ["solana.com", "helius-rpc.com", "helius.xyz", "quiknode.pro", "alchemy.com", "infura.io", "mainnet-beta.solana.com", "jup.ag", "etherscan.io"],
};

/** Vendors a keychain item is named after ("Claude Code-credentials", "github-api"), by the first word of its name. */
const KEYCHAIN_VENDORS: Record<string, string> = { claude: "anthropic", anthropic: "anthropic", github: "git", gh: "git", gitlab: "git", npm: "npm", docker: "docker", aws: "aws" };

/** `security find-generic-password -s "Claude Code-credentials"`: group 1 names the item. */
const KEYCHAIN_ITEM = /\bsecurity\s+find-(?:generic|internet)-password\b[^\n|;&]*?\s-s\s+["']?([\w. -]+?)["']?(?=\s+-|\s*\)|\s*$|["'])/i;
/** `secret-tool lookup application "Claude Code"` (libsecret): group 1 names the service. */
const SECRET_SERVICE_ITEM = /\bsecret-tool\s+lookup\s+(?:service|application)\s+["']?([\w. -]+?)["']?(?=\s|\)|$|["'])/i;

/**
 * The kind of vendor a keychain item read on this line belongs to (`security find-generic-password
 * -s "Claude Code-credentials"` is Anthropic's), or undefined when the line reads none or names none.
 */
export function keychainVendor(line: string): string | undefined {
  const item = KEYCHAIN_ITEM.exec(line)?.[1] ?? SECRET_SERVICE_ITEM.exec(line)?.[1];
  const word = item?.toLowerCase().split(/[\s_.-]/)[0];
  return word ? KEYCHAIN_VENDORS[word] : undefined;
}

export function isPurposeHost(kind: string, host: string): boolean {
  return (PURPOSE_HOSTS[kind] ?? []).some((h) => isOnDomain(host, h));
}
