import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { rootLine } from "../../registry/client/index.js";
import { ALLOWED_SIGNERS_FILE, CONFIG_FILE, SCOPES_DIR, SkillregError, UsageError, parseScopeFilePath, writeFileAtomic } from "../../registry/core/index.js";
import {
  SIGNERS_PATH,
  TRUST_DIR,
  checkRootChain,
  createRoot,
  describeRoot,
  loadPublicKey,
  loadSigningKey,
  rootPathInRepo,
  rotateRoot,
  signSignerSet,
  signerSetFiles,
  verifySignerSet,
  type RootSummary,
  type SignerSetFiles,
} from "../../registry/trust/index.js";
import { noExtraArguments, printResult, registryDir, seeHelp, str, strList, type Command, type ParsedArgs } from "../command.js";

const DAY_MS = 86_400_000;

/** The chain in a registry checkout's work tree: trust/1.root.json ... up to the first gap. */
function workTreeChain(dir: string): string[] {
  const texts: string[] = [];
  for (let v = 1; existsSync(join(dir, rootPathInRepo(v))); v++) texts.push(readFileSync(join(dir, rootPathInRepo(v)), "utf8"));
  return texts;
}

/** What the signer set covers, from the checkout's work tree (what the admins are about to commit). */
function workTreeSignerSet(dir: string): SignerSetFiles {
  const read = (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path), "utf8") : "");
  const scopesDir = join(dir, SCOPES_DIR);
  const scopePaths = (existsSync(scopesDir) ? readdirSync(scopesDir).sort() : []).map((file) => `${SCOPES_DIR}/${file}`).filter((path) => parseScopeFilePath(path) !== undefined);
  const scopeFiles = scopePaths.map((path): [string, string] => [path, read(path)]);
  return signerSetFiles(read(ALLOWED_SIGNERS_FILE), read(CONFIG_FILE), scopeFiles);
}

function expiresDays(args: ParsedArgs): number {
  const days = Number(str(args, "expires-days") ?? "365");
  if (!Number.isInteger(days) || days < 1) throw new UsageError(`--expires-days must be a whole number of days, not '${str(args, "expires-days")}'`);
  return days;
}

/** Whether trust/signers.json vouches for the work tree from the newest root, as a Git-URL client would check it; null when there is none. */
function signerSetState(dir: string, chain: readonly string[], root: RootSummary): { holds: true } | { holds: false; problem: string } | null {
  if (!existsSync(join(dir, SIGNERS_PATH))) return null;
  try {
    verifySignerSet({
      pin: { fingerprint: root.fingerprint, version: root.version },
      roots: chain,
      signersText: readFileSync(join(dir, SIGNERS_PATH), "utf8"),
      files: workTreeSignerSet(dir),
      now: new Date(),
      shown: dir,
    });
    return { holds: true };
  } catch (e) {
    if (!(e instanceof SkillregError)) throw e;
    return { holds: false, problem: e.message.replace(`${dir}: `, "").replace(/; refusing (its keys|it)$/, "") };
  }
}

async function rootInput(args: ParsedArgs) {
  const adminFiles = strList(args, "admin-key");
  if (adminFiles.length === 0) throw new UsageError(`name the admins' keys with --admin-key <file> (repeat it); ${seeHelp("registry trust")}`);
  const onlineFile = str(args, "online-key");
  if (onlineFile === undefined) throw new UsageError(`name the release workflow's key with --online-key <file>; ${seeHelp("registry trust")}`);
  const threshold = Number(str(args, "threshold") ?? "1");
  const days = expiresDays(args);
  const admins = await Promise.all(adminFiles.map((f) => loadPublicKey(f)));
  // Every admin key given as a private key signs; --sign-key adds others (old admins on rotation).
  const signFiles = [...adminFiles.filter((f) => readFileSync(f, "utf8").includes("PRIVATE KEY-----")), ...strList(args, "sign-key")];
  const signers = await Promise.all([...new Set(signFiles)].map((f) => loadSigningKey(f)));
  return { admins, threshold, online: await loadPublicKey(onlineFile), expires: new Date(Date.now() + days * DAY_MS), signers };
}

