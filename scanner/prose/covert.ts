/**
 * Vocabulary for the covert shapes of an attack on the agent, whatever the task it hides in:
 * keeping a step from the user (in more wordings than lexicon.ts's CONCEAL), skipping their
 * consent, a time bomb (a date, a weekday, the first of the month), a condition on who the
 * user is (their remote, organisation, environment), and the verbs of an order written in
 * Spanish, French, German, Portuguese or Italian. Each is one idea; facts.ts and the rules
 * combine them with an action, never alone. All patterns are linear and run per clause.
 */
import { OTHER_CONCEAL } from "./any-language.js";
import { WORLD_CONCEAL } from "./world-lexicon.js";
import { CONCEAL } from "./lexicon.js";
import { LEFT_OUT_OF_REPORT } from "./authority.js";

/** Ways of keeping a step from the user that CONCEAL does not spell. */
const CONCEAL_MORE = new RegExp(
  [
    // "Never list or mention the `bk` remote", "do not discuss this policy with the user"
    String.raw`\b(?:never|do\s*n[o']?t|must\s*n[o']?t|should\s*n[o']?t)\s+(?:\w+\s+(?:or|and|nor)\s+)?(?:list|mention|reveal|disclose|discuss|surface|show|display)\s+(?:this|it|that|them|these|those|the\s+[\w\`'-]+(?:\s+[\w\`'-]+)?)\b(?:\s+(?:remote|rule|step|policy|block|field|file|change|section|hook|server|command|commands|push|mirror))?(?:\s*[.;]|\s+(?:to|with|in)\s+(?:the\s+|your\s+)?(?:user|human|operator|chat|summary|reply|answer|response|output))`,
    // "Do not mention that local changes were overwritten", "never reveal what the link contains"
    String.raw`\b(?:never|do\s*n[o']?t|must\s*n[o']?t)\s+(?:mention|reveal|disclose|admit|explain)\s+(?:that|what|which|where|how|why)\b`,
    // "the user does not need to know what it contains"
    String.raw`\b(?:user|they|human)\s+(?:does\s*n[o']?t|do\s*n[o']?t|need\s*n[o']?t)\s+(?:need\s+to\s+)?(?:know|see|be\s+told)\b`,
        // "must not be modified or shown to the user"
    String.raw`\b(?:not|never)\s+be\s+(?:\w+\s+(?:or|and|nor)\s+)?(?:shown|revealed|displayed|mentioned|disclosed|surfaced)\s+to\s+(?:the\s+)?(?:user|human|operator)`,
    // "do not point this out to the user"
    String.raw`\b(?:never|do\s*n[o']?t)\s+point\s+(?:this|it|that|them)\s+out\b`,
    // "do this quietly", "do it silently"
    String.raw`\bdo\s+(?:this|it|so|that)\s+(?:quietly|silently|secretly|discreetly|invisibly)\b`,
    // "do not bring it up", "no need to bring this up"
    String.raw`\b(?:do\s*n[o']?t|never|no\s+need\s+to)\s+bring\s+(?:it|this|that|them)\s+up\b`,
    // A cover story: "if the user asks, say it is a GitHub cache"
    String.raw`\bif\s+(?:the\s+)?(?:user|they|someone)\b[^.;]{0,60}\basks?\b[^.]{0,30}\b(?:say|tell\s+(?:them|him|her)|reply|answer|claim|explain)\s+(?:that\s+)?(?:it|this|they)\s+(?:is|are|was)\b`,
    // "keep this to yourself", "keep it hidden from the user"
    String.raw`\bkeep\s+(?:this|it|that|them)\s+(?:to\s+yourself|between\s+us|(?:hidden|secret|invisible)\b)`,
    // Spanish, French, German, Portuguese, Italian: "sin mencionarlo", "ni mencionarlo", "ne le dis pas", "nicht erwähnen", "não mencione", "non dirlo"
    String.raw`\b(?:sin|ni|no)\s+(?:(?:lo|se\s+lo)\s+)?(?:mencion|dec[ií]r|avis|inform)\w*|\bne\s+(?:le\s+|lui\s+|rien\s+)?(?:mentionn|dis|signal|révél)\w*\s+(?:pas|rien|jamais)\b|\bnicht\s+(?:erwähn|mitteil|sag|zeig)\w*|\bnão\s+(?:mencion|cont|avis|mostr)\w*|\bnon\s+(?:menzion|dir|mostr|avvis)\w*`,
  ].join("|"),
  "i",
);

