/**
 * `npm run bench pull`: the cost of `skillreg pull` and of the publish gate must grow with the
 * skill, not the registry.
 *
 * Generates two real registries (10,000 skills x 3 versions, 100,000 with --large, and 10
 * skills x 3 versions) with
 * real signed tags, serves each through the real `git http-backend` and its index over HTTP,
 * then times the built binary pulling one pinned skill from each, 20 skills in one command,
 * and the git CLI fetching the same tag over the same HTTP server; then counts the bytes
 * `skillreg outdated` transfers when it resolves 20 locked skills again; last, the same
 * one-skill pull request on both registries and `skillreg registry check` timed on each.
 * Targets (issue 15): pull <= 3x git fetch, 20 skills <= 3x one, peak < 150 MB, <= 1 KB per
 * unchanged skill, gate on the large registry <= 2x on the small one.
 *
 * Generation is fast because nothing is spawned per object: blobs, trees, signed tag objects
 * (our own signTag, node:crypto ed25519) and commits are written by Node into one packfile,
 * indexed with one `git index-pack`; refs go into packed-refs.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";
import { parseRegistryConfig, parseScopes } from "../registry/core/config/load.js";
import { gitObjectId, type ObjectType } from "../registry/git/objects.js";
import { writeIndex } from "../registry/index/build.js";
import { generateCodeowners } from "../registry/publish/codeowners.js";
import { streamRegistryFacts } from "../registry/index/gather.js";
import { loadSigner, type Signer } from "../registry/trust/signer.js";
import { buildTagPayload, signTag, taggerFor } from "../registry/trust/tags.js";
import { startGitHttp } from "../test/helpers/git-http.js";
import { skillMd } from "../test/helpers/skill-md.js";
import { craftPublish } from "../test/publish/registry-helpers.js";
import { LARGE, median, reportTarget } from "./targets.js";
import { loadScanner } from "../registry/core/scanner.js";

// The registry scans through the scanner it loads on demand (registry/core/scanner.ts).
await loadScanner();

const VERSIONS = ["1.0.0", "1.1.0", "2.0.0"];
const SKILLS_PER_SCOPE = 100;
const RUNS = 5;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/skillreg.js");
const PRINCIPAL = "bench@registry.example";
/**
 * `node --import tsx bench/pull.bench.ts [--large] --gate`: the registries and the gate only
 * (no index, no pulls), for the 100,000-skill gate whose full pull bench runs for long.
 */
const GATE_ONLY = process.argv.includes("--gate");

const TYPE_CODE: Record<ObjectType, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** Objects of one repository, written at the end as a single packfile. */
class PackWriter {
  private readonly objects = new Map<string, { type: ObjectType; bytes: Buffer }>();

  add(type: ObjectType, bytes: Buffer): string {
    const oid = gitObjectId(type, bytes);
    if (!this.objects.has(oid)) this.objects.set(oid, { type, bytes });
    return oid;
  }

