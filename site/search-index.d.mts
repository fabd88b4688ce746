export declare const SEARCH_FORMAT: "skillreg-search/2";
export declare function searchWords(text: string): string[];
export declare function searchIndexFiles(records: readonly { url: string; title: string; description: string; version: string; decision: "blocked" | "review" | "flagged" | "pass" }[]): Map<string, string>;
export declare const searchIndexSchemas: { manifest: object; shard: object; chunk: object };
