/**
 * Persistence split across files: one script installs a startup entry (a systemd unit or path
 * unit, a launchd job, a cron line, a Run key…) for a program the skill ships in another file,
 * and that program carries the payload: it uploads the files it is pointed at to a host written
 * into it, runs code it fetches, or sends secrets. Each file alone is an installer and an
 * upload script; wired together, the upload runs on every trigger, long after the skill.
 *
 * Also the payload vocabulary this and rules/autostart-payload.ts judge by (`payloadIn`): words
 * rather than a parse, because the payload of a startup file is usually text inside a string of
 * the installer (Python's `write_text("…")`, R's `cat(lines, file = …)`), in any language, where
 * the code analysis does not look: fetched code run (a fetch with a runner near it, official
 * installers aside), a socket whose input runs, or a send with a body near the environment,
 * secrets or history.
 */
import { isOfficialInstaller } from "../allowlist.js";

/** Fetching something from the network, by language. */
const FETCH = /\b(?:curl|wget|aria2c|certutil|bitsadmin)\b|\burlopen\s*\(|\burllib\b|\brequests\.get\b|\bhttpx\.get\b|\bfetch\s*\(|\bdownload\.file\s*\(|\burl\s*\(\s*["']https?:|\bHTTP\.get\b|\bDownloads\.download\b|\bInvoke-(?:WebRequest|RestMethod)\b|(?<![\w-])(?:iwr|irm)\s|\bDownload(?:String|File|Data)\b|\bStart-BitsTransfer\b|\bNet::HTTP\b|\bopen-uri\b|\bURI\.open\b|\bhttps?\.get\s*\(|\bfile_get_contents\s*\(\s*["']https?:/gi;
/** Running what was fetched: a shell or interpreter fed by it, an eval of it, a loaded library or program. */
const RUN_FETCHED = /\|\s*(?:sudo\s+)?(?:(?:ba|z|da|k)?sh|source|python\d?|perl|ruby|node|pwsh|powershell|iex)\b|\b(?:iex|Invoke-Expression|eval|exec|sys\.source|source|include_string|include|load|require|dofile|loadstring)\s*\(?|\bMeta\.parse\b|\bStart-Process\b|\b(?:rundll32|regsvr32|mshta)\b|\.(?:dll|exe|scr|ps1|vbs|hta|bat|cmd)\b|\bchmod\s+\+?[0-7]*x/i;
/** A socket connected out, by language. */
const CONNECT = /\bSockets\.connect\s*\(|\bconnect\s*\(\s*["'][\w.:-]+["']\s*,\s*\d+|\bsocket\.(?:connect|create_connection)\s*\(|\bTcpClient\b|\bTCPSocket\.(?:new|open)\b|\/dev\/(?:tcp|udp)\/|\b(?:nc|ncat|netcat|socat)\s+[\w.-]+\s+\d+|\bfsockopen\s*\(|\bnet\.(?:connect|createConnection|Dial)\b/gi;
/** What the socket delivers run as a command. */
const RUNS_COMMANDS = /\bsh\s+-c\b|\bbash\s+-[ic]\b|\b(?:run|read|pipeline)\s*\(\s*`|\b(?:system|popen|exec|spawn|Process\.Start|Invoke-Expression|iex|os\.system|subprocess\.\w+)\s*\(?|`\$\w+`/i;
/** Sending data: a request that carries a body, by language. */
const SEND = /\burlopen\s*\(\s*[^,()\n]{1,200},\s*[^)\s]|\b(?:requests|httpx)\.(?:post|put)\b|\bcurl\b[^\n]{0,200}\s(?:-d|--data\S*|-F|--form|-T|--upload-file)\b|\bInvoke-(?:RestMethod|WebRequest)\b[^\n]{0,200}-(?:Body|InFile)\b|\bfetch\s*\([^)]{0,200}\bmethod\s*:\s*["'](?:POST|PUT)|\bHTTP\.(?:post|put)\b|\bwget\b[^\n]{0,120}--post-(?:data|file)\b|\bhttr2?::(?:POST|PUT)\b|\bUpload(?:String|File|Data)\b/gi;
/** What a send carries that is the user's: the environment, secrets and keys, history. */
const PRIVATE = /\benviron\b|\bENV\b|\bprocess\.env\b|\bSys\.getenv\s*\(\s*\)|\bGet-ChildItem\s+env:|\benv\b\s*[|)]|\bprintenv\b|\.ssh\b|credentials|\.netrc|\.git-credentials|hosts\.yml|\btokens?\b|_history\b|\bsecrets?\b|\bpasswords?\b|\bclipboard\b|\bpbpaste\b|\bkeychain\b/i;

const NEAR = 400;

/** Whether every URL near a fetch is an official installer (a startup line that installs a known tool is no payload). */
function officialOnly(around: string): boolean {
  const urls = around.match(/https?:\/\/[^\s"'`)<>]+/g) ?? [];
  return urls.length > 0 && urls.every(isOfficialInstaller);
}

/** The first payload in the text: fetched code run, a socket whose input runs, or private data sent. */
export function payloadIn(written: string): { index: number; length: number } | undefined {
  // Code written from another language's string has its newlines as `\n`: made real (same length) so words start after them.
  const text = written.replace(/\\[nt]/g, "\n ");
  for (const m of text.matchAll(FETCH)) {
    const around = text.slice(Math.max(0, m.index - 80), m.index + NEAR);
    // From a little before the fetch: a runner may wrap it (`source(url(…))`, `exec(urlopen(…).read())`, `iex (iwr …)`).
    if (RUN_FETCHED.test(text.slice(Math.max(0, m.index - 30), m.index + NEAR)) && !officialOnly(around)) return { index: m.index, length: m[0].length };
  }
  for (const m of text.matchAll(CONNECT)) {
    if (RUNS_COMMANDS.test(text.slice(m.index, m.index + NEAR))) return { index: m.index, length: m[0].length };
  }
  for (const m of text.matchAll(SEND)) {
    const around = text.slice(Math.max(0, m.index - NEAR), m.index + NEAR);
    if (PRIVATE.test(around)) return { index: m.index, length: m[0].length };
  }
  return undefined;
}


/** A file sent as a request body to a host written in the line (a variable destination is the user's to set). */
const UPLOAD = /\bcurl\b[^\n]{0,300}?(?:\s-F\s*["']?[\w-]*=@|\s--form\s+["']?[\w-]*=@|\s(?:-T|--upload-file)\s|\s--data-binary\s+["']?@(?!-))[^\n]{0,300}?https?:\/\/([\w.-]+)|\bcurl\b[^\n]{0,300}?https?:\/\/([\w.-]+)[^\n]{0,300}?(?:\s-F\s*["']?[\w-]*=@|\s--form\s+["']?[\w-]*=@|\s(?:-T|--upload-file)\s|\s--data-binary\s+["']?@(?!-))|\brequests\.(?:post|put)\s*\(\s*["']https?:\/\/([\w.-]+)[^\n]{0,300}\bfiles\s*=|\bInvoke-(?:RestMethod|WebRequest)\b[^\n]{0,300}-Uri\s+["']?https?:\/\/([\w.-]+)[^\n]{0,300}-InFile\b|\bUploadFile\s*\(\s*["']https?:\/\/([\w.-]+)/g;
const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[\w-]+\.(?:local|lan|internal|home\.arpa))$/i;

export interface PersistedPayload {
  /** The file that installs the startup entry. */
  carrier: string;
  /** The shipped program it installs, and where in it the payload is. */
  program: string;
  offset: number;
  what: string;
}

function uploadIn(text: string): { index: number; what: string } | undefined {
  for (const m of text.matchAll(UPLOAD)) {
    const host = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
    if (host && !LOCAL_HOST.test(host)) return { index: m.index, what: `an upload of files to ${host}` };
  }
  return undefined;
}

/** Programs named by a persistence carrier whose own code carries a payload. */
export function persistedProgramPayloads(carriers: readonly string[], files: readonly { file: string; text: string }[]): PersistedPayload[] {
  const out: PersistedPayload[] = [];
  for (const carrier of new Set(carriers)) {
    const carrierText = files.find((f) => f.file === carrier)?.text;
    if (!carrierText) continue;
    for (const program of files) {
      if (program.file === carrier) continue;
      const base = program.file.slice(program.file.lastIndexOf("/") + 1);
      if (base.length < 3 || !new RegExp(`(?<![\\w.-])${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w.-])`).test(carrierText)) continue;
      const upload = uploadIn(program.text);
      const payload = upload ? undefined : payloadIn(program.text);
      if (upload) out.push({ carrier, program: program.file, offset: upload.index, what: upload.what });
      else if (payload) out.push({ carrier, program: program.file, offset: payload.index, what: "remote code run or secrets sent" });
    }
  }
  return out;
}
