/**
 * A URL whose query or path carries a secret variable's value (`?k=<STRIPE_SECRET_KEY>`,
 * `/v/${GITHUB_TOKEN}`) on a host that is not the secret's own service: requesting it, in any
 * language and whatever verb opens the step ("open", "verify", "visit", "otwórz"), sends the
 * secret to that host. The service is read from the variable's vendor prefix (STRIPE_, GITHUB_,
 * OPENAI_): `https://api.stripe.com/…?key=<STRIPE_SECRET_KEY>` is the key's use, while a
 * "key checker" on another domain is its theft. A prefix-less placeholder (`<API_KEY>`) is the
 * skill's own configured key in its API's call and is left to the other rules.
 */

/** Bounded: at most 400 characters a URL, 80 a slot. */
const URL_WITH_SLOT = /\bhttps?:\/\/([^\s/?#:`'"<>]{1,200})[^\s`'"]{0,400}?(?:<|\$\{|\{|\$)([A-Z][A-Z0-9]{1,30})_(?:[A-Z0-9]+_){0,3}(?:SECRET|TOKEN|KEY|PASSWORD|PASS|PAT|CREDENTIALS?)(?:_[A-Z0-9]+){0,2}\b/g;
/** Prefixes that name no vendor: the variable is the skill's own. */
const GENERIC_PREFIX = /^(?:API|APP|MY|USER|CLIENT|SECRET|ACCESS|AUTH|PRIVATE|PUBLIC|SERVICE|BOT|WEBHOOK|SIGNING|SESSION|MASTER|ADMIN|DB|DATABASE|PROD|DEV|TEST|LOCAL|YOUR)$/;

/** The slot URL and its host when a vendor's secret is put in a URL of another host. */
export function foreignSecretSlot(text: string): { url: string; host: string } | undefined {
  for (const m of text.matchAll(URL_WITH_SLOT)) {
    const host = m[1]!.toLowerCase();
    const vendor = m[2]!.toLowerCase();
    if (GENERIC_PREFIX.test(m[2]!)) continue;
    // The registrable label of the host (`api.stripe.com` → `stripe`); a vendor's own domains may join a word to its
    // name (`googleapis`, `githubusercontent`), a look-alike joins it with a hyphen (`stripe-key-check`).
    const sld = host.split(".").slice(-2, -1)[0] ?? "";
    if (sld === vendor || (!sld.includes("-") && sld.length >= 3 && (sld.startsWith(vendor) || vendor.startsWith(sld)))) continue;
    return { url: m[0], host };
  }
  return undefined;
}
