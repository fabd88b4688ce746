/**
 * Orders in the languages the other prose vocabularies do not spell (any-language.ts reads
 * Japanese, Chinese, Korean, Russian, Polish, Dutch, Turkish, Arabic; covert.ts the five big
 * Romance/Germanic ones): Scandinavian, Finnish, Indonesian and Malay, Tagalog, Swahili,
 * Vietnamese, Thai, Romanian, Greek, Hebrew, Hindi, Bengali, Urdu, Persian, Czech, Slovak,
 * Hungarian, South Slavic, Bulgarian, Ukrainian, Baltic, Catalan, plus the forms of the covered
 * languages their tables miss. An agent obeys a step in any of them as readily as in English.
 *
 * One table per MEANING (send, fetch, follow, rank above, run, add, keep from the user, skip
 * consent; conversation and secret as objects), each a list of words per language. Only verbs,
 * frames and nouns are language-specific: data paths, variables, URLs and commands are read by
 * the usual tables. Every pattern is one linear alternation of literal words (run per clause).
 */

/** Words of a spaced script, matched as whole words (letters and combining marks around them do not continue them). */
function words(list: readonly string[], flags = "iu"): RegExp {
  return new RegExp(String.raw`(?<![\p{L}\p{M}])(?:${list.join("|")})(?![\p{L}\p{M}])`, flags);
}

/** Send, upload, forward. */
export const WORLD_SEND = words([
  // Swedish, Danish, Norwegian, Finnish, Icelandic
  "skicka", "skicka\\s+iväg", "ladda\\s+upp", "överför", "uploade", "overfør", "last\\s+opp", "lähetä", "lähettäkää", "siirrä", "sendu",
  // Indonesian, Malay, Tagalog, Swahili
  "kirim", "kirimkan", "unggah", "unggahlah", "hantar", "hantarkan", "muat\\s+naik", "ipadala", "i-upload", "ipasa", "tuma", "pakia",
  // Vietnamese
  "gửi", "gởi", "tải\\s+lên", "đăng\\s+tải", "chuyển\\s+tiếp",
  // Romanian, Catalan, Portuguese, Spanish forms
  "trimite", "trimiteți", "trimiteti", "încarcă", "încărcați", "incarca", "transmite", "transmiteți", "expediază", "puja", "envieu", "carregue", "envíalo", "súbelo",
  // Greek
  "στείλε", "στείλτε", "αποστείλετε", "ανέβασε", "ανεβάστε", "προώθησε", "μετέφερε",
  // Hebrew (with the attached "and"/"then")
  "[ו]?שלח", "[ו]?שלחי", "[ו]?שלחו", "[ו]?העלה", "[ו]?העלי", "[ו]?העבר", "[ו]?העבירו",
  // Hindi, Bengali, Urdu, Persian
  "भेजें", "भेजो", "भेज\\s+दें", "भेजिए", "भेज\\s+दो", "अपलोड\\s+करें", "पाठाओ", "পাঠাও", "পাঠান", "আপলোড\\s+করুন", "بھیجیں", "بھیج\\s+دیں", "بفرست", "بفرستید", "ارسال\\s+کن", "آپلود\\s+کن",
  // Czech, Slovak, Hungarian, South Slavic, Bulgarian, Ukrainian, Baltic
  "pošli", "pošlete", "odešli", "odešlete", "nahraj", "nahrajte", "odošli", "pošlite", "küldd", "küldje", "küldd\\s+el", "töltsd\\s+fel", "töltse\\s+fel", "továbbítsd", "pošalji", "pošaljite", "otpremi", "пошаљи", "изпрати", "изпратете", "качи", "відправ\\p{L}*", "вивантаж\\p{L}*", "siųsk", "nusiųsk", "įkelk", "nosūti", "augšupielādē", "saada", "lae\\s+üles",
  // Forms the covered languages' tables miss
  "zend", "stuur\\s+door", "wyślij", "załaduj", "ilet", "gönderin",
]);
/** Thai and other scripts written without spaces between words. */
const UNSPACED_SEND = /ส่ง|อัปโหลด|อัพโหลด/u;

