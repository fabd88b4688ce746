import { describe, expect, it } from "vitest";
import { validatorFor } from "../../registry/core/schema.js";
import { searchIndexFiles, searchIndexSchemas, searchWords } from "../../site/search-index.mjs";

interface Manifest {
  dir: string;
  count: number;
  chunk: number;
  shards: string[];
}
type Posting = number[];

/**
 * The ids the index gives for the words starting with `term`, read as site.js reads them; a
 * cut list is exact up to `upTo`.
 */
function lookUp(files: Map<string, string>, term: string): { ids: number[]; complete: boolean; upTo: number } {
  const manifest = JSON.parse(files.get("search/index.json")!) as Manifest;
  const keys = manifest.shards.filter((k) => term.startsWith(k));
  if (keys.length === 0) return { ids: [], complete: true, upTo: Infinity };
  const key = keys.reduce((a, b) => (b.length > a.length ? b : a));
  const shard = JSON.parse(files.get(`search/${manifest.dir}/t${manifest.shards.indexOf(key)}.json`)!) as { prefix?: Posting; words: [string, Posting][] };
  const postings = shard.words.filter(([word]) => word.startsWith(term)).map(([, posting]) => posting);
  if (shard.prefix && term === key) postings.push(shard.prefix);
  const ids = new Set<number>();
  let upTo = Infinity;
  for (const p of postings) {
    const last = p.slice(1).reduce((id, d) => (ids.add(id + d), id + d), 0);
    if (p.length - 1 < p[0]!) upTo = Math.min(upTo, last);
  }
  return { ids: [...ids].sort((a, b) => a - b), complete: upTo === Infinity, upTo };
}

function validate(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, text] of files) {
    const kind = path === "search/index.json" ? "manifest" : /\/t\d+\.json$/.test(path) ? "shard" : "chunk";
    const check = validatorFor(searchIndexSchemas[kind]);
    if (!check(JSON.parse(text))) problems.push(`${path}: ${JSON.stringify(check.errors)}`);
  }
  return problems;
}

const record = (i: number, description: string) => ({ url: `skills/team-${i % 7}/skill-${i}.html`, title: `@team-${i % 7}/skill-${i}`, description, version: `1.${i}.0`, decision: "pass" as const });

describe("the search index", () => {
  it("cuts text into lower-cased words of letters and digits, the same way for records and queries", () => {
    expect(searchWords("Deploys the Staging-Cluster, ÉTÉ ﬁle 42x <b>")).toEqual(["deploys", "the", "staging", "cluster", "été", "file", "42x", "b"]);
    expect(searchWords("a".repeat(100))).toEqual(["a".repeat(64)]);
  });

  it("holds hostile words and text as data: JSON files that match their schema", () => {
    const records = [
      record(0, `__proto__ constructor hasOwnProperty <img src=x onerror="alert(1)"> "quoted" \\ back\u2028slash`),
      record(1, "toString valueOf"),
    ];
    const files = searchIndexFiles(records);
    expect(validate(files)).toEqual([]);
    expect(lookUp(files, "__proto__")).toEqual({ ids: [], complete: true, upTo: Infinity }); // "_" is not a word character
    expect(lookUp(files, "proto")).toEqual({ ids: [0], complete: true, upTo: Infinity });
    expect(lookUp(files, "constructor")).toEqual({ ids: [0], complete: true, upTo: Infinity });
    expect(lookUp(files, "tostring")).toEqual({ ids: [1], complete: true, upTo: Infinity });
    expect(lookUp(files, "onerror")).toEqual({ ids: [0], complete: true, upTo: Infinity });
    const manifest = JSON.parse(files.get("search/index.json")!) as Manifest;
    expect(JSON.parse(files.get(`search/${manifest.dir}/r0.json`)!)).toEqual(records.map((r) => [r.url, r.title, r.description, r.version, r.decision]));
  });

  it("splits big shards by prefix and finds every word and every prefix, exactly up to where a list is cut", () => {
    // Many numbers (long runs of shared prefixes) and a few words every record has.
    const records = Array.from({ length: 6000 }, (_, i) => record(i, `checks and deploys service ${i % 97} number ${i * 7919}`));
    const files = searchIndexFiles(records);
    expect(validate(files)).toEqual([]);
    const manifest = JSON.parse(files.get("search/index.json")!) as Manifest;
    expect(manifest.count).toBe(6000);
    expect(manifest.shards.length).toBeGreaterThan(10);
    for (const [path, text] of files) if (path.includes("/t")) expect(text.length, path).toBeLessThan(20 * 1024);

    const truth = (term: string) => records.flatMap((r, id) => (searchWords(`${r.title} ${r.description}`).some((w) => w.startsWith(term)) ? [id] : []));
    for (const term of ["deploys", "d", "service", "7919", "79", "4", "team", "skill", "5999", "1234"]) {
      const expected = truth(term);
      const found = lookUp(files, term);
      expect(found.complete, term).toBe(expected.length <= 200);
      if (found.complete) expect(found.ids, term).toEqual(expected);
      else {
        // Enough ids to fill a page of results, and exactly the true ones up to upTo.
        expect(found.ids.filter((id) => id <= found.upTo).length, term).toBeGreaterThanOrEqual(20);
        expect(found.ids.filter((id) => id <= found.upTo), term).toEqual(expected.filter((id) => id <= found.upTo));
      }
    }
    expect(lookUp(files, "zebra")).toEqual({ ids: [], complete: true, upTo: Infinity });
  });

  it("names its folder by its content: the same records give the same files", () => {
    const a = searchIndexFiles([record(1, "one"), record(2, "two")]);
    expect(searchIndexFiles([record(1, "one"), record(2, "two")])).toEqual(a);
    const b = searchIndexFiles([record(1, "one"), record(2, "three")]);
    expect(JSON.parse(b.get("search/index.json")!).dir).not.toBe(JSON.parse(a.get("search/index.json")!).dir);
  });
});
