/**
 * The catalog's search index: a small manifest, word shards by prefix, and record chunks, all
 * static JSON that site.js reads with fetch. Written here rather than with Pagefind because
 * Pagefind's first query loads a metadata file of about 5 bytes per page (500 KB at 100,000
 * skills, issue 15's goal is < 300 KB); this index needs only names and descriptions, so its
 * first query fetches the manifest, one shard per word (at most SHARD_BYTES each) and the
 * chunks holding the results shown.
 *
 * Layout under search/:
 *   index.json           { format, dir, count, chunk, shards: [key, ...] }  (fetched uncached)
 *   <dir>/t<i>.json      the shard of shards[i]: the words starting with that key, each with
 *                        the ids of its records ([word, posting]); a shard that grew too
 *                        big is split by one more character and keeps the words equal to its
 *                        key plus `prefix`, the ids of every record with a word starting with it
 *   <dir>/r<i>.json      records i*chunk .. i*chunk+chunk-1: [page path, title, description,
 *                        latest version, its scan decision] (a result shows the last two as
 *                        the catalog's cards do)
 * <dir> is a hash of the content, so a browser never mixes files of two builds.
 * A posting is [n, d1, d2, ...]: n records have the word; the ids are the running sums of the
 * deltas, ascending, at most POSTING_CAP of them (fewer than n: the list is cut).
 */
import { createHash } from "node:crypto";

export const SEARCH_FORMAT = "skillreg-search/2";
/** Ids kept per word: enough to fill a page of results after checking the other words. */
const POSTING_CAP = 200;
/** A shard above this size is split by one more character of its words. */
const SHARD_BYTES = 16 * 1024;
/** Records per chunk: 20 results from scattered chunks stay near 100 KB. */
const CHUNK_RECORDS = 32;
/** Longer words are cut here, on both sides (site.js has the same rule). */
const WORD_MAX = 64;

/**
 * The words of a text as search sees them: runs of letters and digits, lower-cased, NFKC.
 * site.js carries the same function (it runs in the browser without a module loader).
 * @param {string} text
 * @returns {string[]}
 */
export function searchWords(text) {
  const found = text.toLowerCase().normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(found.map((w) => w.slice(0, WORD_MAX)))];
}

/** @param {number[]} ids ascending @param {number} n */
function posting(ids, n = ids.length) {
  const kept = ids.slice(0, POSTING_CAP);
  return [n, ...kept.map((id, i) => (i === 0 ? id : id - kept[i - 1]))];
}

/**
 * The files of the index for `records`, in the order given (ids are positions; results show
 * in id order, so the caller's order is the ranking), as site-relative path → JSON text.
 * @param {{ url: string, title: string, description: string, version: string, decision: "blocked" | "review" | "flagged" | "pass" }[]} records
 * @returns {Map<string, string>}
 */
export function searchIndexFiles(records) {
  /** @type {Map<string, number[]>} */
  const ids = new Map();
  records.forEach((r, id) => {
    for (const w of searchWords(`${r.title} ${r.description}`)) {
      const list = ids.get(w);
      if (list) list.push(id);
      else ids.set(w, [id]);
    }
  });
  const encoded = new Map([...ids].map(([w, list]) => [w, JSON.stringify([w, posting(list)])]));
  /** @type {{ key: string, text: string }[]} */
  const shards = [];
  /** @param {string} key @param {string[]} words */
  const place = (key, words) => {
    const size = words.reduce((sum, w) => sum + encoded.get(w).length + 1, 0);
    const longer = words.filter((w) => w.length > key.length);
    if (size <= SHARD_BYTES || longer.length === 0) {
      shards.push({ key, text: `{"words":[${words.map((w) => encoded.get(w)).join(",")}]}` });
      return;
    }
    const exact = words.filter((w) => w.length === key.length);
    // The root has no words and no query term equals it: it needs no shard of its own.
    if (key !== "") {
      const union = [...new Set(words.flatMap((w) => ids.get(w)))].sort((a, b) => a - b);
      shards.push({ key, text: `{"prefix":${JSON.stringify(posting(union))},"words":[${exact.map((w) => encoded.get(w)).join(",")}]}` });
    }
    /** @type {Map<string, string[]>} */
    const groups = new Map();
    for (const w of longer) {
      const next = w.slice(0, key.length) + String.fromCodePoint(/** @type {number} */ (w.codePointAt(key.length)));
      const group = groups.get(next);
      if (group) group.push(w);
      else groups.set(next, [w]);
    }
    for (const [next, group] of groups) place(next, group);
  };
  place("", [...ids.keys()].sort());
  shards.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const chunks = [];
  for (let i = 0; i < records.length; i += CHUNK_RECORDS) {
    chunks.push(JSON.stringify(records.slice(i, i + CHUNK_RECORDS).map((r) => [r.url, r.title, r.description, r.version, r.decision])));
  }
  const hash = createHash("sha256");
  for (const s of shards) hash.update(s.key).update("\0").update(s.text).update("\0");
  for (const c of chunks) hash.update(c).update("\0");
  const dir = hash.digest("hex").slice(0, 16);

  const files = new Map();
  files.set("search/index.json", JSON.stringify({ format: SEARCH_FORMAT, dir, count: records.length, chunk: CHUNK_RECORDS, shards: shards.map((s) => s.key) }));
  shards.forEach((s, i) => files.set(`search/${dir}/t${i}.json`, s.text));
  chunks.forEach((c, i) => files.set(`search/${dir}/r${i}.json`, c));
  return files;
}

const postingSchema = { type: "array", minItems: 1, items: { type: "integer", minimum: 0 } };

/** The JSON Schema of the three kinds of file, by kind: manifest, shard, chunk. */
export const searchIndexSchemas = {
  manifest: {
    type: "object",
    additionalProperties: false,
    required: ["format", "dir", "count", "chunk", "shards"],
    properties: {
      format: { const: SEARCH_FORMAT },
      dir: { type: "string", pattern: "^[0-9a-f]{16}$" },
      count: { type: "integer", minimum: 0 },
      chunk: { type: "integer", minimum: 1 },
      shards: { type: "array", items: { type: "string", maxLength: WORD_MAX }, uniqueItems: true },
    },
  },
  shard: {
    type: "object",
    additionalProperties: false,
    required: ["words"],
    properties: {
      prefix: postingSchema,
      words: {
        type: "array",
        items: { type: "array", items: [{ type: "string", minLength: 1, maxLength: WORD_MAX }, postingSchema], minItems: 2, additionalItems: false },
      },
    },
  },
  chunk: {
    type: "array",
    items: {
      type: "array",
      items: [{ type: "string" }, { type: "string" }, { type: "string" }, { type: "string" }, { enum: ["blocked", "review", "flagged", "pass"] }],
      minItems: 5,
      additionalItems: false,
    },
  },
};