  /** A tree from name -> (mode, oid), in git's order (folders sort as "name/"). */
  tree(entries: { mode: string; name: string; oid: string }[]): string {
    const key = (e: { mode: string; name: string }) => (e.mode === "40000" ? `${e.name}/` : e.name);
    const sorted = [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return this.add("tree", Buffer.concat(sorted.map((e) => Buffer.concat([Buffer.from(`${e.mode} ${e.name}\0`), Buffer.from(e.oid, "hex")]))));
  }

  /** The pack is written as it is made (a 100,000-skill registry's would not fit in one Buffer twice over). */
  write(gitDir: string): void {
    const path = join(gitDir, "objects/pack/generated.pack");
    const fd = openSync(path, "w");
    const sha1 = createHash("sha1");
    const put = (b: Buffer) => {
      sha1.update(b);
      writeSync(fd, b);
    };
    const header = Buffer.alloc(12);
    header.write("PACK", 0, "latin1");
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(this.objects.size, 8);
    put(header);
    for (const { type, bytes } of this.objects.values()) {
      let size = bytes.length;
      const head = [(TYPE_CODE[type] << 4) | (size & 0x0f)];
      size >>= 4;
      while (size > 0) {
        head[head.length - 1]! |= 0x80;
        head.push(size & 0x7f);
        size >>= 7;
      }
      put(Buffer.concat([Buffer.from(head), deflateSync(bytes, { level: 1 })]));
    }
    writeSync(fd, sha1.digest());
    closeSync(fd);
    execFileSync("git", ["index-pack", path], { cwd: gitDir, stdio: "ignore" });
  }
}

function generatedSkillMd(name: string, version: string, i: number): string {
  return skillMd(name, version, "Run `scripts/check.sh` and read its report.", {
    description: `Generated skill ${i} that checks and formats service ${i % 97} files.`,
    allowedTools: null,
    guardrails: "Reads files in the project only.",
  });
}

/** A registry repository of `count` skills, each published at every version in VERSIONS. */
export async function generateRegistry(dir: string, count: number, signer: Signer): Promise<void> {
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", dir]);
  const pack = new PackWriter();
  const blob = (text: string) => pack.add("blob", Buffer.from(text));
  const scopes = Math.ceil(count / SKILLS_PER_SCOPE);
  const scopeName = (s: number) => `scope-${String(s).padStart(3, "0")}`;
  const skillName = (i: number) => `skill-${String(i).padStart(5, "0")}`;
  const refs: string[] = [];
  const publish = new Map<string, Map<string, Map<string, string>>>(); // scope -> name -> version.tag -> oid
  const configText = `name: bench\nadmins: [${PRINCIPAL}]\n`;
  const config = blob(configText);
  const signers = blob(`${PRINCIPAL} namespaces="git" ${signer.publicKey}\n`);
  const scopeFiles = Array.from({ length: scopes }, (_, s) => ({
    path: `scopes/${scopeName(s)}.yaml`,
    content: `scope: ${scopeName(s)}\nvisibility: public\nmembers:\n  ${PRINCIPAL}: owner\n`,
  }));
  const scopeTree = pack.tree(scopeFiles.map((f) => ({ mode: "100644", name: f.path.slice("scopes/".length), oid: blob(f.content) })));
  // The CODEOWNERS the gate expects, so the timed pull request is one it passes (without it
  // the check still does all its work but ends blocked on `codeowners-stale`).
  const github = pack.tree([{ mode: "100644", name: "CODEOWNERS", oid: blob(generateCodeowners(parseRegistryConfig(configText), parseScopes(scopeFiles))) }]);
  let parent: string | undefined;
  for (const [k, version] of VERSIONS.entries()) {
    const when = new Date(Date.UTC(2026, 0, k + 1));
    const skillScopes = new Map<string, { mode: string; name: string; oid: string }[]>();
    for (let i = 0; i < count; i++) {
      const scope = scopeName(Math.floor(i / SKILLS_PER_SCOPE));
      const name = skillName(i);
      const scripts = pack.tree([{ mode: "100755", name: "check.sh", oid: blob(`#!/bin/sh\necho "check ${name} ${version}"\n`) }]);
      const tree = pack.tree([
        { mode: "100644", name: "SKILL.md", oid: blob(generatedSkillMd(name, version, i)) },
        { mode: "40000", name: "scripts", oid: scripts },
      ]);
      const tag = `@${scope}/${name}@${version}`;
      const payload = buildTagPayload({ object: tree, type: "tree", tag, tagger: taggerFor(PRINCIPAL, when), message: `release ${tag}\n` });
      const tagBytes = await signTag(payload, signer);
      const tagOid = pack.add("tag", tagBytes);
      refs.push(`${tagOid} refs/tags/${tag}\n^${tree}\n`);
      const byName = publish.get(scope) ?? new Map<string, Map<string, string>>();
      const versions = byName.get(name) ?? new Map<string, string>();
      versions.set(`${version}.tag`, pack.add("blob", tagBytes));
      byName.set(name, versions);
      publish.set(scope, byName);
      skillScopes.set(scope, [...(skillScopes.get(scope) ?? []), { mode: "40000", name, oid: tree }]);
    }
    const skillsTree = pack.tree([...skillScopes].map(([scope, entries]) => ({ mode: "40000", name: scope, oid: pack.tree(entries) })));
    const publishTree = pack.tree(
      [...publish].map(([scope, names]) => ({
        mode: "40000",
        name: scope,
        oid: pack.tree(
          [...names].map(([name, versions]) => ({
            mode: "40000",
            name,
            oid: pack.tree([...versions].map(([file, oid]) => ({ mode: "100644", name: file, oid }))),
          })),
        ),
      })),
    );
    const root = pack.tree([
      { mode: "40000", name: ".github", oid: github },
      { mode: "100644", name: "skillreg.yaml", oid: config },
      { mode: "100644", name: "allowed_signers", oid: signers },
      { mode: "40000", name: "scopes", oid: scopeTree },
      { mode: "40000", name: "skills", oid: skillsTree },
      { mode: "40000", name: "publish", oid: publishTree },
    ]);
    const stamp = `${Math.floor(when.getTime() / 1000)} +0000`;
    parent = pack.add(
      "commit",
      Buffer.from(`tree ${root}\n${parent ? `parent ${parent}\n` : ""}author Bench <bench@registry.example> ${stamp}\ncommitter Bench <bench@registry.example> ${stamp}\n\nrelease ${version} of every skill\n`),
    );
  }
  pack.write(dir);
  refs.sort((a, b) => (a.split(" ")[1]! < b.split(" ")[1]! ? -1 : 1));
  writeFileSync(join(dir, "packed-refs"), `# pack-refs with: peeled fully-peeled sorted \n${parent} refs/heads/main\n${refs.join("")}`);
}

/**
 * Run a command, returning wall seconds and peak RSS in MB (from /usr/bin/time). Asynchronous:
 * the HTTP server it talks to runs in this process.
 */
function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, okCodes = [0]): Promise<{ seconds: number; peakMb: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn("/usr/bin/time", ["-f", "%M", cmd, ...args], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString("utf8")));
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (!okCodes.includes(code ?? -1)) reject(new Error(`${cmd} ${args.join(" ")} failed: ${stderr}`));
      else resolve({ seconds, peakMb: Number(stderr.trim().split("\n").pop()) / 1024 });
    });
  });
}