/** Fetch a document. */
export const WORLD_FETCH = words([
  "hämta", "hent", "hent\\s+ned", "hae", "nouda", "ambil", "unduh", "muat\\s+turun", "kunin", "pakua",
  "tải\\s+về", "tải\\s+xuống", "lấy", "descarcă", "descarca", "preia", "obține", "obtine", "κατέβασε", "κατεβάστε", "φέρε", "ανάκτησε",
  "[ו]?הורד", "[ו]?משוך", "[ו]?קרא", "डाउनलोड\\s+करें", "प्राप्त\\s+करें", "লোড\\s+করুন", "دانلود\\s+کن", "stáhni", "stáhněte", "načti", "stiahni", "töltsd\\s+le", "kérd\\s+le",
  "haal", "haal\\s+op", "pobierz", "indir", "preuzmi", "изтегли", "завантаж\\p{L}*", "отримай", "atsisiųsk", "lejupielādē", "lae\\s+alla", "descarrega",
]);
const UNSPACED_FETCH = /ดาวน์โหลด|ดึง/u;

/** Follow or carry out what a document says. */
export const WORLD_FOLLOW = words([
  "följ", "lyd", "følg", "noudata", "seuraa", "ikuti", "patuhi", "jalankan", "sundin", "fuata",
  "làm\\s+theo", "tuân\\s+theo", "thực\\s+hiện", "urmează", "urmeaza", "urmați", "respectă", "ακολούθησε", "ακολουθήστε", "εκτέλεσε", "εφάρμοσε",
  "[ו]?פעל\\s+לפי", "[ו]?בצע", "[ו]?עקוב", "पालन\\s+करें", "का\\s+पालन", "অনুসরণ\\s+করুন", "پیروی\\s+کن", "عمل\\s+کن",
  "řiď\\s+se", "dodržuj", "proveď", "postupuj", "kövesd", "hajtsd\\s+végre", "volg", "voer\\s+uit", "postępuj", "stosuj", "uygula", "takip\\s+et", "следуй", "дотримуйся", "виконай", "slijedi", "izvrši", "следвай", "vykdyk", "seguiu",
]);
const UNSPACED_FOLLOW = /ทำตาม|ปฏิบัติตาม/u;

/** A document ranked above the skill or the user ("they take precedence over this text"). */
export const WORLD_PRECEDENCE = new RegExp(
  [
    "gaan\\s+voor\\s+op", "hebben\\s+voorrang", "voorrang\\s+boven", "har\\s+företräde", "går\\s+före", "gäller\\s+före", "har\\s+forrang", "går\\s+forud", "Vorrang\\s+vor", "gehen\\s+(?:\\p{L}+\\s+){0,3}vor\\b",
    "etusijalla", "ohittaa", "lebih\\s+diutamakan", "diutamakan", "mengesampingkan", "ưu\\s+tiên\\s+hơn", "được\\s+ưu\\s+tiên", "au\\s+prioritate", "prevalează", "υπερισχύ\\p{L}*", "προτεραιότητα",
    "גוברות?\\s+על", "עדיפות\\s+על", "प्राथमिकता", "mají\\s+přednost", "má\\s+přednost", "elsőbbség\\p{L}*", "felülír\\p{L}*", "mają\\s+pierwszeństwo", "mają\\s+priorytet", "öncelikli\\p{L}*",
    "prevalecen", "tienen\\s+prioridad", "priment", "prévalent", "ont\\s+la\\s+priorité", "prevalgono", "hanno\\s+la\\s+priorità", "prevalecem", "têm\\s+prioridade", "имеют\\s+приоритет", "мають\\s+пріоритет",
    "優先", "优先", "우선", "สำคัญกว่า",
  ].join("|"),
  "iu",
);

/** Run a command. */
export const WORLD_RUN = words([
  "kör", "kør", "kjør", "suorita", "aja", "jalankan", "eksekusi", "jalanin", "patakbuhin", "endesha",
  "chạy", "thực\\s+thi", "rulează", "ruleaza", "rulați", "execută", "executa", "εκτέλεσε", "τρέξε", "[ו]?הרץ", "[ו]?הריצו", "[ו]?הפעל",
  "चलाएँ", "चलाएं", "चलाओ", "चलाइए", "रन\\s+करें", "চালান", "চালাও", "چلائیں", "اجرا\\s+کن", "اجرا\\s+کنید", "spusť", "spusťte", "spustite", "futtasd", "futtassa", "pokreni", "изпълни", "запусти\\p{L}*", "paleisk", "palaid", "käivita", "voer\\s+uit", "draai", "çalıştır\\p{L}*", "executeu",
]);
const UNSPACED_RUN = /รัน|เรียกใช้|สั่ง/u;

