// The catalog's only script: offline search over the index in search/ (site/search-index.mjs),
// and copy buttons.
// Everything shown comes from skill authors, so results are built with textContent only.
(() => {
  "use strict";

  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select and copy";
      }
      setTimeout(() => (button.textContent = "Copy"), 2000);
    });
  }

  const form = document.querySelector("form[data-search]");
  if (!form) return;
  const input = form.querySelector("input[type=search]");
  const status = form.querySelector(".search-status");
  const list = form.querySelector(".search-results");
  const base = new URL(form.dataset.base, location.href);
  // The scan decision's words as the page's badges say them (scanner/words.ts, put in the form by the page).
  const decisionWords = JSON.parse(form.dataset.decisionWords ?? "{}");
  const SHOWN = 20;
  // Words looked up in the index; further words of a query only filter the records fetched.
  const LOOKED_UP = 6;
  // Record chunks one query may fetch while checking candidates, so a query stays small.
  const CHUNK_BUDGET = 24;

  // The same rule as searchWords in site/search-index.mjs, which built the index.
  function words(text) {
    const found = text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) || [];
    return [...new Set(found.map((w) => w.slice(0, 64)))];
  }

  const files = new Map();
  function fetchJson(path, fresh) {
    if (!files.has(path)) {
      const url = new URL(`search/${path}`, base);
      const loaded = fetch(url, fresh ? { cache: "no-cache" } : {}).then((r) => {
        if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
        return r.json();
      });
      loaded.catch(() => files.delete(path));
      files.set(path, loaded);
    }
    return files.get(path);
  }

  /** [n, d1, d2, ...] → ascending ids */
  function ids(posting) {
    const out = [];
    for (let i = 1, id = 0; i < posting.length; i++) out.push((id += posting[i]));
    return out;
  }

  /**
   * The records with a word starting with `term`: { ids, complete, upTo, n }. A cut list holds
   * the lowest ids of the whole one, so the ids are exact up to `upTo` (the lowest last id of
   * the cut lists): an id at or below it that is not listed does not match.
   */
  async function lookUp(manifest, term) {
    let at = -1;
    manifest.shards.forEach((key, i) => {
      if (term.startsWith(key) && (at < 0 || key.length > manifest.shards[at].length)) at = i;
    });
    if (at < 0) return { ids: [], complete: true, upTo: Infinity, n: 0 };
    const shard = await fetchJson(`${manifest.dir}/t${at}.json`);
    const postings = shard.words.filter(([word]) => word.startsWith(term)).map(([, posting]) => posting);
    if (shard.prefix && term === manifest.shards[at]) postings.push(shard.prefix);
    const found = new Set();
    let upTo = Infinity;
    for (const p of postings) {
      const list = ids(p);
      for (const id of list) found.add(id);
      if (list.length < p[0]) upTo = Math.min(upTo, list[list.length - 1]);
    }
    const complete = upTo === Infinity;
    // n: how many records match, or when the lists are cut, at most how many.
    return { ids: [...found].sort((a, b) => a - b), complete, upTo, n: complete ? found.size : postings.reduce((sum, p) => sum + p[0], 0) };
  }

  /** The first SHOWN records matching every word, and how many match when that is known. */
  async function search(query) {
    const terms = words(query);
    const manifest = await fetchJson("index.json", true);
    const looked = [...terms].sort((a, b) => b.length - a.length).slice(0, LOOKED_UP);
    const sets = await Promise.all(looked.map((t) => lookUp(manifest, t)));
    for (const s of sets) s.has = new Set(s.ids);
    const complete = sets.filter((s) => s.complete);
    // The candidates: every match (a whole list), or the matches of the rarest word's cut list
    // up to where it is exact; then dropped where a list already says no.
    const from = complete.length > 0 ? complete[0] : sets.reduce((a, b) => (b.n < a.n ? b : a));
    const candidates = from.ids.filter((id) => id <= from.upTo && sets.every((s) => s.has.has(id) || id > s.upTo));
    // Every match is a candidate when one looked-up word's list is whole; the candidates are
    // then exactly the matches when every word was looked up and every list is whole.
    const exact = looked.length === terms.length && complete.length === sets.length;
    const shown = [];
    const chunks = new Set();
    let checked = 0;
    for (const id of candidates) {
      if (shown.length === SHOWN) break;
      const chunk = Math.floor(id / manifest.chunk);
      if (!chunks.has(chunk) && chunks.size === CHUNK_BUDGET) break;
      chunks.add(chunk);
      const record = (await fetchJson(`${manifest.dir}/r${chunk}.json`))[id % manifest.chunk];
      const recordWords = words(`${record[1]} ${record[2]}`);
      if (terms.every((t) => recordWords.some((w) => w.startsWith(t)))) shown.push(record);
      checked++;
    }
    const total = exact ? candidates.length : complete.length > 0 && checked === candidates.length ? shown.length : null;
    return { shown, total };
  }

  function show(records, total, query) {
    list.replaceChildren();
    for (const [path, title, description, version, decision] of records) {
      const li = document.createElement("li");
      // The name, the latest version and its scan badge, as the catalog's skill cards show them.
      const head = document.createElement("div");
      head.className = "skill-card-head";
      const a = document.createElement("a");
      const target = new URL(path, base);
      // Only a page of this site: the index is built from hostile text.
      if (target.origin === location.origin) a.href = target.href;
      a.textContent = title;
      const shownVersion = document.createElement("span");
      shownVersion.className = "version";
      shownVersion.textContent = version;
      head.append(a, shownVersion);
      // A class only for a decision the page knows: the value comes from the index.
      if (Object.hasOwn(decisionWords, decision)) {
        const badges = document.createElement("span");
        badges.className = "badges";
        const badge = document.createElement("span");
        badge.className = `badge badge-${decision}`;
        badge.textContent = decisionWords[decision];
        badges.append(badge);
        head.append(badges);
      }
      const p = document.createElement("p");
      p.textContent = description;
      li.append(head, p);
      list.append(li);
    }
    list.hidden = records.length === 0;
    const n = records.length;
    const skills = (k) => `${k} skill${k === 1 ? "" : "s"}`;
    if (query === "") status.textContent = "";
    else if (n === 0) status.textContent = `No skill matches “${query}”.`;
    else if (total === null) status.textContent = `Showing ${skills(n)} that match “${query}”; more may match: add a word to narrow the search.`;
    else status.textContent = `${skills(total)} ${total === 1 ? "matches" : "match"} “${query}”${total > n ? `, showing the first ${n}` : ""}.`;
  }

  let latest = 0;
  let timer;
  async function run() {
    const query = input.value.trim();
    const mine = ++latest;
    // The query in the address, so a search can be shared and Back from a result finds it again.
    const address = new URL(location.href);
    if (query === "") address.searchParams.delete("q");
    else address.searchParams.set("q", query);
    if (address.href !== location.href) history.replaceState(null, "", address);
    if (words(query).length === 0) return show([], 0, query === "" ? "" : query);
    try {
      const { shown, total } = await search(query);
      if (mine === latest) show(shown, total, query); // else a newer query superseded this one
    } catch (e) {
      if (mine !== latest) return;
      status.textContent = "Search is unavailable on this copy of the site.";
      console.warn(e);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();
