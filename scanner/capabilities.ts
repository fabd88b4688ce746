/**
 * What code does, as opposed to what a rule forbids: network use, spawning a shell, writing
 * files (and writing outside the project). The guardrails rules compare these with the
 * declared `allowed-tools`; composite escalation uses network use as a sink.
 */
import type { Capability, FileKind, Segment } from "./types.js";

/** A capability found in a segment, at an offset in the segment's text. */
export interface CapabilityHit {
  capability: Capability;
  index: number;
}

type Detectors = Partial<Record<Capability, RegExp>>;

const OUTSIDE = String.raw`(?:~\/|\$HOME\b|\$\{HOME\}|\/etc\/|\/usr\/|\/Library\/|\/System\/|\/var\/|\/opt\/|\/root\/|[A-Za-z]:\\\\|%USERPROFILE%|%APPDATA%|\$env:(?:USERPROFILE|APPDATA|HOME))`;

const DETECTORS: Partial<Record<FileKind, Detectors>> = {
  shell: {
    // Not a dotted name (`~/.ssh`, `x.nc`), not ssh's local key tools (ssh-keygen, ssh-add) and
    // not a hyphenated file name (`$dest/ssh-keys-2026.tar.age`); ssh-copy-id and ssh-keyscan connect.
    // Cloud and storage CLIs (`aws s3 cp`, gsutil, rclone, gh) move data over the network too, and so do mailers (`mail -s`, sendmail).
    network:
      /(?<!\.)\b(?:curl|wget|nc|ncat|netcat|scp|sftp|ftp|telnet|ssh(?:-copy-id|-keyscan)?(?![-\w])|rsync\s+[^\n]{0,80}[\w.-]+:|git\s+(?:clone|fetch|pull|push)|http(?:ie)?\s+(?:get|post|put)|aria2c|aws\s+[a-z][\w-]*\s|gsutil|gcloud\s+[a-z]|az\s+[a-z][\w-]*\s|rclone|s3cmd|azcopy|gh\s+(?:api|gist|release|repo)\b|(?:mail|mailx|mutt|s-nail)\s+(?:-[a-zA-Z]\s+\S+\s+)*-s(?=\s)|sendmail(?=\s)|msmtp(?=\s)|swaks(?=\s))\b/,
    shell: /\b(?:eval|exec|bash|sh|zsh)\s+-c\b|\beval\s/,
    write: /(?:^|[^<>&\d])>{1,2}\s*(?!\/dev\/null|&)["']?[\w~$./-]|\btee\s|\b(?:cp|mv|install|mkdir|touch|sed\s+-i)\s/m,
    "write-outside": new RegExp(String.raw`(?:>{1,2}|\btee\s+(?:-a\s+)?|\b(?:cp|mv|install)\s+[^\n;|&]{0,200}\s)\s*["']?` + OUTSIDE),
  },
  python: {
    network: /\b(?:requests|httpx|aiohttp|urllib3?|http\.client|socket|ftplib|smtplib|paramiko)\b\s*\.|\burlopen\s*\(|\bimport\s+(?:requests|httpx|aiohttp|socket|paramiko)\b/,
    shell: /\bsubprocess\.|\bos\.(?:system|popen|exec\w*|spawn\w*)\s*\(|\bpty\.spawn\b/,
    write: /\bopen\s*\([^\n)]{0,200},\s*(?:mode\s*=\s*)?["'][wax]b?\+?["']|\.write_(?:text|bytes)\s*\(|\bshutil\.(?:copy\w*|move)\s*\(|\bos\.(?:rename|replace|makedirs|mkdir)\s*\(/,
    "write-outside": new RegExp(String.raw`\bopen\s*\(\s*(?:os\.path\.expanduser\s*\(\s*)?f?["']` + OUTSIDE + String.raw`[^\n]{0,200},\s*["'][wa]|expanduser\s*\(\s*["']~[^\n]{0,200}\.write_|\bPath\.home\(\)[^\n]{0,200}\.write_`),
  },
  javascript: {
    network: /\bfetch\s*\(|\baxios\b|\b(?:https?|net|tls|dgram)\.(?:request|get|connect|createConnection)\s*\(|\bnew\s+(?:WebSocket|XMLHttpRequest)\b|\brequire\(\s*["'](?:node:)?(?:https?|net|tls|dgram)["']\)|\bfrom\s+["'](?:node:)?(?:https?|net|tls|dgram)["']/,
    shell: /\bchild_process\b|\b(?:execSync|execFileSync|spawnSync)\s*\(|\bexeca\b/,
    write: /\b(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|rename|renameSync|mkdir|mkdirSync)\s*\(/,
    "write-outside": new RegExp(String.raw`\b(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFileSync)\s*\([^\n]{0,200}(?:os\.homedir\(\)|homedir\(\)|process\.env\.HOME\b|["'\x60]` + OUTSIDE + ")"),
  },
  powershell: {
    network: /\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm|Net\.WebClient|Net\.Sockets|Start-BitsTransfer|DownloadString|DownloadFile)\b/i,
    shell: /\b(?:Invoke-Expression|iex|Start-Process|cmd(?:\.exe)?\s+\/c)\b/i,
    write: /\b(?:Set-Content|Add-Content|Out-File|New-Item|Copy-Item|Move-Item)\b|(?:^|[^>])>{1,2}\s*["']?[\w$.\\/-]/im,
    "write-outside": new RegExp(String.raw`\b(?:Set-Content|Add-Content|Out-File|Copy-Item|Move-Item)\b[^\n]{0,200}` + OUTSIDE, "i"),
  },
};

export function detectCapabilities(segment: Segment): CapabilityHit[] {
  const detectors = DETECTORS[segment.kind];
  if (!detectors) return [];
  const hits: CapabilityHit[] = [];
  for (const [capability, re] of Object.entries(detectors) as [Capability, RegExp][]) {
    const m = re.exec(segment.text);
    if (m) hits.push({ capability, index: m.index });
  }
  if (segment.kind === "shell" && !segment.fenced && !hits.some((u) => u.capability === "shell")) {
    hits.push({ capability: "shell", index: 0 });
  }
  return hits;
}
