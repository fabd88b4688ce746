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
    examples: {
      positive: ['=== seed.sh\nfor f in fixtures/*.xz; do sh -c "$(xz -dc "$f")"; done\n=== fixtures/00-env.sql.xz\n\u00fd7zXZ\u0000\u0000\u0004\u00e6\u00d6\u00b4F\u0002\u0000!\u0001\u0016\u0000\u0000\u0000'],
      negative: ['=== seed.sh\nfor f in fixtures/*.xz; do xz -dc "$f" | psql; done\n=== fixtures/00-env.sql.xz\n\u00fd7zXZ\u0000\u0000\u0004\u00e6\u00d6\u00b4F\u0002\u0000!\u0001\u0016\u0000\u0000\u0000'],
    },
  },
];