export const command: Command = {
  name: "registry trust",
  summary: "Create, rotate, sign with or show the registry's trust root (the admins' keys clients pin)",
  help: `Usage: skillreg registry trust init --admin-key <file>... --online-key <file> [--threshold N] [--registry R]
       skillreg registry trust rotate --admin-key <file>... --sign-key <file>... --online-key <file> [--threshold N]
       skillreg registry trust sign --sign-key <file>... [--registry R]
       skillreg registry trust show [--registry R] [--json]

The trust root is TUF root metadata in trust/<N>.root.json of the registry checkout: the
registry admins' ed25519 keys (their SSH keys) with a threshold, and the release workflow's
online key that signs the index at every build (skillreg build --online-key). Commit it
like any admin change; clients pin its fingerprint (skillreg registry add).

init writes trust/1.root.json, signed by the admin keys given as private keys.
rotate writes the next root, which must be signed by the threshold of the current root
(--sign-key: the current admins' private keys) and by its own.
sign writes trust/signers.json: the admins' signature (the newest root's threshold) over
allowed_signers, skillreg.yaml and every scope's members, visibility, yanks and deprecations
as the work tree holds them.
Clients that pinned the root and read the registry from its Git URL or a folder accept
only keys, members and flags it vouches for: sign again in every change to those files.

Options:
  --admin-key F      an admin's key (public .pub, or private: then it also signs); repeat
  --sign-key F       another private key that signs (old admins when rotating); repeat
  --online-key F     the release workflow's key (public or private file)
  --threshold N      how many admin keys must sign a new root (default 1)
  --expires-days D   how long the root or signer set is valid (default 365)
  --registry R       the registry checkout (default: current folder)
  --json             print the root as JSON`,
  options: {
    "admin-key": { type: "string", multiple: true },
    "sign-key": { type: "string", multiple: true },
    "online-key": { type: "string" },
    threshold: { type: "string" },
    "expires-days": { type: "string" },
    registry: { type: "string" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    const [action] = args.positionals;
    noExtraArguments(args, 1, seeHelp("registry trust"));
    const dir = registryDir(args, ctx.cwd);
    if (!existsSync(join(dir, "skillreg.yaml"))) throw new SkillregError(`${dir} is not a registry checkout (no skillreg.yaml)`);
    const chain = workTreeChain(dir);
    let written: string | undefined;
    if (action === "init") {
      if (chain.length > 0 || (existsSync(join(dir, TRUST_DIR)) && readdirSync(join(dir, TRUST_DIR)).length > 0)) {
        throw new SkillregError(`${join(dir, TRUST_DIR)} already holds a root; use 'skillreg registry trust rotate' to replace it`);
      }
      const text = createRoot(await rootInput(args));
      mkdirSync(join(dir, TRUST_DIR), { recursive: true });
      written = rootPathInRepo(1);
      await writeFileAtomic(join(dir, written), text, { mode: 0o644 });
      chain.push(text);
    } else if (action === "rotate") {
      checkRootChain(chain);
      const next = rotateRoot(chain.at(-1)!, await rootInput(args));
      written = rootPathInRepo(next.version);
      await writeFileAtomic(join(dir, written), next.text, { mode: 0o644 });
      chain.push(next.text);
    } else if (action === "sign") {
      const signFiles = strList(args, "sign-key");
      if (signFiles.length === 0) throw new UsageError(`name the admins' private keys that sign with --sign-key <file> (repeat it); ${seeHelp("registry trust")}`);
      const signers = await Promise.all([...new Set(signFiles)].map((f) => loadSigningKey(f)));
      const text = signSignerSet(workTreeSignerSet(dir), { roots: chain, signers, now: new Date(), expiresDays: expiresDays(args) });
      written = SIGNERS_PATH;
      await writeFileAtomic(join(dir, written), text, { mode: 0o644 });
    } else if (action !== "show") {
      throw new UsageError(`'skillreg registry trust' needs init, rotate, sign or show; ${seeHelp("registry trust")}`);
    }
    checkRootChain(chain);
    const summary = describeRoot(chain.at(-1)!, resolve(dir, rootPathInRepo(chain.length)));
    const signerSet = signerSetState(dir, chain, summary);
    printResult(args, ctx, { written: written ?? null, root: summary, signerSet }, () => {
      if (written) ctx.out.line(`${ctx.out.color.green("wrote")} ${written}: commit it and propose it like any admin change`);
      ctx.out.line(`${rootLine(summary)}, expires ${summary.expires}`);
      ctx.out.line(`  index signed by ${summary.online.join(", ")}`);
      if (signerSet === null) ctx.out.line(`  no signer set (${SIGNERS_PATH}): clients reading the registry by Git URL or folder cannot pin this root; sign one with 'skillreg registry trust sign'`);
      else if (signerSet.holds) ctx.out.line(`  signer set ${SIGNERS_PATH} vouches for allowed_signers, skillreg.yaml and the scopes' members as the work tree holds them`);
      else ctx.out.line(ctx.out.color.yellow(`  signer set ${SIGNERS_PATH} does not hold: ${signerSet.problem}; sign it again with 'skillreg registry trust sign'`));
      ctx.out.line(`clients pin it with: skillreg registry add <site-url|git-url> --trust ${summary.fingerprint}`);
    });
    return 0;
  },
};
