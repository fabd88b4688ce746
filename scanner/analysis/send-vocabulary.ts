/**
 * Sends the theft readers' shared vocabularies did not spell, by meaning rather than by one
 * language: mail handed to an SMTP server (Perl's Net::SMTP, Go's net/smtp, nodemailer,
 * PowerShell's Send-MailMessage, .NET's SmtpClient, Ruby's Net::SMTP, PHP's mail()), a raw
 * HTTP connection's request (`http.client.HTTPSConnection(…).request("PUT", …, body)`), the
 * HTTP clients of Erlang/Elixir, Julia, R, Swift, Dart, Lua and Crystal, WebSockets, and data
 * riding in an ICMP echo's padding (`ping -p <hex>`). Also where such sends go when no URL is
 * written: the host a connection or mail server is opened on, and a mail recipient's domain.
 */

/**
 * Programs and calls that carry files or text to another machine without an HTTP client the
 * readers know: Tcl's http package with a query body, syslog to a remote server (`logger -n`),
 * relay-based file transfer (croc, magic-wormhole: whoever holds the code receives), lftp/sftp
 * and SMB uploads, a UNC copy to an internet host, anything run through Tor, and curl started
 * with an argument list by another language (`System.cmd("curl", [..., "-d", body, url])`).
 */
const CARRIERS =
  /::http::geturl\b[^\n]{0,200}\s-query\s|\blogger\b[^\n]{0,80}[\s"'](?:-n|--server)["']?[\s,=]|\bcroc\b[^\n]{0,80}\bsend\b|\bwormhole["',\s]+send\b|\blftp\b[^\n]{0,200}\b(?:put|mput|mirror\s+-R)\b|\bsmbclient\b[^\n]{0,200}\bput\b|\bCopy-Item\b[^\n]{0,200}["'\s]\\\\[\w-]+\.[\w.-]+\\|\btorsocks\s+\w|["']curl["']\s*,\s*\[?[^\n]{0,200}["'](?:-d|--data[\w-]*|-F|--form|-T|--upload-file)["']/;

/** Calls and commands that carry data to another machine, beyond `secret-flow.ts` SINK and `store-theft.ts` SEND. */
export const MORE_SENDS = new RegExp(
  /\bNet::SMTP\b|\bsmtp\.(?:SendMail|Dial|NewClient)\s*\(|\bnodemailer\b|\bSend-MailMessage\b|\bSmtpClient\b|\bMailKit\b|\bmail\.send\s*\(|\bsend_message\s*\(|\bsendmail\s*\(|\bMIME::Lite\b|\bEmail::Sender\b|\bhttp\.client\.HTTPS?Connection\b|\.request\s*\(\s*["'](?:POST|PUT|PATCH)["']|\bHTTPS?Connection\s*\(|:httpc\.request\b|\bHTTPoison\.\w+|\bReq\.(?:post|put|patch|request)\b|\bTesla\.(?:post|put|patch)\b|\bFinch\.request\b|\bMint\.HTTP\b|\bHTTP\.(?:post|put|patch|request)\s*\(|\bhttr2?::(?:POST|PUT|PATCH|req_perform)\b|\b(?:POST|PUT|PATCH)\s*\(\s*(?:url\s*=\s*)?["'][a-z]+:\/\/|\bcurl_fetch_memory\b|\bpostForm\s*\(|\bURLSession\b|\bURLRequest\b|\bAlamofire\b|\bhttp\.(?:post|put|patch)\s*\(|\bhttp\.request\s*[({]|\bwebsockets?\.connect\s*\(|\bnew\s+WebSocket\s*\(|\bwebsocket\.create_connection\s*\(|\bwebsocket\.Dial\s*\(|\bDefaultClient\.Do\s*\(|\b(?:ping|ping6)\b[^\n]{0,60}\s-p\s/.source + "|" + CARRIERS.source,
);

/** Sends of a body these calls make (to join the readers' BODY tests). */
export const MORE_BODY = new RegExp(
  /\bdatasend\s*\(|\bsend_message\s*\(|\bsendmail\s*\(|\bSend-MailMessage\b|\bsmtp\.SendMail\b|\.request\s*\(\s*["'](?:POST|PUT|PATCH)["']|:httpc\.request\s*\(\s*:(?:post|put)\b|\bhttpBody\b|\bws\.send\s*\(|\.end\s*\(\s*[A-Za-z_$]|\bping\b[^\n]{0,60}\s-p\s/.source + "|" + CARRIERS.source + "|" + /\.post_form\s*\(|\.send_(?:form|json|string|bytes)\s*\(|\bRequest\s*\(\s*[^,()]{1,300},\s*(?!headers\b|method\b)[\w"'(]/.source,
);

/** A domain as a literal of one of those calls, or a mail recipient: where the send goes when no URL is written. */
const CONNECTION_HOST = /\b(?:HTTPS?Connection|SMTP(?:_SSL)?|Net::SMTP(?:->|\.)new|Net::SMTP\.start|smtp\.(?:Dial|SendMail)|SmtpClient|create_connection|open_connection|Dial(?:Timeout)?|TcpClient|TCPSocket\.(?:new|open)|Socket\s*\(|-SmtpServer)\s*(?:\(\s*|\s)(?:["'`]tcp["'`]\s*,\s*)?["'`]((?:[a-z0-9-]+\.)+[a-z]{2,24})(?=["'`:])/gi;
const RECIPIENT = /["'<\s]([\w.+-]{1,64})@((?:[a-z0-9-]+\.)+[a-z]{2,24})["'>\s]/gi;
/** A mail send (recipients are destinations only where mail is sent). */
const MAIL_SEND = /\bNet::SMTP\b|\bsmtplib\b|\bsmtp\.\w+\s*\(|\bnodemailer\b|\bSend-MailMessage\b|\bSmtpClient\b|\bMailKit\b|\bsendmail\b|\bMIME::Lite\b|\bmail\s*\(/;
/** Whose mail address it is when the mail stays on the machine (`builder@localhost`). */
const FILE_NAME = /\.(?:json|ya?ml|toml|txt|md|py|js|ts|go|rs|rb|php|sh|html?|xml|csv|db|sqlite|log|lock|cfg|ini|conf|exe|dll|so)$/i;

/** Hosts a connection, a socket or a mail server is opened on, and mail recipients' domains when the code sends mail. */
export function connectionHosts(text: string): string[] {
  const hosts = new Set<string>();
  for (const m of text.matchAll(CONNECTION_HOST)) if (!FILE_NAME.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  // Syslog sent to a remote server, a UNC share on an internet host, and the public relays that hand a transfer to whoever knows its code.
  for (const m of text.matchAll(/\blogger\b[^\n]{0,80}[\s"'](?:-n|--server)["']?[\s,=]+["']?((?:[a-z0-9-]+\.)+[a-z]{2,24})\b/gi)) hosts.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/(?:^|["'\s(])\\\\((?:[a-z0-9-]+\.)+[a-z]{2,24})\\/gim)) if (!FILE_NAME.test(m[1]!)) hosts.add(m[1]!.toLowerCase());
  for (const m of text.matchAll(/\b(?:sftp|ftps?|smb|scp|webdavs?):\/\/(?:[^@\s/"']{1,80}@)?((?:[a-z0-9-]+\.)+[a-z]{2,24})\b/gi)) hosts.add(m[1]!.toLowerCase());
  if (/\bcroc\b[^\n]{0,80}\bsend\b/.test(text)) hosts.add("croc.schollz.com");
  if (/\bwormhole["',\s]+send\b/.test(text)) hosts.add("relay.magic-wormhole.io");
  // A recipient on a line that addresses the mail (`msg["To"] = …`, `$smtp->to(…)`, `To: …`), not an address in help text.
  if (MAIL_SEND.test(text)) for (const line of text.split("\n", 4000)) if (/\b(?:to|To|TO|rcpt|Rcpt|recipients?|Recipients?|mail_to|sendmail|send_message)\b/.test(line)) for (const m of line.matchAll(RECIPIENT)) if (!FILE_NAME.test(m[2]!)) hosts.add(m[2]!.toLowerCase());
  return [...hosts];
}
