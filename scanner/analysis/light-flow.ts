/**
 * Data flow for the light analysis (code no bundled grammar reads): a settings file read whole
 * (`$env = file_get_contents('.env')`) whose text reaches a send through names assigned from it
 * (`$ctx = stream_context_create([… 'content' => $env])`, then a request with `$ctx`). Reading a
 * `.env` is everyday; sending its whole text to a host is the leak, so the light analysis needs
 * the flow, not only both ends in one file. Followed line by line, forwards, a few hops (names
 * are not scoped: coarse, but bounded).
 */
import { escapeRegExp } from "../escape-regexp.js";

/** Calls that return a file's whole text or bytes, in the languages the light analysis reads. */
const READ_WHOLE = /\b(?:file_get_contents|File\.read|File\.binread|IO\.read|readFile(?:Sync)?|ReadAllText|ReadAllBytes|readAsString|readAsBytes|read_to_string|ReadFile|slurp|readLines|readText|readString|readAllBytes|fread|read_file)\b|\.read\(\s*\)/;
/** A name a line assigns: `$x =`, `x :=`, `let x =`, `final x =`, `my $x =`, `x <-`. */
const ASSIGN = /(?:^\s*|[;{(]\s*)(?:(?:final|var|let|const|my|local|val|auto|String|byte\[\])\s+)?(\$?[A-Za-z_]\w*)\s*(?::=|<-|=(?![=>~]))/;
/** A line that uses the value to sign a request (a header or token), not as what is sent. */
const AUTH_USE = /\b(?:auth\w*|bearer|token|api[_-]?key)\b/i;
/** Methods of a request or client object that carry a body. */
const SEND_METHOD = /\.(?:post|put|patch|body|send|write|upload)\s*\(/;
const MAX_LINES = 40;
const MAX_NAMES = 8;

/** Whether the file read whole at `offset` has its text carried, through assigned names, into a line that `send` matches or a request method (the caller knows the code sends). */
export function wholeReadSent(text: string, offset: number, send: RegExp): boolean {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  const line = text.slice(start, end < 0 ? text.length : end);
  if (!READ_WHOLE.test(line)) return false;
  // Read inside the send's own arguments (`file_get_contents($url, false, stream_context_create([… 'content' => file_get_contents('.env')]))`).
  const sendAt = new RegExp(send.source, send.flags.replace("g", "")).exec(line)?.index;
  if (sendAt !== undefined && sendAt < offset - start && !AUTH_USE.test(line.replace(/https?:\/\/\S+/g, ""))) return true;
  const first = ASSIGN.exec(line)?.[1];
  if (!first) return false;
  const held = [first];
  const lines = text.slice(end < 0 ? text.length : end + 1).split("\n", MAX_LINES);
  for (const l of lines) {
    const uses = held.some((n) => new RegExp(`(?<![\\w$])${escapeRegExp(n)}(?!\\w)`).test(l));
    if (!uses || AUTH_USE.test(l.replace(/https?:\/\/\S+/g, ""))) continue;
    // A request object's method (`client.post(…).body(env)`, `r.write(env)`) in code that sends is the send.
    if (send.test(l) || SEND_METHOD.test(l)) return true;
    const next = ASSIGN.exec(l)?.[1];
    if (next && !held.includes(next) && held.length < MAX_NAMES) held.push(next);
  }
  return false;
}