/** `skillreg registry check --base main --head pr` on `registry`, timed. */
function gateCheck(registry: string): { seconds: number; code: number | null; out: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, "registry", "check", "--base", "main", "--head", "pr", "--registry", registry], { encoding: "utf8" });
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, code: r.status, out: `${r.stdout}${r.stderr}` };
}

/**
 * The same one-skill pull request (a new version of one skill: its files and its signed
 * publish record, in a signed commit) on the small and the large registry, and the gate's
 * `registry check` timed on both, alternately.
 */
async function gateBench(work: string, signer: Signer): Promise<{ small: number[]; large: number[] }> {
  for (const label of ["small", "large"]) {
    await craftPublish(join(work, `${label}.git`), { branch: "pr", scope: "scope-000", name: "skill-00005", version: "3.0.0", tagSigner: signer, principal: PRINCIPAL, commitSigner: signer });
  }
  const first = gateCheck(join(work, "small.git"));
  console.log(`registry check of a one-skill pull request exits ${first.code}: ${first.out.trim().split("\n").slice(0, 4).join(" | ")}`);
  // The timed change is one the gate passes, as a publisher's pull request would be.
  if (first.code !== 0) throw new Error(`registry check did not pass the bench's pull request:\n${first.out}`);
  gateCheck(join(work, "large.git"));
  const small: number[] = [];
  const large: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    small.push(gateCheck(join(work, "small.git")).seconds);
    large.push(gateCheck(join(work, "large.git")).seconds);
  }
    return { small, large };
}

