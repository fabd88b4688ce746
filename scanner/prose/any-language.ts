/**
 * Orders written in languages the English lexicon and covert.ts's five European languages do not
 * spell: Japanese, Chinese, Korean, Russian, Ukrainian, Polish, Dutch, Turkish, Arabic, and
 * German beyond its imperative (an instruction list ending on the infinitive: "… an X senden").
 * The agent follows them as readily as English, so a step in any language that sends, hides or
 * destroys is read as the order it is. Only the verbs and frames are language-specific; the
 * data (`~/.ssh`, `.env`) and the destinations (URLs) are read by the usual tables.
 * All patterns are linear alternations of literal words, run per clause (bounded in facts.ts).
 */

import { worldRun, worldSend } from "./world-lexicon.js";

/** Letters of scripts other than Latin (CJK, kana, Hangul, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai). */
const NON_LATIN = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0400-\u04ff\u0370-\u03ff\u0600-\u06ff\u0590-\u05ff\u0900-\u097f\u0980-\u09ff\u0e00-\u0e7f]/gu;
/** Whether there is a letter at all, and a non-Latin one (NON_LATIN without its count: no `g` state). */
const LETTER = /\p{L}/u;
const ANY_NON_LATIN = new RegExp(NON_LATIN.source, "u");
/** English function words: a sentence with one of them is read by the English lexicon. */
const ENGLISH_WORDS = /\b(?:the|and|to|of|is|are|with|for|your|this|that|then|into|from|it|be|or|don'?t|not|all|any|each)\b/i;
const ENGLISH_WORDS_ALL = new RegExp(ENGLISH_WORDS.source, "gi");
/** A word with a letter English does not write (bounded by the clause's length, MAX_CLAUSE). */
const MARKED_WORD = /\p{L}*[ąćęłńśźżğışçöüäßñõãőűřšžčďťňůėįųāàâéèêëîïôûùœășțěđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]\p{L}*/giu;
/** Function words of other Latin-script languages (German, Dutch, Polish, Turkish, Indonesian, Scandinavian, Czech, and the Romance languages whose verbs covert.ts reads). */
const OTHER_WORDS = /(?<!\p{L})(?:der|die|das|und|nicht|mit|von|den|dem|zu|ist|sowie|eine?|auf|für|alle|unter|het|een|niet|naar|voor|oraz|się|jest|dla|ve|bir|ile|için|dan|yang|untuk|dari|och|att|ikke|inte|og|pro|nebo|la|el|los|las|es|del|al|con|sin|une?|les|des|du|et|sur|dans|pas|pour|il|lo|che|di|della|não|os|em|com|para|inte|och|ikke|ei|että|dengan|tidak|jangan|ini|itu|ke|sebelum|sebagai|atau|akan|pada|dalam|ang|mga|kwa|và|của|không|các|để|với|này|là|được|și|să|pentru|sau|din|že|pro|és|az|hogy|nem|egy)(?!\p{L})/giu;

/** Letters with marks that English words do not carry. */
const LATIN_MARKS = /[ąćęłńśźżğışçöüäßñõãőűřšžčďťňůėįųāàâéèêëîïôûùœăâșțěđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;

/** The clause is written in a language other than English (mostly non-Latin letters, or Latin words of another language's function words and none of English's). */
export function isOtherLanguage(text: string): boolean {
  const plain = text.replace(/`[^`]*`|https?:\/\/\S+/g, " ");
  if (!LETTER.test(plain)) return false;
  // Letters are counted only when some are non-Latin: this runs on every clause of every
  // document, and most clauses have none (the share is then 0), so most never build the arrays.
  if (ANY_NON_LATIN.test(plain)) {
    const letters = plain.match(/\p{L}/gu)!.length;
    const other = plain.match(NON_LATIN)!.length;
    if (other / letters > 0.3) return true;
  }
  // Letters English does not write (Polish ś, Turkish ğ, German ß…) or two function words of another language, and none of English's.
  const words = plain.match(/\p{L}{2,}/gu)?.length ?? 0;
  const others = plain.match(OTHER_WORDS)?.length ?? 0;
  if (!ENGLISH_WORDS.test(plain)) return others >= 2 || (words >= 3 && (others >= 1 || LATIN_MARKS.test(plain)));
  // One English-looking word ("to", "a") in a sentence of marked words is the other language's own (Czech "to", Swedish "a").
  return (plain.match(ENGLISH_WORDS_ALL)?.length ?? 0) === 1 && (plain.match(MARKED_WORD)?.length ?? 0) >= 3;
}

/** Polite or plain imperative endings and particles: Japanese, Chinese, Korean, Russian, Polish, Dutch, Turkish, Arabic. */
const ORDER_MARKER =
  /(?:ください|下さい|しなさい|すること|せよ|しろ|してね|请|請|务必|務必|必须|하세요|하십시오|해라|해 주세요|하라|пожалуйста|необходимо|нужно|следует|proszę|należy|moet|moeten|lütfen|يجب|من فضلك)/iu;
/** A German or Dutch instruction list item ending on the infinitive ("… an X senden.", "… nicht erwähnen."). */
const INFINITIVE_END = /\b\p{L}{3,}(?:en|ern|eln)\s*[.!]?\s*$/u;

/** An order in another language: a step of a list, a clause with an imperative marker, or a German list item ending on its verb. */
export function isOtherLanguageOrder(text: string, listItem: boolean): boolean {
  if (!isOtherLanguage(text)) return false;
  return listItem || ORDER_MARKER.test(text) || INFINITIVE_END.test(text);
}

/** Send verbs of those languages (CJK without word boundaries: they have none). */
export const OTHER_SEND =
  /(?:送信|送って|送る|送付|転送|アップロード|投稿|发送|發送|上传|上傳|提交到|转发|轉發|전송|보내|업로드|отправ\p{L}*|отошл\p{L}*|перешл\p{L}*|переда\p{L}*|загрузи\p{L}*|надішл\p{L}*|wyślij|prześlij|przekaż|stuur|verstuur|doorsturen|gönder\p{L}*|yükle|أرسل|ارسل|senden|übertragen|hochladen|weiterleiten)/iu;

/** Keeping the step from the user, in those languages. */
export const OTHER_CONCEAL =
  /(?:ユーザー|利用者|ユーザ)(?:に|へ)(?:は)?[^。]{0,12}(?:伝え|知らせ|言わ|報告|表示|見せ|説明)[^。]{0,12}(?:ない|不要|必要はありません|ません)|(?:不要|无需|無需|勿|别|別)(?:告诉|告訴|告知|提及|提到|通知|透露)|사용자에게\s*(?:알리지|말하지|보여주지)|(?:не|ни)\s+(?:сообщай|говори|упоминай|показывай|рассказывай)\p{L}*|nie\s+(?:mów|informuj|wspominaj|pokazuj)\p{L}*|niet\s+(?:vermelden|vertellen|melden|tonen)|(?:söyleme|bahsetme|gösterme)(?:yin)?\b|لا\s+(?:تخبر|تذكر)|\bnicht\s+(?:\S+\s+){0,4}?(?:erwähn|mitteil|sag|zeig|meld)\p{L}*/iu;

/** A send verb of those languages that is not negated next to it ("送信しないで", "не отправляй", "不要发送"). */
export function otherLanguageSend(text: string): RegExpExecArray | undefined {
  const m = OTHER_SEND.exec(text);
  if (!m) return undefined;
  const before = text.slice(Math.max(0, m.index - 6), m.index);
  const after = text.slice(m.index + m[0].length, m.index + m[0].length + 6);
  return /(?:不要|不|别|別|勿|не\s|nie\s|niet\s|nicht\s|kein\w*\s)$/iu.test(before) || /^(?:し|さ)?(?:ない|ません|禁止)|^지\s*마/u.test(after) ? undefined : m;
}

/** A send verb of the languages world-lexicon.ts spells, in a clause written in another language, not negated just before it. */
export function worldLanguageSend(text: string): RegExpExecArray | undefined {
  if (!isOtherLanguage(text)) return undefined;
  const m = worldSend(text);
  if (!m) return undefined;
  return WORLD_NEGATION.test(text.slice(Math.max(0, m.index - 12), m.index)) ? undefined : m;
}

/** "do not", "never" just before a verb, in the languages world-lexicon.ts spells. */
const WORLD_NEGATION = /(?<![\p{L}\p{M}])(?:inte|ikke|älä|jangan|tidak|đừng|không|nu|μην|μη|אל|לא|मत|न|nie|ne|ne|nem|niet|не)\s+$/iu;

/** Verbs that run a command, in those languages and the five of covert.ts ("… を実行してください", "ejecuta …", "führe … aus"); Latin ones as whole words. */
export const OTHER_RUN =
  /(?:実行|执行|執行|실행)|(?<!\p{L})(?:выполни\p{L}*|запусти\p{L}*|uruchom\p{L}*|wykonaj|uitvoeren|çalıştır\p{L}*|ejecut[ae]\p{L}*|exécute[sz]?|lancez|führe|ausführen|esegui\p{L}*|executa[r]?)(?!\p{L})/iu;

/** Verbs that write or strip a file's text, in those languages ("ajoute à CLAUDE.md", "写入", "удали раздел"); Latin ones as whole words. */
export const OTHER_WRITE =
  /(?:追加|書き込|書き換|削除|写入|寫入|添加|删除|刪除|修改|추가|삭제|수정)|(?<!\p{L})(?:добав\p{L}*|запиши|удали\p{L}*|измени\p{L}*|dodaj|dopisz|usuń|zmień|verwijder|ekle|değiştir|ajoute[sz]?|écri[st]\p{L}*|supprime[sz]?|modifiez|añad\p{L}*|agreg[ua]\p{L}*|escrib[ae]\p{L}*|elimin[ae]|füge|schreib\p{L}*|lösch\p{L}*|änder\p{L}*|aggiung\p{L}*|scriv\p{L}*|adicion[ae]\p{L}*|escrev[ae]\p{L}*)(?!\p{L})/iu;

/** An edit meant to outlive the task or reach other skills, in those languages ("pour les prochaines sessions", "以后所有会话", "в других навыках"). */
export const OTHER_PERSISTS =
  /(?:prochaines?|futures?)\s+sessions|toutes\s+les\s+sessions|zukünftige\p{L}*\s+Sitzungen|allen?\s+Sitzungen|próximas?\s+sesiones|todas\s+las\s+sesiones|prossime\s+sessioni|以后|以後|今後|以降|앞으로|모든\s*세션|будущих\s+сесси\p{L}*|всех\s+сессиях|други\p{L}*\s+навык\p{L}*|autres\s+skills?|otr[oa]s\s+skills?|anderen\s+Skills?|altre\s+skill|其他技能|他のスキル/iu;

/** "never", "do not" in the languages world-lexicon.ts spells, a word or two before the verb it forbids. */
const WORLD_PROHIBITION = /(?<![\p{L}\p{M}])(?:älä|inte|aldrig|ikke|aldri|koskaan|jangan|tidak\s+boleh|đừng|không\s+bao\s+giờ|không\s+được|niciodată|nu|μην|ποτέ|אל|לעולם\s+אל|कभी\s+न\p{L}*|मत|nikdy|ne|soha|sose|nigdy|nie|nooit|niet|asla|никогда|ніколи|не)(?:\s+\p{L}+)?\s+$/iu;

/** A step of another language that forbids a send or a run ("Älä koskaan lähetä …", "Đừng bao giờ chạy …"): a warning, not an order. */
export function worldProhibits(line: string): boolean {
  if (!isOtherLanguage(line)) return false;
  const m = worldSend(line) ?? worldRun(line);
  return Boolean(m && WORLD_PROHIBITION.test(line.slice(Math.max(0, m.index - 30), m.index)));
}
