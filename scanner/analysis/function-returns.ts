/**
 * What a function hands back, for the secret-flow reader (`secret-flow.ts`): whether a function
 * that only *used* a secret (to sign a request) returns the secret or only the service's reply.
 *
 * An honest integration reads a login once (`op read`, a keyring, a CLI token), trades it for an
 * access token at the vendor, asks the vendor's API for data (a camera snapshot, a report, a
 * calendar) and posts that data somewhere else (a chat, a mail). The data a request returns is
 * the service's answer, not the secret that signed it, so the taint stops at a network reply.
 * The secret itself still flows: a function that reads it, or returns a value built from it, or
 * stores it in an attribute it returns, carries it; a send of it anywhere is still found where
 * it happens.
 *
 * Written over the same statement text as the secret-flow reader (no grammar for most of the
 * languages skills ship).
 */

/**
 * Calls whose value is a server's reply beyond the sends the reader already knows: Go's
 * `client.Do(req)`, a session or client object's verb (`session.get(url, …)`, `httpClient.post(…)`,
 * `conn.request(…)`), `conn.getresponse()`, a built request's `.execute()`/`.send()`. A verb whose
 * only argument is a bare word in quotes is a dictionary look-up (`client.get("token")`), not a request.
 */
const REPLY_CALL =
  /\.Do\s*\(|\.getresponse\s*\(|\b[\w.]{0,40}?(?:[Ss]ession|[Cc]lient|[Hh]ttp|[Cc]onn(?:ection)?|[Oo]pener|[Pp]ool(?:[Mm]anager)?)\s*\.\s*(?:get|post|put|patch|delete|head|request|send|fetch|open|execute)\s*\((?!\s*["'`][\w.-]{0,60}["'`]\s*\))|\b(?:req|request)\.(?:execute|send)\s*\(\s*\)/;

/** Whether a statement's value is a network reply (a send the reader knows, or one of the calls above). */
export function isReply(text: string, sink: RegExp): boolean {
  return sink.test(text) || REPLY_CALL.test(text);
}

/** A return with a value that could be anything (not `return`, `return None`, `return 1`, `return $?`). */
const VALUE_RETURN = /^\s*(?:return|yield)\b(?!\s*(?:None|null|nil|undef|undefined|false|true|False|True|-?\d+|\$\?|""|''|\[\]|\{\}|\(\))?\s*;?\s*(?:#.*|\/\/.*)?$)/;
/** Output a caller captures as the function's value (`$(f)` in shell, PowerShell's pipeline, Perl's and Ruby's `print`/`puts`). */
const OUTPUT = /^\s*(?:echo|printf|Write-Output|puts|print\s+(?!\()|say)\b/;
/** A body's closing line (`}`, `end`, `fi`), not a statement. */
const CLOSER = /^\s*(?:[})\]];?|end|fi|done|esac)\s*$/;

export interface FunctionSpan {
  /** Statement indexes of its body. */
  from: number;
  to: number;
}

/**
 * The statements whose value a function hands back, each with the statement that starts its
 * expression (a multi-line `return {…}` spans several), or `undefined` when it has no return with
 * a value (shell, implicit returns): then any statement touching the secret may pass it on.
 * Explicit returns, captured output and the last statement (Ruby's, Rust's, Perl's and
 * PowerShell's implicit value) all count.
 */
export function returnStatements(texts: string[], fn: FunctionSpan, windowEnd: (i: number) => number): Map<number, number> | undefined {
  const out = new Map<number, number>();
  let valued = false;
  const add = (head: number) => {
    for (let k = head, end = Math.min(fn.to, windowEnd(head)); k <= end; k++) out.set(k, head);
  };
  let last = -1;
  for (let i = fn.from; i <= fn.to && i < texts.length; i++) {
    const t = texts[i]!;
    if (t.trim() === "" || CLOSER.test(t)) continue;
    last = i;
    if (VALUE_RETURN.test(t)) {
      valued = true;
      add(i);
    } else if (OUTPUT.test(t)) add(i);
  }
  if (!valued) return undefined;
  if (last >= 0) add(last);
  return out;
}

/** An attribute or item set in a statement (`self.tok = …`, `cache["t"] = …`, `@tok = …`): the text before `=`. */
const ATTRIBUTE_SET = /^\s*((?:self|this|@)?[\w@]{1,60}(?:\.[\w]{1,60}|\[[^\]\n]{1,60}\]){1,4})\s*=(?![=~>])/;
export function attributeSet(text: string): string | undefined {
  const m = ATTRIBUTE_SET.exec(text);
  return m && /[.[]/.test(m[1]!) ? m[1] : undefined;
}