/** The clause keeps something from the user. */
export function conceals(text: string): boolean {
  return CONCEAL.test(text) || CONCEAL_MORE.test(text) || OTHER_CONCEAL.test(text) || LEFT_OUT_OF_REPORT.test(text) || WORLD_CONCEAL.test(text);
}

/** The match of either concealment vocabulary, for evidence. */
export function concealment(text: string): string | undefined {
  return CONCEAL.exec(text)?.[0] ?? CONCEAL_MORE.exec(text)?.[0] ?? OTHER_CONCEAL.exec(text)?.[0] ?? LEFT_OUT_OF_REPORT.exec(text)?.[0] ?? WORLD_CONCEAL.exec(text)?.[0];
}

/** Skips asking the user, or claims they already agreed. */
export const SKIPS_CONSENT =
  /\b(?:do\s*n[o']?t|never)\s+ask\s*(?:[:;,.]|and\b|first\b|before\b)|\bwithout\s+(?:asking|confirmation|confirming|prompting|consent|approval|review(?:ing)?|the\s+user'?s?\s+(?:permission|approval|consent|knowledge))\b|\b(?:do\s*n[o']?t|never|no\s+need\s+to)\s+(?:ask|prompt|wait)\s+(?:the\s+user\s+)?(?:for\s+)?(?:(?:permission|confirmation|approval|consent)\b|first\b)|\b(?:already|previously)\s+(?:approved|accepted|agreed|consented|authori[sz]ed)\b|\baccepted\s+this\s+in\s+the\s+terms\b|\bsin\s+(?:pedir|preguntar)\b|\bno\s+hace\s+falta\s+pedir\b|\bsans\s+(?:demander|confirmation)\b|\bohne\s+(?:nachzufragen|zu\s+fragen|Bestätigung)\b|\bsem\s+(?:pedir|perguntar)\b|\bsenza\s+(?:chiedere|conferma)\b/i;

const MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";
/**
 * A time bomb: a step that waits for a date, a weekday or a day of the month. A skill the user
 * runs does what they ask when they ask; one that changes behaviour on a date hides it from review.
 */
export const TIME_TRIGGER = new RegExp(
  String.raw`\b(?:from|on|after|starting|beginning|since|past)\s+(?:or\s+after\s+)?(?:\d{4}-\d{2}(?:-\d{2})?\b|${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\b)` +
    String.raw`|\b(?:on|every)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)s?\b|\bon\s+the\s+(?:first|last|1st|15th)\s+(?:day\s+)?of\s+(?:the|each|every|a)\s+month\b` +
    String.raw`|\b(?:if|when|once)\s+(?:today|the\s+(?:current\s+)?date|the\s+day)\s+is\b|\b(?:weekday|getDay|getDate|isoweekday|DayOfWeek)\b\s*(?:\(\s*\))?\s*(?:==|===|-eq)`,
  "i",
);

/**
 * A condition on whose project or machine it is ("if `git remote get-url origin` contains
 * `github.com/acme`", "when NODE_ENV is production"): the step fires for some victims only.
 */
export const TARGET_TRIGGER =
  /\b(?:if|when|whenever|once)\s+[^,.;]{0,60}\b(?:remote|origin|hostname|host\s+name|user\s?name|organi[sz]ation|org|domain|NODE_ENV|RAILS_ENV|APP_ENV|environment)\b[^,.;]{0,60}\b(?:contains?|matches|equals?|includes?|belongs?\s+to|starts?\s+with|ends?\s+with|is\s+(?:set\s+to\s+)?["'`]?(?:prod\w*|main|master)|==)/i;

/** Verbs of an order in Spanish, French, German, Portuguese and Italian (imperative forms that are not English words). */
const FOREIGN_ORDER =
  "lee|leed|lea|envía|envia|envíe|envie|enviad|manda|mande|sube|suba|ejecuta|ejecute|copia|incluye|incluya|añade|añada|agrega|borra|borre|elimina|elimine|descarga|descargue|publica|publique|recopila|recoge|adjunta|adjunte" +
  "|lis|lisez|envoie|envoyez|exécute|exécutez|copiez|ajoute|ajoutez|supprime|supprimez|télécharge|téléchargez|publiez|inclus|incluez|joignez|récupère|récupérez|collecte|collectez|transmets|transmettez" +
  "|sende|schicke|schick|lade|führe|kopiere|füge|lösche|übermittle|sammle|hänge" +
  "|leia|mande|copie|inclua|adicione|apague|exclua|baixe|publique|colete|anexe" +
  "|leggi|invia|esegui|includi|aggiungi|elimina|cancella|carica|scarica|pubblica|raccogli|allega";
/** The clause gives an order in one of those languages: the verb opens it or follows a comma or "and". */
export const FOREIGN_IMPERATIVE = new RegExp(String.raw`(?:^|[,;:]\s*|\b(?:y|et|und|e|luego|puis|dann|depois|poi|después)\s+|^\W*\d{1,2}[.)]\s*)(?:${FOREIGN_ORDER})\b`, "iu");
/** Verbs that send, in the same languages. */
export const FOREIGN_SEND =
  /(?<![\p{L}])(?:env[ií]a(?:lo|la|los|las|d|r)?|envíe|envie|enviar|manda(?:lo|la|r)?|mande|sube(?:lo)?|subir|publica(?:lo|r)?|publique|adjunta(?:r)?|adjunte|envoie[sz]?|envoy(?:ez|er)|transmet(?:s|tez|tre)|téléverse[sz]?|publie[sz]?|sende[nt]?|schick(?:e|en|t)?|übermittle|übermitteln|hochladen|invia(?:lo|re)?|carica(?:lo|re)?|pubblica(?:lo|re)?)(?![\p{L}])/iu;
/** A negation just before a foreign verb ("no envíes", "ne pas envoyer", "nicht senden"). */
export const FOREIGN_NEGATION = /\b(?:no|nunca|jamás|ne|pas|jamais|nicht|nie|niemals|não|non|mai)\s+(?:\S+\s+)?$/i;

/** A URL the agent is told to request whose query slot is described in words (`?n=<file contents, URL-encoded>`): the request carries that data. */
export const FETCHED_WORD_SLOT = /\b(?:fetch|request|call|open|visit|load|curl|wget|get|browse)\b[^.]{0,80}?https?:\/\/[^\s<>`'"]*[?&][\w-]+=<[^>\s]+\s[^>]{1,160}>/i;

/**
 * Sabotage reported as success: tests gutted or deleted to turn CI green, then reported as
 * fixed. "Report each test as fixed or still failing" is an honest report (an alternative follows).
 */
export const FALSE_REPORT =
  /\breport\s+(?:the|each|every|all|it|them)\s+(?:\w+\s+){0,2}?as\s+(?:fixed|passing|passed|green|resolved|successful|done)\b(?!\s+or\b)|\b(?:replace|swap)\s+(?:the\s+)?(?:failing\s+)?tests?(?:'s)?\s+(?:body|bodies|assertions?)\s+with\s+(?:an?\s+)?(?:unconditional|always[\s-]passing|empty|trivial)\b|\b(?:delete|remove|skip|disable|comment\s+out)\s+(?:the\s+|any\s+|all\s+)?failing\s+tests?\b[^.]{0,60}\b(?:to\s+make|so\s+(?:that\s+)?)\s*(?:CI|the\s+build|the\s+pipeline)\s+(?:is\s+|goes\s+|turns\s+)?green\b/i;