/** Add to or write a file. */
export const WORLD_WRITE = words([
  "lägg\\s+till", "skriv", "tilføj", "legg\\s+til", "lisää", "kirjoita", "tambahkan", "tulis", "tulislah", "idagdag", "ongeza",
  "thêm", "ghi", "adaugă", "adauga", "adăugați", "scrie", "πρόσθεσε", "προσθέστε", "γράψε", "[ו]?הוסף", "[ו]?הוסיפו", "[ו]?כתוב",
  "जोड़ें", "जोड़ें", "जोड़\\s+दें", "लिखें", "যোগ\\s+করুন", "شامل\\s+کریں", "اضافه\\s+کن", "přidej", "přidejte", "zapiš", "pridaj", "add\\s+hozzá", "írd\\s+be", "voeg\\s+toe", "dodaj", "ekle", "додај", "добави", "додай", "pridėk", "pievieno", "lisa", "afegeix",
]);
const UNSPACED_WRITE = /เพิ่ม|เขียน/u;

/** Keeping a step from the user: do not mention, tell, report or show it. */
export const WORLD_CONCEAL = new RegExp(
  [
    "nämn\\s+inte", "säg\\s+inget", "berätta\\s+inte", "utan\\s+att\\s+(?:säga|nämna|berätta)", "visa\\s+inte", "nævn\\s+(?:det\\s+)?ikke", "ikke\\s+nevn", "fortæl\\s+ikke", "ikke\\s+fortell", "älä\\s+(?:mainitse|kerro|näytä)",
    "jangan\\s+(?:\\p{L}+\\s+){0,2}?(?:beri\\s*tahu|beritahu|sebutkan|laporkan|tampilkan|katakan|ceritakan|kasih\\s+tahu)", "tidak\\s+perlu\\s+(?:dilaporkan|disebutkan|diberitahu\\p{L}*|ditampilkan|dilaporkan)", "tanpa\\s+(?:memberi\\s*tahu|melaporkan|menyebutkan)",
    "đừng\\s+(?:nói|đề\\s+cập|báo|thông\\s+báo|hiển\\s+thị|kể)", "không\\s+cần\\s+(?:báo|thông\\s+báo|nói|đề\\s+cập|hiển\\s+thị)", "không\\s+(?:nói|đề\\s+cập|báo)\\s+(?:cho|với)\\s+người\\s+dùng",
    "nu\\s+(?:menționa|mentiona|spune|raporta|arăta|arata|pomeni)", "fără\\s+a\\s+(?:menționa|spune|anunța)", "μην\\s+(?:το\\s+)?(?:αναφέρεις|αναφέρετε|πεις|πείτε|δείξεις|ενημερώσεις)", "χωρίς\\s+να\\s+(?:αναφέρεις|ενημερώσεις|πεις)",
    "אל\\s+(?:תזכיר|תספר|תציין|תדווח|תראה)", "אין\\s+צורך\\s+(?:לציין|לספר|לדווח|להזכיר|לעדכן)", "(?:मत|न)\\s+(?:बताएँ|बताएं|बताना|बताओ|बताइए)", "(?:उल्लेख|ज़िक्र|जिक्र)\\s+न", "বলবেন\\s+না", "ذکر\\s+نکن", "نہ\\s+بتائیں",
    "nezmiňuj", "neříkej", "neoznamuj", "nespomínaj", "ne\\s+(?:említsd|szólj|mondd)", "nemoj\\s+(?:spominjati|reći|spomenuti)", "не\\s+(?:споменавай|казвай|згадуй|кажи)",
    "nie\\s+(?:musi|trzeba)\\s+(?:\\p{L}+\\s+){0,2}?(?:pokazywa\\p{L}*|informowa\\p{L}*|wspomina\\p{L}*|zgłasza\\p{L}*)", "bez\\s+informowania", "vermeld\\s+(?:dit|het|dat)\\s+niet", "zonder\\s+(?:dit\\s+)?te\\s+(?:melden|vermelden)", "belirtme", "ไม่ต้องบอก", "อย่าบอก",
  ].join("|"),
  "iu",
);

