/**
 * Data files a script runs as code (scanner/analysis/data-run.ts). Readable ones are scanned as
 * the code they become, by every rule; this rule is for the one that cannot be read.
 */
import type { Rule } from "../types.js";

export const dataRunRules: Rule[] = [
  {
    id: "SR-DECODE-016",
    title: "Unreadable file named as data run as code",
    category: "decode-execute",
    severity: "critical",
    message: "A script of the skill runs as code what a file named as data (an image, a fixture, a compressed table) holds, and its content cannot be read: code disguised as data, hidden from review.",
    fix: "Ship the code as a plain script beside the data, and load data as data.",
    fileKinds: ["binary"],
    context: "fact",
    analysis: true,
    examples: { positive: ["=== fixtures/00-env.sql.xz (run by seed.sh with sh -c)\n"], negative: ["=== fixtures/00-env.sql.xz (loaded by psql)\n"] },
  },
];