function reportGate(gate: { small: number[]; large: number[] }, large: number): void {
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(3)} s  (runs ${xs.map((x) => x.toFixed(3)).join(" ")})`;
  console.log(`registry check, 10-skill registry        ${fmt(gate.small)}`);
  console.log(`registry check, ${large.toLocaleString("en")}-skill registry  ${fmt(gate.large)}`);
  reportTarget(`gate-${large / 1000}k-vs-10-skills`, median(gate.large) / median(gate.small), "<=", 2, "x", 1);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "skillreg-bench-pull-"));
  try {
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", PRINCIPAL, "-f", join(work, "key")]);
    const signer = await loadSigner(join(work, "key"));
    const server = await startGitHttp({ gitRoot: work, staticRoot: join(work, "sites") });
    const sizes = { large: LARGE ? 100_000 : 10_000, small: 10 };
    for (const [label, count] of Object.entries(sizes)) {
      let t = Date.now();
      await generateRegistry(join(work, `${label}.git`), count, signer);
      const generated = (Date.now() - t) / 1000;
      if (GATE_ONLY) {
        console.log(`${label}: ${count} skills x ${VERSIONS.length} versions generated in ${generated.toFixed(1)} s`);
        continue;
      }
      t = Date.now();
      // Read and written one batch of skills at a time: 100,000 skills x 3 versions do not fit in memory at once.
      const registry = await streamRegistryFacts(join(work, `${label}.git`));
      const index = await writeIndex(registry.head, registry.skills, { audience: "public", gitUrl: server.gitUrl(`${label}.git`) }, async (path, text) => {
        const file = join(work, "sites", label, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      });
      console.log(`${label}: ${count} skills x ${VERSIONS.length} versions generated in ${generated.toFixed(1)} s, index (${index.files} files) built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    if (GATE_ONLY) {
      await server.close();
      reportGate(await gateBench(work, signer), sizes.large);
      return;
    }

    // Each run pulls into a fresh project with a fresh cache: nothing is reused between runs.
    let runId = 0;
    const project = () => {
      const dir = join(work, "projects", String(runId++));
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    const envFor = (dir: string) => ({ ...process.env, HOME: join(dir, ".home"), XDG_CACHE_HOME: join(dir, ".cache"), XDG_CONFIG_HOME: join(dir, ".config"), NO_COLOR: "1" });
    const pull = (label: string, specs: string[]) => {
      const dir = project();
      return timed(process.execPath, [BIN, "pull", ...specs, "--registry", `${server.url}/${label}`], dir, envFor(dir));
    };
    const ONE = "@scope-000/skill-00005@1.1.0";
    const TWENTY = Array.from({ length: 20 }, (_, k) => `@scope-000/skill-${String(5 + k).padStart(5, "0")}@1.1.0`);
    // The git CLI fetching the same tag over the same transport, into an empty repository.
    const gitFetch = async () => {
      const dir = project();
      execFileSync("git", ["init", "-q", "--bare", dir]);
      const ref = `refs/tags/${ONE}`;
      return timed("git", ["-C", dir, "fetch", "-q", "--no-tags", server.gitUrl("large.git"), `+${ref}:${ref}`], dir);
    };

    await pull("large", [ONE]);
    await pull("small", [ONE]);
    await gitFetch();
    const large: number[] = [];
    const small: number[] = [];
    const twenty: number[] = [];
    const fetches: number[] = [];
    let peak = 0;
    for (let run = 1; run <= RUNS; run++) {
      const a = await pull("large", [ONE]);
      const b = await pull("small", [ONE]);
      const c = await pull("large", TWENTY);
      const g = await gitFetch();
      large.push(a.seconds);
      small.push(b.seconds);
      twenty.push(c.seconds);
      fetches.push(g.seconds);
      peak = Math.max(peak, a.peakMb, b.peakMb, c.peakMb);
    }
    const installed = readFileSync(join(work, "projects", "0", ".agents/skills/skill-00005/scripts/check.sh"), "utf8");
    if (!installed.includes("skill-00005 1.1.0")) throw new Error("the pull did not install the pinned version");

    // Resolving again: `skillreg outdated` over the 20 locked skills, twice with the same cache.
    const dir = project();
    await timed(process.execPath, [BIN, "pull", ...TWENTY, "--registry", `${server.url}/large`], dir, envFor(dir));
    const cold = server.bytesSent();
    await timed(process.execPath, [BIN, "outdated"], dir, { ...envFor(dir), XDG_CACHE_HOME: join(dir, ".cache-cold") }, [0, 1]);
    const coldBytes = server.bytesSent() - cold;
    const warm = server.bytesSent();
    await timed(process.execPath, [BIN, "outdated"], dir, envFor(dir), [0, 1]);
    const warmBytes = server.bytesSent() - warm;
    await server.close();
    const gate = await gateBench(work, signer);

    const fmt = (xs: number[]) => `median ${median(xs).toFixed(3)} s  (runs ${xs.map((x) => x.toFixed(3)).join(" ")})`;
    console.log("");
    console.log(`pull one pinned skill, 10,000-skill registry   ${fmt(large)}`);
    console.log(`pull one pinned skill, 10-skill registry       ${fmt(small)}`);
    console.log(`pull 20 pinned skills, 10,000-skill registry   ${fmt(twenty)}`);
    console.log(`git fetch of the same tag (git CLI, same HTTP)  ${fmt(fetches)}`);
    console.log(`outdated over 20 skills: ${coldBytes} bytes with an empty cache, ${warmBytes} bytes revalidating`);
    console.log(`large/small ${(median(large) / median(small)).toFixed(2)} (cost follows the skill, not the registry)`);
    reportTarget("pull-vs-git-fetch", median(large) / median(fetches), "<=", 3, "x", 1);
    reportTarget("pull-20-vs-1", median(twenty) / median(large), "<=", 3, "x", 1);
    reportTarget("pull-peak-memory", peak, "<", 150, " MB", 0);
    reportTarget("index-revalidate-per-skill", warmBytes / 20, "<=", 1024, " B", 0);
    reportGate(gate, sizes.large);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
