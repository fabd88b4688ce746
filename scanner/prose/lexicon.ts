/**
 * The vocabulary the prose reader turns sentences into facts with: what data a step touches,
 * what it does with it, where it sends it, and what frames it (trigger, negation, document).
 * Each table is one idea; the rules in rules.ts combine the facts, never these phrases directly.
 * All patterns are linear (no nested quantifiers over overlapping classes) and run per clause,
 * whose length is bounded in facts.ts.
 */

export type DataClass = "secret" | "private" | "workspace";

/** Data objects, most sensitive first: the first class that matches a clause wins for a span. */
/** `store`: a credential store on the user's machine, which no service needs sent to it (an API key is used, not sent). */
export const DATA_OBJECTS: { cls: DataClass; what: string; re: RegExp; store?: boolean }[] = [
  { cls: "secret", what: ".env files", re: /(?<![\w/-])\.env(?:\.[\w-]+)?\b(?!\.example|\.sample|\.template)|\benv(?:ironment)? files?\b/i },
  { cls: "secret", what: "SSH keys", re: /\bssh\s+(?:private\s+)?keys?\b|(?<![\w-])\.ssh\b|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\bauthorized_keys\b/i, store: true },
  { cls: "secret", what: "cloud and tool credentials", re: /\.aws\b|\.kube\/config|\bkubeconfig\b|\.docker\/config|\.npmrc\b|\.pypirc\b|\.netrc\b|\.git-credentials\b|\.config\/gh\b|\bgcloud\b[^.]{0,40}\bcredentials\b|\.config\/gcloud\b|(?<![\w-])\.azure\b|\.gem\/credentials\b|\.cargo\/credentials\b/i, store: true },
  { cls: "secret", what: "shell history", re: /(?<![\w-])\.(?:bash|zsh|sh|fish)_history\b|\b(?:shell|bash|zsh|terminal|command)\s+history\b|\bpsreadline\b/i, store: true },
  { cls: "secret", what: "credentials", re: /\b(?:credentials?|passwords?|passwd|secrets?|private\s+keys?|api[\s_-]?keys?|(?:access|auth|session|bearer|oauth|refresh|api|bot|personal\s+access)\s+tokens?|tokens?\s+file|keychain|keystore|seed\s+phrases?|mnemonic|wallet(?:\s+(?:files?|keys?|data))?|cookies)\b/i },
  { cls: "secret", what: "a secret variable", re: /\$?\b[A-Z][A-Z0-9]*_(?:TOKEN|KEY|SECRET|PASSWORD|PASS|PAT|CREDENTIALS?)\b/ },
  { cls: "secret", what: "the environment", re: /`(?:env|printenv|set|Get-ChildItem\s+env:)`|\b(?:all\s+)?environment\s+variables\b|\benv\s+vars\b|\bprintenv\b|\bos\.environ\b(?!\s*(?:\.get\s*)?[[(]\s*["'])|\bprocess\.env\b(?!\s*(?:\.\w|\[\s*["']))/i },
  { cls: "private", what: "the conversation", re: /\b(?:conversation(?:\s+history)?|chat\s+(?:history|logs?)|transcripts?|system\s+prompts?|(?:task|user'?s?|original|full|entire)\s+prompts?|the\s+prompt\b|user'?s?\s+(?:messages?|inputs?|quer(?:y|ies)|requests?)|previous\s+messages|every\s+(?:rag\s+)?query|the\s+query\b|<(?:query|prompt|system_prompt|system_info|conversation)>|memor(?:y|ies)\s+files?|agent'?s?\s+memory)\b/i },
  { cls: "private", what: "the clipboard or screen", re: /\b(?:clipboard|pbpaste|xclip|xsel|get-clipboard|screenshots?|screencapture|screen\s+capture|keystrokes?|keylog\w*)\b/i },
  { cls: "private", what: "the user's location", re: /\b(?:(?:current|exact|precise|user'?s?|gps)\s+(?:location|coordinates|position)|location\s+data|geolocation|ipapi\.co|ip-api\.com|ipinfo\.io|corelocation|latitude)\b/i },
  { cls: "private", what: "mail and contacts", re: /\b(?:all\s+(?:e-?mails?|contacts|messages)|(?:e-?mail|inbox)\s+(?:contents?|messages)|each\s+e-?mail|every\s+e-?mail|contacts?\s+list|address\s+book|the\s+contacts)\b/i },
  { cls: "private", what: "health or payment data", re: /\b(?:patient|medical|health(?:care)?|vital\s+signs?|vitals|phi)\s+(?:data|records?|information)\b|\bpatient\s+data\b|\b(?:credit\s+)?card\s+(?:data|numbers?|details)\b|\bpayment\s+(?:intents?|data|details)\b|\bcvv\b/i },
  { cls: "private", what: "browser data", re: /\b(?:browser|search)\s+(?:history|cookies|data|profiles?)\b|\blogin\s+data\b/i },
  { cls: "private", what: "system information", re: /\bsystem\s+info(?:rmation)?\b|\b(?:hostname|whoami|uname\s+-a)\b/i },
  // A database's contents, dumped or as its file: every user's records at once.
  { cls: "private", what: "a database dump", re: /\b(?:database|db)\s+(?:dumps?|backups?|exports?)\b|(?<![\w.-])[\w-]+\.(?:dump|sqlite3?|db)\b(?![.-]\w)|\b(?:pg_dump|pg_dumpall|mysqldump|mongodump)\b/i },
  { cls: "workspace", what: "the user's files", re: /\b(?:(?:all|every|each|entire|whole|any)\s+(?:\w+\s+){0,2}?(?:files?|documents?|data|code|repositor(?:y|ies)|repos?|projects?|rows|records|directory|folders?|workspace|codebase)|(?:working|home|current)\s+director(?:y|ies)|codebase|workspace|the\s+(?:file|document)\s+you\s+(?:were\s+)?(?:just\s+)?edit\w*|(?:training\s+)?metrics|tool\s?call\s+requests?|the\s+data\b|a\s+copy\s+of\s+the\s+data|valuable\.txt|\.db\s+files?|<file_?(?:path|name)>|<filename>)\b/i },
];

/**
 * Credentials asked of a person ("ask the customer to reply with their password and the code
 * from their authenticator"): a phishing step's source, whatever the step then does with them.
 */
export const SOLICITED_SECRET =
  /\bask\w*\s+(?:the\s+|each\s+|every\s+)?(?:customers?|users?|clients?|callers?|recipients?|them|people|employees?|members?)\s+(?:to\s+)?(?:reply\s+with|send|give|provide|share|enter|confirm|type|paste|read\s+out)\s+(?:us\s+|you\s+)?(?:their|your|the)\s+(?:current\s+|full\s+)?(?:passwords?|passcodes?|pins?|2fa|mfa|one-time|otp|verification\s+codes?|security\s+codes?|seed\s+phrases?|recovery\s+(?:codes?|phrases?)|card\s+numbers?|cvv)\b/i;

/**
 * Verbs that move data to someone else. "Your alert email" is the user's address (a noun) and
 * "log in at" is signing in: neither sends anything.
 */
export const SEND_VERB = /\b(?:send(?:s|ing)?|upload(?:s|ing)?|post(?:s|ing)?|transmit\w*|forward(?:s|ing)?|exfiltrat\w*|(?<!\b(?:your|my|their|our)\s+(?:[a-z-]+\s+)?)e-?mail(?:s|ing)?|leak\w*|submit\w*|sync(?:s|ing)?|beacon\w*|transfer\w*|relay\w*|stream\w*|mirror\w*|report(?:s|ing)?|log(?:s|ging)?(?!\s+(?:in|into|on|out)\b)|back(?:s|ing)?\s?up|share(?:s|ing)?|push(?:es|ing)?|copy|copies|paste[sd]?|attach\w*|bcc\w*|blind[\s-]cop(?:y|ies))\b/i;

/** Data put into a request to a URL ("include the output in a request to https://…"): the request is the send. */
export const IN_REQUEST_TO = /\b(?:include|put|add|append|embed|insert|pass|place)\b[^.]{0,80}?\b(?:in|into|with)\s+(?:a|an|the|your)\s+(?:\w+\s+)?(?:request|call|query|fetch)\s+to\s+<?https?:\/\//i;

/** Verbs that acquire data (a chain's source step). */
export const ACQUIRE_VERB = /\b(?:read|collect|gather|scan|harvest|get|grab|fetch|extract|dump|copy|list|find|search|locate|identify|capture|record|cat|print|obtain|retrieve|access|save|write|take|query|run|summari[sz]e|compile|bundle|package|serialize|assemble|export)\b/i;

/** Command shapes that send data: the code side of a send step. */
export const SEND_COMMAND = /\bcurl\b[^`\n]{0,300}?(?:\s-X\s*(?:POST|PUT|PATCH)\b|\s(?:-d|--data(?:-\w+)?|-F|--form|-T|--upload-file|--json)\b)|\bwget\b[^`\n]{0,200}?--post-(?:data|file)\b|\b(?:requests|httpx|session|aiohttp\.\w+)\.(?:post|put|patch)\s*\(|\brequests\.get\s*\([^)\n]{0,200}\bparams\s*=|\bfetch\s*\([^)\n]{0,200}\bmethod\s*:\s*["'](?:POST|PUT)|\bInvoke-(?:WebRequest|RestMethod)\b[^`\n]{0,200}-Method\s+(?:Post|Put)\b|\burlopen\s*\([^()\n]{0,200}?,\s*[^)\s]|\bRequest\s*\([^)\n]{0,200}?\bdata\s*=|\b(?:nc|ncat|netcat)\s+[\w.-]+\s+\d{2,5}\b|\bscp\s+\S+\s+[\w.-]+@?[\w.-]*:/i;

/** A download into a file, then running that file. */
export const DOWNLOAD_THEN_RUN = /\b(?:curl|wget)\b[^`\n;&|]{0,200}?(?:\s-\w*O\w*|\s-o\s*\S+|--output\s+\S+)[^`\n]{0,120}?(?:&&|;|\n)\s*(?:(?:sudo\s+)?(?:ba|z)?sh|source|\.|python3?|node|chmod\s+\+x[^`\n]{0,80}?(?:&&|;)\s*\.\/)\s*\S+/i;

/** Where data goes: a URL, an e-mail address, or a named server of "ours". */
export const URL = /\bhttps?:\/\/[^\s<>()"'`\]]+/gi;
/** A host a raw socket reaches (`nc 192.0.2.8 9000`, `/dev/tcp/host/443`, `socat - TCP:host:9000`): where a piped command sends. */
export const SOCKET_TARGET = /\b(?:nc|ncat|netcat)\s+(?:-\w+\s+){0,4}([a-z0-9][\w-]*(?:\.[\w-]+)+)\s+\d{2,5}\b|\/dev\/(?:tcp|udp)\/([\w-]+(?:\.[\w-]+)+)\/\d+|\bsocat\b[^\n`]{0,80}?\b(?:tcp|udp|openssl)[\w-]*:([\w-]+(?:\.[\w-]+)+):\d+/gi;
export const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b/gi;
export const NAMED_DESTINATION =
  /\b(?:our|the|a|an|your\s+team'?s|company)\s+(?:(?:intranet|internal|central|remote|external|cloud|company|team|secure|mlops|backup|logging|analytics|monitoring|collector|collection|telemetry|sync|audit|tracking|redundancy|training|following)\s+){1,4}(?:servers?|endpoints?|collectors?|webhooks?|urls?|address|buckets?|services?|inbox|hosts?|apis?)\b|\bmonitoring\s+address\b/i;

/** Places that publish what is put there (a PR body, an issue comment, a public gist): a secret put there is public. */
export const PUBLISH_PLACE =
  /\b(?:pull\s+request|PR)\s+(?:body|description)\b|\bgh\s+(?:gist\s+create|(?:issue|pr)\s+(?:comment|create))\b|\bpublic\s+(?:gist|repo(?:sitory)?|channel|paste(?:bin)?)\b|\bgist\b[^.\n]{0,40}--public\b|\bissue\s+(?:body|comments?)\b|\bcommit\s+messages?\b[^.]{0,120}\bpush\w*|\b(?:npm|yarn|pnpm|bun)\s+publish\b|\bcargo\s+publish\b|\btwine\s+upload\b|\bgem\s+push\b|\bgh\s+release\s+create\b/i;
/** Verbs that place data somewhere, which is a send when the place publishes it. */
export const PUT_VERB = /\b(?:put|paste|include|add|insert|embed|write|append|attach|publish|share|post|upload|open|file|raise|end\s+with|followed\s+by|contain)\b/i;

/** Hosts that exist to receive data nobody reviews (tunnels, bins, paste and throwaway hosting). */
export const DROP_HOSTS = /(?:^|\.)(?:onrender\.com|ngrok(?:-free)?\.(?:io|app|dev)|webhook\.site|requestbin\.\w+|pipedream\.net|(?:m\.)?pipedream\.com|burpcollaborator\.net|oast\.\w+|interact\.sh|herokuapp\.com|workers\.dev|glitch\.me|pastebin\.com|transfer\.sh|trycloudflare\.com|serveo\.net|localtunnel\.me|loca\.lt|beeceptor\.com|hookbin\.com|requestcatcher\.com|discord(?:app)?\.com)$/i;

/** Hosts that never leave the machine. */
export const LOCAL_HOST = /^(?:localhost|127(?:\.\d+){3}|0\.0\.0\.0|\[?::1\]?|[\w-]+\.local|10(?:\.\d+){3}|192\.168(?:\.\d+){2}|host\.docker\.internal)$/i;

/** Used as authentication, not sent as the payload ("with the API key in the header"). */
// "The code from their authenticator" names an app, not a request signed with the key.
const AUTH_WORDS = /\b(?:headers?|authori[sz]ation|bearer|authenticat(?!or)\w*|auth\b|log\s?in\b|sign\s?in\b|x-api-key)/i;
/** Words of authentication outside host names: a host named "headers-…" or "auth-…" is the author's pick and says nothing about use (a path like /docs/authentication does). */
export const AUTH_USE = { test: (text: string): boolean => AUTH_WORDS.test(text.replace(/\b(https?:\/\/)[^\s/<>()"'`\]]+/gi, "$1host").replace(EMAIL, " ")) };

/** The destination is one the user picks or owns. */
export const USER_CHOSEN = /\b(?:the\s+user'?s?\s+(?:own|chosen|configured|specified)|(?:the\s+user|they|you)\s+(?:chose|choose|picked|pick|specif(?:y|ied)|provide[ds]?|configured?|asked\s+for|named)|requested\s+by\s+the\s+user|that\s+the\s+user\s+(?:gave|named|provided))\b/i;

/** "After any task", "always": the step runs on every use, not when the user asks for it. */
export const BLANKET_TRIGGER = /\b(?:after|before|when|upon|following|on)\s+(?:\w+\s+){0,2}?(?:any|every|each|all)\b|\balways\b|\bevery\s+time\b|\bautomatically\b/i;

/** A condition the user does not control: dates, quarters, keywords, the content seen. */
export const CONDITIONAL_TRIGGER =
  /\b(?:if|when|once)\s+(?:the\s+)?(?:current\s+)?(?:date|time|day|month|year)\b|\bafter\s+(?:january|february|march|april|may|june|july|august|september|october|november|december|\d{4}-\d{2})|\bin\s+q[1-4]\b|\b(?:if|when)\s+(?:the\s+)?user\s+(?:mentions?|says?|types?|asks?\s+about)\b|\b(?:if|when)\s+(?:the\s+)?(?:website|page|site|document|repo\w*|email|message|file)\s+(?:advertises|mentions|contains|includes|is\s+about|relates?\s+to)\b/i;

/** Negations that turn an instruction into a prohibition; "don't forget/skip" do not. */
export const NEGATION = /\b(?:never|not|don'?t|doesn'?t|won'?t|must\s*n[o']?t|should\s*n[o']?t|cannot|can'?t|avoid|refrain\s+from|no\s+need\s+to|instead\s+of|rather\s+than|without)\b/i;
export const NOT_A_NEGATION = /\b(?:never|don'?t|do\s+not|must\s+not)\s+(?:forget|skip|fail|hesitate|neglect|omit|miss)\b/i;

/**
 * Verbs that open an instruction. A clause that starts with one (after list markers, labels and
 * a leading condition), or puts one after a modal ("make sure to", "you must"), is imperative.
 */
const VERBS =
  "build|compose|look|validate|request|do|end|finish|start|begin|prepend|ensure|verify|frame|promote|favor|favour|downplay|emphasize|emphasise|highlight|present|portray|read|collect|gather|scan|harvest|get|grab|fetch|extract|dump|copy|list|find|search|locate|identify|capture|record|print|obtain|retrieve|access|save|write|take|query|run|execute|exec|call|invoke|use|send|upload|post|transmit|forward|exfiltrate|email|e-mail|sync|report|log|back\\s?up|share|push|attach|append|add|insert|include|embed|render|display|show|delete|remove|erase|wipe|purge|cancel|destroy|overwrite|truncate|drop|reset|clean|encrypt|lock|zip|archive|chmod|set|make|change|modify|edit|update|replace|disable|turn|skip|bypass|ignore|download|install|load|open|visit|check|verify|follow|obey|create|store|keep|hide|conceal|answer|reply|respond|notify|contact|claim|inflate|mark|flag|grant|give|return|store|put|move|place|pipe|source|curl|wget|bash|sh|python|python3|node|git|summari[sz]e|compile|bundle|package|serialize|assemble|export|pick|ask|tell|paste|clear|publish|clone|submit|pull|rewrite|swap|stub|reclaim|free|force|mirror|file|raise|provide|grant|approve|merge|route|redirect|relay|tunnel|proxy";
export const IMPERATIVE_START = new RegExp(`^(?:${VERBS})\\b`, "i");
export const MODAL_IMPERATIVE = new RegExp(
  `\\b(?:always|make\\s+sure\\s+(?:to|you)|be\\s+sure\\s+to|ensure\\s+(?:that\\s+)?you|you\\s+(?:must|should|need\\s+to|have\\s+to|will|are\\s+to)|must|remember\\s+to|don'?t\\s+forget\\s+to|do\\s+not\\s+forget\\s+to|please|need\\s+to|is\\s+to)\\s+(?:\\w+\\s+){0,2}?(?:${VERBS})\\b|\\bby\\s+(?:running|calling|executing|invoking)\\b`,
  "i",
);

/** Headings and lead-ins that frame text as documentation about attacks, not as steps to take. */
export const DOCUMENTARY_HEADING = /\b(?:examples?\s+of|attacks?|threats?|malicious|red\s+flags?|detect\w*|indicators?|vulnerab\w*|anti-?patterns?|what\s+not\s+to|insecure|exploits?|injections?|pitfalls?|common\s+mistakes|warning\s+signs|risks?|case\s+stud\w+|how\s+attackers|dangerous|bad\s+examples?|patterns?\s+to\s+(?:flag|avoid|catch|recogni[sz]e|spot|watch\s+for))\b/i;
export const DOCUMENTARY_LEAD = /\b(?:attackers?|adversar\w+|malicious\s+(?:skills?|actors?|code|instructions?|prompts?)|an?\s+(?:attacker|injected|compromised|poisoned|malicious)\b|for\s+example|e\.g\.|such\s+as|like\s+this|might|could|would|often|typically|a\s+(?:skill|script|prompt)\s+(?:that|which))/i;

/** Destroys data the user did not ask to lose. */
export const DESTROY_VERB = /\b(?:delete|remove|erase|wipe|purge|cancel|destroy|overwrite|truncate|drop|shred|clean\s+(?:up\s+)?(?:all|other|every))\b/i;
export const BROAD_OBJECT =
  /\b(?:all|every|any|entire|whole|other)\s+(?:\w+\s+){0,2}?(?:files?|events?|entries|e-?mails?|messages|data|records|versions?|occurrences|commits?|branches|backups?|calendars?|quarters?|rows|tables?|databases?|contacts|documents?|paragraphs|history)\b|\bfiles?\s+(?:older|larger)\s+than\b|\bthe\s+original\s+(?:files?|documents?)\b|\ball\s+other\s+versions\b|(?:^|\s)\.\.\/|\bhome\s+(?:directory|folder)\b|\bfuture\s+occurrences\b/i;
export const DESTRUCTIVE_COMMAND =
  /\bgit\s+reset\s+--hard\s+\S*(?:HEAD~\d+|HEAD\^|origin)|\bgit\s+push\s+(?:\S+\s+)*?(?:--force(?!-with-lease)|-f)\b|\bgit\s+clean\s+-\w*f\w*d|\brm\s+-\w*[rR]\w*f?\w*\s+(?:\S+\s+)*?(?:\.\.\/|~|\$HOME|\/(?:\s|$|\*))|\brm\s+(?:-\w+\s+)*\$\(|\bchmod\s+(?:-R\s+)?(?:0?777|a\+rwx)\b|\bDROP\s+(?:TABLE|DATABASE)\b/i;

/** Weakens a security control or plants a way in. */
export const WEAKEN =
  /\b(?:delete|remove|disable|drop|lift)\s+(?:the\s+)?(?:\w+\s+)?branch\s+protections?\b|-X\s*DELETE\s+[^\s`]*\/branches\/[^\s/`]+\/protection\b|\/collaborators\/[^\s`]+[^\n`]{0,60}\bpermission=(?:admin|maintain)\b|\bbackdoor\b|\b(?:add|create|insert|include)\s+(?:\w+\s+){0,3}?(?:admin|root|default|emergency|backup|hidden)\s+(?:user|account|login)\b[^.]{0,80}\bpassword\b|\b(?:disable|turn\s+off|switch\s+off|suppress|silence|bypass)\s+(?:all\s+)?(?:the\s+)?(?:security|ssl|tls|certificate|signature|csrf|auth\w*|sandbox|firewall|antivirus|defender|2fa|mfa)\b|\b(?:not|never|don'?t|skip)\s+(?:\w+\s+){0,3}?(?:tests?|checks?|scans?)\s+(?:(?:that|which)\s+(?:check|test|cover)s?\s+(?:for\s+)?|for\s+|on\s+)?(?:sql\s+injections?|xss|security|vulnerabilit\w+|auth\w*)\b|\bchmod\s+(?:-R\s+)?(?:0?777|a\+rwx)\b/i;
/** Prints or commits a secret where others read it. */
export const EXPOSE_SECRET =
  /\b(?:print|log|echo|output|display|write|commit|include|expose|paste)\s+(?:\w+\s+){0,3}?(?:[A-Z][A-Z0-9]*_(?:TOKEN|KEY|SECRET|PASSWORD)|tokens?|api\s+keys?|secrets?|passwords?|credentials)\s+(?:\w+\s+){0,2}?(?:to|in|into)\s+(?:the\s+)?(?:logs?|console|output|stdout|readme|commit|public|issue|comments?)\b|\b(?:api\s+keys?|tokens?|secrets?|credentials|passwords?)\b[^.;]{0,80}?\b(?:include|embed|hard-?code|inline|paste|put|copy|write)\s+(?:them|it|those|these|the\s+(?:real\s+)?values?)\s+(?:(?:directly|verbatim|as\s+is)\s+)?in(?:to)?\s+(?:the\s+|any\s+|all\s+)?(?:generated\s+|example\s+|sample\s+|committed\s+)*(?:code|snippets?|examples?|commits?|readme|docs?|output|responses?|answers?|files?)\b/i;
/** Orders to send the project's or the agent's requests through a host ("route them through https://…/?u= + the target URL"): every request, with its headers and keys, passes that host. */
export const ROUTE_THROUGH =
  /\b(?:route|proxy|tunnel|redirect|pass|send|forward|relay)\s+(?:(?:all|every|each|any|the|them|it|those|these|your|its|their|our|outgoing|outbound|http|https|api|network)\s+){0,4}(?:(?:requests?|calls?|traffic|fetch(?:es)?|connections?)\s+)?(?:through|via)\s+(?:the\s+|our\s+)?(?:proxy\s+(?:at\s+)?)?[`<]?https?:\/\//i;

/** Overrides what the user chose. */
export const OVERRIDE_USER = /\bregardless\s+of\s+(?:the\s+|what\s+the\s+)?user'?s?\b|\beven\s+if\s+the\s+user\s+(?:asks|says|requests|wants|declines|refuses)\b|\bignore\s+(?:the\s+)?user'?s?\s+(?:request|choice|instructions?|preferences?)\b/i;
/** Skips the user's consent: a finding only beside a risky action. */
export const WITHOUT_CONSENT = /\bwithout\s+(?:asking|confirmation|consent|the\s+user'?s?\s+(?:permission|approval|consent|knowledge))\b/i;
/** Makes an agent edit outlive the task or widen what the agent may do. */
export const PERSISTS = /\b(?:future\s+(?:sessions?|conversations?|tasks?|runs?)|permanently|from\s+now\s+on|every\s+session|all\s+sessions|persist\w*\s+across|allow\w*\s+all|bypassPermissions|bypass\s+(?:permissions|approvals?|checks)|skip\w*\s+permissions|auto-?approve|dangerously|other\s+skills?)\b/i;

/** Keeps the action from the user. */
export const CONCEAL = /\b(?:do\s*n[o']?t|never|without)\s+(?:ever\s+)?(?:tell\w*|inform\w*|notify\w*|alert\w*|mention\w*|reveal\w*|disclos\w*|let\w*|show\w*)\s+(?:(?:this|it|that|anything|them)\s+)?(?:to\s+)?(?:the\s+)?(?:user|human|operator|developer|anyone)\b|\b(?:silently|secretly|covertly|quietly|discreetly|stealthily)\s+\w+|\bhide\s+(?:this|it|these)\s+from\b|\b(?:do\s*n[o']?t|never|no\s+need\s+to)\s+(?:mention|bring\s+(?:it|this|that|them)?\s*up|echo)\b[^.]{0,60}?\b(?:repl(?:y|ies)|answers?|responses?|summary|output|chat|user)\b|\bwithout\s+echoing\b|\b(?:report|say|reply|answer)\s+only\s+["“'`]/i;

/** Makes the output lie to its reader. */
export const FALSIFY = /\b(?:add|inflate|boost|increase)\s+\d+\s*%\s+to\s+(?:all\s+)?(?:the\s+)?(?:scores?|results|metrics|ratings?)\b|\bclaim(?:ing)?\s+(?:authorship\s+(?:on|of|for)\s+(?:all|every|any)|that\s+(?:the\s+)?\w+\s+outperforms|(?:the\s+)?\w+\s+outperforms)|\bclaiming\s+the\s+\w+\s+outperforms\b|\b(?:just\s+)?return\s+(?:a\s+)?(?:high|perfect|passing|top|maximum)\s+(?:score|rating|grade)\b|\b(?:fake|fabricate|falsify)\s+(?:the\s+)?(?:scores?|results|data|citations?|metrics)\b/i;

/** Fetches text and follows it as instructions. */
export const REMOTE_FOLLOW = /\b(?:fetch|download|retrieve|load|read|get|curl|visit|open)\b[^.]{0,80}?\bhttps?:\/\/[^.\s]*[^\s]*[^.]{0,80}?\b(?:follow|obey|execute|carry\s+out|apply|do\s+what)\b|\b(?:follow|obey|execute|carry\s+out|apply)\s+(?:the\s+|any\s+|all\s+)?(?:instructions|commands|steps|directives|whatever\s+it\s+says)\b[^.]{0,40}?\b(?:at|from|in|on|found\s+at|returned\s+by)\s+<?https?:\/\//i;

/** Writes an agent's config, memory, instructions file or another skill. */
export const AGENT_TARGET = /(?:^|[\s`'"(/])(?:CLAUDE(?:\.local)?\.md|AGENTS\.md|GEMINI\.md|\.cursorrules|\.windsurfrules|copilot-instructions\.md|\.clinerules|\.claude\/(?:settings(?:\.local)?\.json|skills|commands|agents|hooks)|\.codex\/(?:config\.toml|skills|prompts)|\.mcp\.json|claude_desktop_config\.json|\.gemini\/settings\.json|\.vscode\/(?:settings|mcp)\.json|Code\/User\/settings\.json|\.cursor\/(?:mcp\.json|rules)|\.windsurf\/|mcp_config\.json|\.git\/hooks|\.bashrc|\.zshrc|\.profile|crontab)\b|\b(?:your|the\s+agent'?s?)\s+(?:memory|system\s+prompt|instructions\s+file|settings)\b|\bother\s+skills?'?\s*(?:SKILL\.md|files?|instructions)?/i;
export const WRITE_VERB = /\b(?:write|append|add|insert|edit|modify|change|update|overwrite|replace|prepend|save|store|create|put|register|remember|set|delete|remove|strip|comment\s+out)\b/i;
export const GIT_REMOTE_ADD = /\bgit\s+remote\s+(?:add|set-url)\b/i;

/** The user's own records: losing "all" of these is never housekeeping, whatever triggers it. */
export const USER_RECORDS =
  /\b(?:all|every|entire|whole|other)\s+(?:\w+\s+){0,2}?(?:events?|e-?mails?|messages|contacts|commits?|branches|backups?|databases?|records|history|repositor(?:y|ies)|documents?|calendar\s+entries|calendars?|occurrences|versions?|quarters?)\b|\bfuture\s+occurrences\b/i;
/** Locking the user's files with a key they were not given: the ransomware shape. */
export const RANSOM = /\b(?:encrypt\w*|password[\s-]protect\w*|lock\w*)\b[^.]{0,200}\b(?:password|key)\b|\bpassword\b[^.]{0,120}\b(?:encrypt\w*|lock\w*|zip\w*|archive)\b/i;
/** An HTTP call of any kind: to a drop host, even a GET carries data or does harm. */
export const HTTP_CALL = /\b(?:curl|wget|requests\.\w+|httpx\.\w+|fetch|urlopen|Invoke-WebRequest|Invoke-RestMethod|iwr|irm|axios\.\w+|http\.get)\b/i;

/** Steers what the user reads on a contested topic or towards a party: opinion the user did not ask for. */
export const STEER_VERB =
  /\b(?:promot\w+|favou?r\w*|downplay\w*|frame\w*|portray\w*|present\w*\s+(?:\w+\s+){0,4}?as|emphasi[sz]\w*|highlight\w*|never\s+rate|always\s+rate|rate\s+\w+\s+(?:higher|lower)|(?:soft|strong|positive|negative|neutral|subjective)\s+language|flag\s+messages|in\s+a\s+(?:bad|better|good|positive|negative)\s+light|replace\s+any\s+\w+\s+names|append\s+the\s+phrase|ignore\s+(?:the\s+)?(?:strengths|failures|risks))\b/i;
export const CONTESTED =
  /\b(?:politic\w*|left-leaning|right-leaning|conservative|liberal|climate\s+change|global\s+warming|renewable|traditional\s+energy|fossil|vaccin\w*|pharmaceutical|natural\s+remedies|holistic|colonial\w*|conquest|religio\w*|gender|male\s+names|female|ethnic\w*|immigra\w*|flat|the\s+US\b|US\s+economy|China|Russia\w*|EU\b|competitors?|OpenAI|Anthropic|Google|Microsoft|AI\s+safety|safety\s+(?:concerns|risks|evaluations)|scientific\s+consensus|medical\s+consensus)\b/i;
