import type { Rule } from "../types.js";
import { SCRIPTS_PROSE_CONFIG } from "./common.js";

export const cryptoMiningRules: Rule[] = [
  {
    id: "SR-MINER-001",
    title: "Cryptominer binary",
    category: "crypto-mining",
    severity: "critical",
    message: "Names a cryptocurrency miner (xmrig, cpuminer, ethminer...).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["xmrig", "xmr-stak", "cpuminer", "minerd", "cgminer", "bfgminer", "ethminer", "nbminer", "lolminer", "phoenixminer", "nanominer", "srbminer", "teamredminer", "gminer"],
    pattern: /\b(?:xmrig|xmr-stak|cpuminer(?:-multi)?|minerd|cgminer|bfgminer|ethminer|nbminer|lolminer|phoenixminer|nanominer|srbminer(?:-multi)?|teamredminer|gminer)\b/gi,
    examples: {
      positive: ["./xmrig -o pool.example.invalid:3333 -u WALLET"],
      negative: ["The data-mining notebook needs pandas."],
    },
  },
  {
    id: "SR-MINER-002",
    title: "Mining pool",
    category: "crypto-mining",
    severity: "critical",
    message: "Connects to a mining pool (stratum protocol or a known pool host).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["stratum", "minexmr", "supportxmr", "nanopool", "2miners", "f2pool", "moneroocean", "hashvault", "herominers", "unmineable", "nicehash"],
    pattern: /\bstratum\+(?:tcp|ssl|tls):\/\/|\b(?:pool\.minexmr\.com|supportxmr\.com|nanopool\.org|2miners\.com|f2pool\.com|moneroocean\.stream|hashvault\.pro|herominers\.com|unmineable\.com|nicehash\.com)\b/gi,
    examples: {
      positive: ["POOL=stratum+tcp://pool.example.invalid:3333"],
      negative: ["DB=postgres://localhost:5432/app"],
    },
  },
  {
    id: "SR-MINER-003",
    title: "Miner configuration",
    category: "crypto-mining",
    severity: "critical",
    message: "Miner settings (donate-level, RandomX/CryptoNight algorithm with a pool or wallet).",
    fix: "Remove it.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    keywords: ["donate-level", "rx/0", "cryptonight", "randomx"],
    pattern: /--donate-level\b|"donate-level"\s*:|(?:-a|--algo)[= ]\s*["']?(?:rx\/0|cryptonight|randomx|cn\/r)\b|"algo"\s*:\s*"(?:rx\/0|cryptonight|randomx)"/gi,
    examples: {
      positive: ["./svc --donate-level 1 -a rx/0 -o pool.example.invalid:443"],
      negative: ["./svc --log-level 1"],
    },
  },
  {
    id: "SR-MINER-004",
    title: "Monero wallet address",
    category: "crypto-mining",
    severity: "medium",
    message: "Contains a Monero wallet address (often the payout address of a miner).",
    fix: "Remove it unless the skill is about that wallet, and say why it is there.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "fact",
    pattern: /\b4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}\b/g,
    examples: {
      positive: ["WALLET=4" + "A".repeat(94)],
      negative: ["WALLET=unset"],
    },
  },
];
