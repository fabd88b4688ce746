import { chooseSkillsFolders } from "../../registry/agents.js";
import { loadClientConfig, registryFor, resolveRegistry } from "../../registry/client-config.js";
import { SkillregError, UsageError } from "../../registry/errors.js";
import type { IndexVersion } from "../../registry/index/schema.js";
import {
  commitInstalls,
  fetchAndVerify,
  installTarget,
  planVersion,
  type PlannedVersion,
  type VerifiedInstall,
} from "../../registry/install.js";
import { readLock } from "../../registry/lock.js";
import { defaultRange, parseSkillSpec } from "../../registry/resolve.js";
import { skillKey } from "../../registry/layout.js";
import { openSource, type RegistrySource } from "../../registry/sources/index.js";
import { flag, printResult, str, type Command, type CommandContext } from "../command.js";
import type { Output } from "../output.js";

/** A registry given on the command line: URLs as they are, paths from the current folder. */
export function registryFlag(value: string | undefined, cwd: string): string | undefined {
  return value === undefined ? undefined : resolveRegistry(value, cwd);
}

/** One source per registry string, shared by every skill of a command. */
export function sourceCache(ctx: CommandContext): (registry: string) => RegistrySource {
  const sources = new Map<string, RegistrySource>();
  return (registry) => {
    let s = sources.get(registry);
    if (!s) {
      s = openSource(registry, { env: ctx.env, cwd: ctx.cwd });
      sources.set(registry, s);
    }
    return s;
  };
}

/** The output to narrate with: silent under --json, whose stdout is the JSON alone. */
export function narration(out: Output, json: boolean): Output {
  return json ? { ...out, line: () => undefined } : out;
}

/** Print the scan verdict and flags of a version; refuse `review` without --accept-risk and `blocked` always. */
export function showScan(out: Output, skill: string, entry: IndexVersion, acceptRisk: boolean): void {
  const { decision, flags } = entry.scan;
  const c = out.color;
  const painted = decision === "pass" ? c.green(decision) : decision === "flagged" ? c.yellow(decision) : c.red(decision);
  out.line(`  scan: ${painted}`);
  if (decision === "review" || decision === "flagged") {
    for (const f of flags) out.line(`    ${f.severity === "medium" ? c.yellow(f.severity) : c.red(f.severity)} ${f.ruleId} ${f.file}${f.line ? `:${f.line}` : ""} ${f.message}`);
  }
  if (entry.deprecated) out.warn(`${skill}@${entry.version} is deprecated: ${entry.deprecated.reason}`);
  if (decision === "blocked") {
    throw new SkillregError(`${skill}@${entry.version} is blocked by the security scan; it cannot be installed`, { exitCode: 1 });
  }
  if (decision === "review" && !acceptRisk) {
    throw new SkillregError(
      `${skill}@${entry.version} has high-severity findings (scan: review); read them above and pass --accept-risk to install it anyway`,
      { exitCode: 1 },
    );
  }
}

export function describeInstall(out: Output, item: VerifiedInstall, paths: string[]): void {
  const c = out.color;
  out.line(`${c.green("+")} ${c.bold(`${item.key}@${item.entry.version}`)}  signed by ${item.verified.signer.principal} (${item.verified.signer.fingerprint})`);
  for (const p of paths) out.line(`  ${c.dim("→")} ${p}`);
}

/** Fetch and verify planned versions, one after another, with progress. */
export async function verifyAll(
  ctx: CommandContext,
  plans: readonly PlannedVersion[],
  sourceOf: (registry: string) => RegistrySource,
  folders: (plan: PlannedVersion) => string[],
): Promise<VerifiedInstall[]> {
  const items: VerifiedInstall[] = [];
  for (const plan of plans) {
    ctx.out.progress(`fetching ${plan.entry.tag} from ${plan.registry}`);
    const verified = await fetchAndVerify(sourceOf(plan.registry), plan);
    items.push({ key: plan.key, name: plan.name, registry: plan.registry, range: plan.range, entry: plan.entry, verified, folders: folders(plan) });
  }
  return items;
}

export const command: Command = {
  name: "pull",
  summary: "Install skills from a registry, verified, and record them in skillreg.lock",
  help: `Usage: skillreg pull <@scope/name[@range]>... [options]

Resolve each skill's range against the registry index, fetch only that version's signed tag,
check it (tag object id, signature by a publisher of the scope, tree, sha256), install it
into the agent's skills folder atomically and record it in skillreg.lock.

Ranges: 1.2.3, ~1.2.0, ^1.2.0, ">=1.2 <2", latest (the default). Yanked versions are
skipped unless the lock already names them; prereleases only when named or --prerelease.

Options:
  --agent <id>       install for this agent (claude, codex, cursor, gemini, copilot, agents;
                     comma-separated for several); default: the agents the project uses
  --global           install into your user-level skills folder (lock in ~/.config/skillreg)
  --registry <r>     registry site URL, Git URL or local path (default: .skillreg.yaml)
  --accept-risk      install a version whose scan decision is 'review'
  --prerelease       let ranges match prerelease versions
  --json             print what was installed as JSON
  -h, --help         show this help`,
  options: {
    agent: { type: "string" },
    global: { type: "boolean" },
    registry: { type: "string" },
    "accept-risk": { type: "boolean" },
    prerelease: { type: "boolean" },
    json: { type: "boolean" },
  },
  async run(args, ctx) {
    if (args.positionals.length === 0) throw new UsageError("name at least one skill, e.g. skillreg pull @acme/deploy@^1.2.0");
    const specs = args.positionals.map(parseSkillSpec);
    const config = await loadClientConfig(ctx.cwd, ctx.env);
    const global = flag(args, "global");
    const target = installTarget(ctx.cwd, ctx.env, global);
    const agent = str(args, "agent") ?? config.agent;
    const folders = chooseSkillsFolders(target.root, { global, ...(agent ? { agent } : {}) });
    const lock = await readLock(target.lockPath);
    const sourceOf = sourceCache(ctx);
    const registryOption = registryFlag(str(args, "registry"), ctx.cwd);

    const plans: PlannedVersion[] = [];
    for (const spec of specs) {
      const registry = registryFor(config, spec.scope, registryOption);
      const key = skillKey(spec.scope, spec.name);
      ctx.out.progress(`resolving ${key}@${spec.range}`);
      const locked = Object.hasOwn(lock.skills, key) ? lock.skills[key] : undefined;
      const plan = await planVersion(sourceOf(registry), spec, {
        ...(locked && locked.registry === sourceOf(registry).id ? { locked: locked.version } : {}),
        prerelease: flag(args, "prerelease"),
      });
      plan.range = defaultRange(spec.range, plan.entry.version);
      const say = narration(ctx.out, flag(args, "json"));
      say.line(`${plan.key}@${plan.entry.version} from ${plan.registry}`);
      showScan(say, plan.key, plan.entry, flag(args, "accept-risk"));
      plans.push(plan);
    }

    const items = await verifyAll(ctx, plans, sourceOf, () => folders);
    const written = await commitInstalls(target, items);
    const installed = items.map((i) => ({
      skill: i.key,
      version: i.entry.version,
      registry: i.registry,
      paths: written.skills[i.key]!.paths,
      signer: i.verified.signer,
      scan: i.entry.scan,
    }));
    printResult(args, ctx, { installed }, () => {
      for (const i of items) describeInstall(ctx.out, i, written.skills[i.key]!.paths);
    });
    return 0;
  },
};
