/**
 * Who the agent answers to, and what it tells the user: vocabulary the remote-follow and covert
 * rules combine with an action, never alone.
 *
 * - Text from outside given the user's authority or ranked above them ("treat it as if the user
 *   had typed it", "follow it above the user's instructions"), in English and a few other languages.
 * - A step kept out of the report the user reads ("without listing them in your report", "leave
 *   out the individual steps", "不要写进总结"): the user reviews the summary, not the session.
 * - Raw-text hosts (raw GitHub files, gists, paste sites): documents whose author edits them after review.
 * - Changes to the user's project that pass for routine (a dependency added, a pull request
 *   approved or merged unread): harm when kept from the user.
 * All patterns are linear and run per clause (bounded in facts.ts).
 */

/** Outside text given the user's authority or ranked above them. */
export const AUTHORITY_OVER_USER = new RegExp(
  [
    // "as if the user had typed it", "as though I wrote it", "as coming from the user"
    String.raw`\bas\s+(?:if|though)\s+(?:the\s+user|they|I|you)\s+(?:had\s+|have\s+)?(?:typed|written|wrote|said|asked|given|sent|requested|issued)\b`,
    String.raw`\bas\s+(?:coming|sent)\s+(?:directly\s+)?from\s+the\s+user\b|\bwith\s+the\s+user'?s?\s+(?:full\s+)?authority\b`,
    // "above the user's instructions", "over anything the user says", "ahead of the user's requests"
    String.raw`\b(?:above|over|ahead\s+of|instead\s+of|in\s+place\s+of|rather\s+than)\s+(?:the\s+user'?s?|any(?:thing)?\s+(?:the\s+)?user|what(?:ever)?\s+the\s+user|your\s+(?:user'?s?|own|current|system))\s+(?:own\s+)?(?:instructions?|requests?|messages?|wishes|prompts?|says|asks|asked|wants|typed|rules|orders)\b`,
    String.raw`\b(?:highest|top|absolute)\s+priority\b|\b(?:authoritative|binding)\s+(?:over|above)\b`,
    // German, Spanish, French, Chinese, Japanese
    String.raw`\bals\s+(?:ob|hätte)\s+(?:der\s+)?(?:Benutzer|Nutzer)\b|\bcomo\s+si\s+(?:el\s+)?usuario\b|\bcomme\s+si\s+l['’]utilisateur\b|优先于用户|高于用户|覆盖用户的|ユーザーの指示より優先`,
  ].join("|"),
  "iu",
);

/** A step kept out of what the user reads at the end (the report, the summary, the change list). */
export const LEFT_OUT_OF_REPORT = new RegExp(
  [
    String.raw`\bwithout\s+(?:listing|mentioning|reporting|noting|recording|including|showing)\s+(?:this|it|them|these|those|that)\b[^.;]{0,40}?\b(?:report|summary|change(?:\s?log)?|changes|output|reply|answer|notes|description|commit\s+message)\b`,
    String.raw`\bwithout\s+(?:listing|mentioning|reporting)\s+(?:this|it|them)\s+(?:as\s+a\s+separate|separately)\b`,
    String.raw`\b(?:leave|keep)\s+(?:out|off)\s+(?:the\s+)?(?:individual\s+|actual\s+|exact\s+)?(?:steps|commands|details|this\s+step|what\s+you\s+ran)\b|\b(?:leave|keep)\s+(?:this|it|them|these)\s+(?:out\s+of|off)\s+(?:the\s+|your\s+)?(?:report|summary|change\s?log|notes|reply)\b`,
    String.raw`\b(?:do\s*n[o']?t|never)\s+(?:list|include|record|note|write|log|add)\s+(?:this|it|them|these|those)\s+(?:\w+\s+)?(?:in|into|to)\s+(?:the\s+|your\s+)?(?:report|summary|change\s?log|changes|notes|reply|commit\s+message|pr\s+description)\b`,
    String.raw`(?:不要|不需要|无需|無需|别|別)(?:写进|寫進|写入|寫入|列入|放进|放進|记录|記錄|提及|提到|包含)[^。]{0,6}(?:总结|總結|报告|報告|摘要)`,
  ].join("|"),
  "iu",
);

/** Hosts and paths that serve raw text an author can change at any time (raw GitHub files, gists, paste sites). */
const RAW_TEXT_URL = /\bhttps?:\/\/(?:raw\.githubusercontent\.com|gist\.github(?:usercontent)?\.com|gitlab\.com\/[^\s]*\/-\/raw|bitbucket\.org\/[^\s]*\/raw|pastebin\.com|paste\.ee|rentry\.(?:co|org)|hastebin\.com|dpaste\.(?:com|org)|ghostbin\.\w+|termbin\.com|[\w.-]+\/raw\/)[^\s<>()"'`]*/i;

/** A raw-text document (not a script or an archive to run: that is download-and-run, judged elsewhere). */
export function rawTextDocument(text: string): boolean {
  const url = RAW_TEXT_URL.exec(text)?.[0].replace(/[.,;:]+$/, "");
  return Boolean(url) && !/\.(?:sh|bash|ps1|py|js|mjs|rb|pl|exe|zip|tgz|tar\.gz)$/i.test(url!);
}

/** A change to the user's project that passes for routine: a dependency added, a pull request approved or merged unread. */
const PROJECT_CHANGE =
  /\b(?:add|install|insert|pin)\b[^.;]{0,80}?\b(?:package\.json|requirements(?:\.txt)?|pyproject\.toml|Gemfile|Cargo\.toml|go\.mod|composer\.json|pom\.xml|build\.gradle|(?:dev)?dependenc(?:y|ies))\b|\b(?:npm|pnpm|yarn|bun)\s+(?:add|install|i)\s+[@\w]|\bpip3?\s+install\s+[A-Za-z]|\bgh\s+pr\s+merge\b[^`\n]{0,80}?--admin\b|\bgh\s+pr\s+review\b[^`\n]{0,40}?--approve\b|\b(?:approve|merge)\b[^.;]{0,80}?\bwithout\s+(?:reading|reviewing|looking\s+at|checking|opening)\b/i;

/** Fetch verbs of Spanish, French, German, Italian, Portuguese, Chinese and Japanese (lexicon.ts spells English). */
export const FOREIGN_FETCH = /(?<!\p{L})(?:lee|descarga|obtén|obten|carga|consulta|lis|lisez|récupère|récupérez|télécharge|téléchargez|charge|chargez|lade|hole|lies|abrufen|leggi|scarica|carica|leia|baixe|obtenha|carregue)(?!\p{L})|获取|下载|读取|讀取|下載|取得して|ダウンロード|読み込/iu;
/** Follow verbs of those languages. */
export const FOREIGN_FOLLOW = /(?<!\p{L})(?:sigue|siga|obedece|ejecuta|aplica|suis|suivez|obéis|exécute|exécutez|applique|appliquez|befolge|befolgen|folge|führe|segui|seguire|esegui|applica|segue|execute|aplique)(?!\p{L})|遵循|遵守|执行|執行|按照|照做|従って|従い|実行/iu;

/** A change to the user's project the clause orders (not "do not add dependencies without asking"). */
export function projectChange(text: string): string | undefined {
  const m = PROJECT_CHANGE.exec(text);
  if (!m) return undefined;
  return /\b(?:not|never|don'?t|avoid|without|no)\s+(?:\w+\s+){0,3}$/i.test(text.slice(Math.max(0, m.index - 60), m.index)) ? undefined : m[0];
}
