// The catalog's only script: offline search over the Pagefind index, and copy buttons.
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
  const base = form.dataset.base;
  let pagefind;

  async function load() {
    if (!pagefind) {
      pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.options({ baseUrl: base, excerptLength: 24 });
      await pagefind.init();
    }
    return pagefind;
  }

  function show(items, query) {
    list.replaceChildren();
    for (const item of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.meta.title || item.url;
      const p = document.createElement("p");
      p.textContent = item.meta.description || "";
      li.append(a, p);
      list.append(li);
    }
    list.hidden = items.length === 0;
    status.textContent = query === "" ? "" : items.length === 0 ? `No skill matches “${query}”.` : `${items.length} skill${items.length === 1 ? " matches" : "s match"} “${query}”.`;
  }

  async function run() {
    const query = input.value.trim();
    if (query === "") return show([], "");
    try {
      const pf = await load();
      const search = await pf.debouncedSearch(query, {}, 150);
      if (search === null) return; // a newer query superseded this one
      show(await Promise.all(search.results.slice(0, 20).map((r) => r.data())), query);
    } catch (e) {
      status.textContent = "Search is unavailable on this copy of the site.";
      console.warn(e);
    }
  }

  input.addEventListener("input", run);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) {
    input.value = initial;
    run();
  }
})();