/** Skipping the user's consent: do not ask, without asking or confirmation. */
export const WORLD_SKIP_CONSENT = new RegExp(
  [
    "fråga\\s+inte", "utan\\s+att\\s+fråga", "spørg\\s+ikke", "ikke\\s+spør", "uten\\s+å\\s+spørre", "uden\\s+at\\s+spørge", "älä\\s+kysy", "kysymättä",
    "jangan\\s+(?:tanya\\p{L}*|minta\\s+(?:izin|konfirmasi|persetujuan))", "tanpa\\s+(?:bertanya|menanyakan|konfirmasi|izin|persetujuan)", "không\\s+cần\\s+hỏi", "đừng\\s+hỏi", "không\\s+hỏi", "không\\s+cần\\s+xác\\s+nhận",
    "nu\\s+cere\\s+(?:confirmare|permisiunea|acordul)", "fără\\s+(?:confirmare|a\\s+întreba|acord)", "μη\\s+ρωτήσεις", "χωρίς\\s+να\\s+ρωτήσεις", "χωρίς\\s+επιβεβαίωση",
    "אל\\s+תשאל", "בלי\\s+לשאול", "ללא\\s+אישור", "पूछने\\s+की\\s+(?:ज़रूरत|जरूरत|आवश्यकता)\\s+नहीं", "बिना\\s+पूछे", "জিজ্ঞাসা\\s+না\\s+করে", "بدون\\s+پرسیدن",
    "bez\\s+ptaní", "neptej\\s+se", "kérdezés\\s+nélkül", "ne\\s+kérdezd", "nie\\s+pytaj", "bez\\s+pytania", "vraag\\s+niet", "zonder\\s+te\\s+vragen", "sormadan", "sin\\s+preguntar", "sans\\s+demander", "ohne\\s+(?:zu\\s+)?fragen", "senza\\s+chiedere", "sem\\s+perguntar", "не\\s+спрашивая", "без\\s+подтверждения", "без\\s+питань", "确认せずに", "確認せずに", "无需确认", "不要询问", "묻지\\s+말고",
  ].join("|"),
  "iu",
);

/** The conversation with the user, named in those languages (and the ones covered elsewhere only as English). */
export const WORLD_CONVERSATION = new RegExp(
  String.raw`(?<![\p{L}\p{M}])(?:samtal(?:et)?|konversation(?:en)?|samtale(?:n)?|keskustelu\p{L}*|percakapan|obrolan|cuộc\s+trò\s+chuyện|hội\s+thoại|conversația|conversaţia|conversatia|συνομιλία|συζήτηση|[הו]?שיחה|[הו]?השיחה|बातचीत|কথোপকথন|گفتگو|مکالمه|konverzac\p{L}*|rozhovor|beszélgetés\p{L}*|gesprek(?:ken)?|rozmow\p{L}*|konuşma\p{L}*|sohbet\p{L}*|разговор\p{L}*|переписк\p{L}*|розмов\p{L}*|conversación|Gesprächsverlauf|Chatverlauf|conversa|conversazione)(?![\p{L}\p{M}])|会話|对话|對話|会话|會話|대화|บทสนทนา`,
  "iu",
);

/** Passwords, keys and tokens named in those languages. */
export const WORLD_SECRET = new RegExp(
  String.raw`(?<![\p{L}\p{M}])(?:lösenord\p{L}*|adgangskode\p{L}*|passord\p{L}*|salasana\p{L}*|kata\s+sandi|mật\s+khẩu|parol[aăe]\p{L}*|κωδικ\p{L}*|[ו]?סיסמ(?:ה|א|אות)|[ו]?מפתח(?:ות)?|पासवर्ड|পাসওয়ার্ড|رمز\s+عبور|heslo|hesla|jelszó\p{L}*|wachtwoord\p{L}*|hasło|hasła|şifre\p{L}*|пароль|пароли|паролі|ключи|contraseña\p{L}*|mot\s+de\s+passe|Passwort\p{L}*|Kennwort\p{L}*|senha\p{L}*)(?![\p{L}\p{M}])|パスワード|トークン|密码|密碼|密钥|令牌|비밀번호|토큰|รหัสผ่าน`,
  "iu",
);

const has = (re: RegExp, extra: RegExp, text: string): RegExpExecArray | undefined => re.exec(text) ?? extra.exec(text) ?? undefined;
export const worldSend = (text: string) => has(WORLD_SEND, UNSPACED_SEND, text);
export const worldFetch = (text: string) => has(WORLD_FETCH, UNSPACED_FETCH, text);
export const worldFollow = (text: string) => has(WORLD_FOLLOW, UNSPACED_FOLLOW, text);
export const worldRun = (text: string) => has(WORLD_RUN, UNSPACED_RUN, text);
export const worldWrite = (text: string) => has(WORLD_WRITE, UNSPACED_WRITE, text);
