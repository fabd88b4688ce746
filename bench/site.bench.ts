/**
 * `npm run bench site`: build the static site (index, catalog pages, search) of generated
 * registries of 1,000 and 10,000 skills, and print wall time and peak memory.
 * Target (issue 6): 10,000 skills in at most 60 s and 2 GiB on 2 cores.
 *
 * The registry facts are generated in memory (real signed tag objects, real file bytes) rather
 * than read from a git repository: what is measured is the site build, which starts from facts.
 * Each size runs in a child process so its peak memory (ru_maxrss) is its own; the Astro render
 * runs in a grandchild whose peak is reported too.
 */
import { generateKeyPairSync } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gitObjectId } from "../registry/git/objects.js";
import type { PublishedVersionFacts, RegistryFacts } from "../registry/index/gather.js";
import { buildSiteFromFacts } from "../registry/site-build/build.js";
import { ed25519Blob } from "../registry/trust/ssh-keys.js";
import { signSshsig } from "../registry/trust/sshsig.js";
import { buildTagPayload, taggerFor } from "../registry/trust/tags.js";

const SIZES = [1_000, 10_000];
const SKILLS_PER_SCOPE = 100;
const MiB = 1024 * 1024;

function skillMd(name: string, version: string, i: number): string {
  return `---
name: ${name}
description: Generated skill number ${i} that formats, checks and deploys service ${i % 97} safely
license: Apache-2.0
allowed-tools: Bash(scripts/run.sh) Read
metadata:
  version: "${version}"
---

# ${name}

Use this skill when the user asks to check or deploy service ${i % 97}.

## Steps

1. Read \`config/service-${i % 97}.yaml\` and check the fields listed below.
2. Run \`scripts/run.sh --check\` and read its report.
3. When the report is clean, run \`scripts/run.sh --deploy\` and wait for it to finish.

| field | meaning |
|-------|---------|
| name | the service name |
| replicas | how many copies run |

\`\`\`bash
scripts/run.sh --check
\`\`\`

## Guardrails

- Reads files in the project only; never writes outside it.
- Asks before deploying.
`;
}

const RUN_SH = `#!/bin/sh
set -eu
case "\${1:-}" in
  --check) echo "checking" ;;
  --deploy) echo "deploying" ;;
  *) echo "usage: run.sh --check|--deploy" >&2; exit 2 ;;
esac
`;

/** Facts of a registry of `count` skills: every 10th has a second version. */
function generateFacts(count: number): RegistryFacts {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "jwk" }).x!;
  const blob = ed25519Blob(Buffer.from(raw, "base64url"));
  const principal = "publisher@bench.example";
  const scopes = Math.ceil(count / SKILLS_PER_SCOPE);
  const scopeTexts = new Map<string, string>();
  for (let s = 0; s < scopes; s++) {
    scopeTexts.set(`team-${s}`, `scope: team-${s}\nvisibility: public\nmembers:\n  ${principal}: owner\n`);
  }
  const enc = new TextEncoder();
  const versions: PublishedVersionFacts[] = [];
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < count; i++) {
    const scope = `team-${Math.floor(i / SKILLS_PER_SCOPE)}`;
    const name = `skill-${i}`;
    for (const version of i % 10 === 0 ? ["1.0.0", "1.1.0"] : ["1.0.0"]) {
      const files = [
        { path: "SKILL.md", mode: "100644", bytes: enc.encode(skillMd(name, version, i)) },
        { path: "scripts/run.sh", mode: "100755", bytes: enc.encode(RUN_SH) },
      ].map((f) => ({ ...f, oid: gitObjectId("blob", f.bytes) }));
      const tree = gitObjectId("tree", enc.encode(files.map((f) => `${f.mode} ${f.path} ${f.oid}`).join("\n")));
      const publishedAt = new Date(start + (i * 2 + versions.length) * 60_000);
      const payload = buildTagPayload({
        object: tree,
        type: "tree",
        tag: `@${scope}/${name}@${version}`,
        tagger: taggerFor(principal, publishedAt),
        message: `release @${scope}/${name}@${version}\n`,
      });
      const tagBytes = Buffer.concat([payload, Buffer.from(signSshsig(payload, privateKey, blob, "git"))]);
      const tagObjectId = gitObjectId("tag", tagBytes);
      versions.push({
        scope,
        name,
        version,
        publishFile: `publish/${scope}/${name}/${version}.tag`,
        tagBytes,
        tagObjectId,
        refTagObjectId: tagObjectId,
        tree,
        files,
        treeMissing: false,
        publishedAt: publishedAt.toISOString(),
      });
    }
  }
  return {
    commit: "0".repeat(40),
    configText: `name: bench-registry\nadmins: [${principal}]\n`,
    allowedSignersText: `${principal} namespaces="git" ssh-ed25519 ${blob.toString("base64")}\n`,
    scopeTexts,
    versions,
    strayPublishFiles: [],
  };
}

interface ChildResult {
  skills: number;
  versions: number;
  pages: number;
  generateSeconds: number;
  buildSeconds: number;
  driverPeakBytes: number;
  astroPeakBytes: number;
}

async function child(count: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), "skillreg-bench-site-"));
  try {
    let t = performance.now();
    const facts = generateFacts(count);
    const generateSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const result = await buildSiteFromFacts(facts, [], {
      outDir: join(out, "site"),
      audience: "public",
      baseUrl: "https://skills.bench.example/",
      onProgress: (step) => process.stderr.write(`  › ${step} (${((performance.now() - t) / 1000).toFixed(1)} s)\n`),
    });
    const report: ChildResult = {
      skills: result.skills,
      versions: result.versions,
      pages: result.pages,
      generateSeconds,
      buildSeconds: (performance.now() - t) / 1000,
      driverPeakBytes: process.resourceUsage().maxRSS * 1024,
      astroPeakBytes: result.astroPeakRssBytes,
    };
    process.stdout.write(JSON.stringify(report) + "\n");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function main(): void {
  const self = fileURLToPath(import.meta.url);
  console.log("size     pages   generate   build    driver peak   astro peak");
  for (const count of SIZES) {
    const r = spawnSync(process.execPath, ["--import", "tsx", self, "--child", String(count)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 16 * MiB,
    });
    if (r.status !== 0) {
      console.error(`site bench of ${count} skills failed (exit ${r.status})`);
      process.exit(1);
    }
    const res = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as ChildResult;
    console.log(
      `${String(count).padEnd(8)} ${String(res.pages).padEnd(7)} ${res.generateSeconds.toFixed(1).padStart(6)} s ${res.buildSeconds.toFixed(1).padStart(6)} s ${(res.driverPeakBytes / MiB).toFixed(0).padStart(8)} MiB ${(res.astroPeakBytes / MiB).toFixed(0).padStart(8)} MiB`,
    );
  }
  console.log("target: 10000 skills built in <= 60 s, peak <= 2048 MiB per process");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const childAt = process.argv.indexOf("--child");
  if (childAt >= 0) await child(Number(process.argv[childAt + 1]));
  else main();
}
