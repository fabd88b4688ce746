import { SkillregError } from "../../core/index.js";
import { openLocalTag, type FetchedTag } from "../fetch-tag.js";
import type { IndexModel } from "../../index/index.js";
import { readRegistryFacts, type GatherOptions } from "../../index/index.js";
import { loadScanner } from "../../core/index.js";
import { DEFAULT_BRANCH, MAIN_REF, sealedEnvelopePath, skillKey } from "../../core/index.js";
import { git, readFileAt } from "../../git/index.js";
import type { IndexAll, IndexConfig, IndexSkill } from "../../index/index.js";
import { readRootChain, type RootPin, type TrustState } from "../../trust/index.js";
import { repositoryTrust } from "./repo-trust.js";
import { skillNotFound } from "./not-found.js";
import type { RegistrySource } from "./types.js";

export interface LocalTrustOptions {
  /** The root the project pinned for this registry, if any. */
  pin?: RootPin;
  /** The newest root the project's checkpoint saw this registry's chain verified to. */
  held?: RootPin;
  notice?: (message: string) => void;
  /** A slow step starts: the index built from the registry's Git. */
  progress?: (step: string) => void;
}

/**
 * A registry on this machine (a checkout or a bare repository): the index is built in memory
 * from its git objects, for the one skill asked for, with the same code the site uses; tags
 * are read from the repository itself. Everything is read at one commit of main, and only
 * once that commit is held to the pinned root (sources/repo-trust.ts).
 */
export class LocalRegistrySource implements RegistrySource {
  private readonly models = new Map<string, Promise<IndexModel>>();
  private verified?: Promise<{ commit: string; trust: TrustState | undefined }>;

  constructor(
    readonly id: string,
    private readonly repoDir: string = id,
    private readonly trustOptions: LocalTrustOptions = {},
  ) {}

  /** Main's commit, and what the pinned root (or a first contact) says of it; refused here when it does not hold. */
  private head(): Promise<{ commit: string; trust: TrustState | undefined }> {
    this.verified ??= (async () => {
      const commit = await git(["rev-parse", "--verify", "--quiet", `${MAIN_REF}^{commit}`], { cwd: this.repoDir }).catch(() => "");
      if (commit === "") throw new SkillregError(`${this.id}: no branch '${DEFAULT_BRANCH}' to read the registry from`);
      const trust = await repositoryTrust({ repoDir: this.repoDir, commit, shown: this.id, pin: this.trustOptions.pin, held: this.trustOptions.held, notice: this.trustOptions.notice ?? (() => undefined) });
      return { commit, trust };
    })();
    return this.verified;
  }

  async trust(): Promise<TrustState | undefined> {
    return (await this.head()).trust;
  }

  /** The root chain at the commit read (trust/1.root.json ...), for `registry add` to choose a pin from. */
  async rootChain(): Promise<string[]> {
    return readRootChain(this.repoDir, (await this.head()).commit);
  }

  private model(scope: string, name: string): Promise<IndexModel> {
    const key = `${scope}/${name}`;
    let model = this.models.get(key);
    if (!model) {
      model = this.build({ only: [{ scope, name }] });
      this.models.set(key, model);
    }
    return model;
  }

  /** Config (signers, every scope's publishers) is the same in every model: reuse one. */
  async config(): Promise<IndexConfig> {
    const [first] = this.models.values();
    if (first) return (await first).config;
    return (await this.build({ only: [] })).config;
  }

  /** The index builder (and the scanner it runs) is loaded only here: a pull from a site never needs it. */
  private async build(opts: GatherOptions): Promise<IndexModel> {
    const { commit } = await this.head();
    const what = opts.only === undefined ? "every skill" : opts.only.length === 1 ? skillKey(opts.only[0]!.scope, opts.only[0]!.name) : undefined;
    if (what !== undefined) this.trustOptions.progress?.(`reading ${what} from ${this.id}: checking tag signatures and scans`);
    const [{ buildIndexModel }, facts] = await Promise.all([import("../../index/index.js"), readRegistryFacts(this.repoDir, { ...opts, ref: commit }), loadScanner()]);
    return buildIndexModel(facts, { audience: "internal" });
  }

  async skill(scope: string, name: string): Promise<IndexSkill> {
    const found = (await this.model(scope, name)).skills.find((s) => s.entry.scope === scope && s.entry.name === name);
    if (!found) throw await skillNotFound(scope, name, this.id, () => this.skillFolders());
    return found.entry;
  }

  /** Every @scope/name with a folder under skills/ at the commit read: names only, no tag checked. */
  private async skillFolders(): Promise<string[]> {
    const listing = await git(["ls-tree", "-r", "-d", "--name-only", (await this.head()).commit, "--", "skills"], { cwd: this.repoDir });
    return listing
      .split("\n")
      .map((path) => path.split("/"))
      .filter((parts) => parts.length === 3)
      .map(([, scope, name]) => skillKey(scope!, name!));
  }

  /** Every skill: the whole registry is read (a local registry is the organisation's own). */
  async all(): Promise<IndexAll> {
    return (await this.build({})).all;
  }

  async fetchTag(tag: string): Promise<FetchedTag> {
    await this.head();
    return openLocalTag(this.repoDir, tag);
  }

  async sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined> {
    return (await readFileAt(this.repoDir, (await this.head()).commit, sealedEnvelopePath(scope, name, version)))?.toString("utf8");
  }
}
