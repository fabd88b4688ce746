import { SkillregError } from "../../core/index.js";
import { openLocalTag, type FetchedTag } from "../fetch-tag.js";
import type { IndexModel } from "../../index/index.js";
import { readRegistryFacts, type GatherOptions } from "../../index/index.js";
import { DEFAULT_BRANCH, sealedEnvelopePath, skillKey } from "../../core/index.js";
import { readFileAt } from "../../git/index.js";
import type { IndexAll, IndexConfig, IndexSkill } from "../../index/index.js";
import type { RegistrySource } from "./types.js";

/**
 * A registry on this machine (a checkout or a bare repository): the index is built in memory
 * from its git objects, for the one skill asked for, with the same code the site uses; tags
 * are read from the repository itself.
 */
export class LocalRegistrySource implements RegistrySource {
  private readonly models = new Map<string, Promise<IndexModel>>();

  constructor(
    readonly id: string,
    private readonly repoDir: string = id,
  ) {}

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
    const [{ buildIndexModel }, facts] = await Promise.all([import("../../index/index.js"), readRegistryFacts(this.repoDir, opts)]);
    return buildIndexModel(facts, { audience: "internal" });
  }

  async skill(scope: string, name: string): Promise<IndexSkill> {
    const found = (await this.model(scope, name)).skills.find((s) => s.entry.scope === scope && s.entry.name === name);
    if (!found) throw new SkillregError(`${skillKey(scope, name)} is not in the registry ${this.id}`);
    return found.entry;
  }

  /** Every skill: the whole registry is read (a local registry is the organisation's own). */
  async all(): Promise<IndexAll> {
    return (await this.build({})).all;
  }

  fetchTag(tag: string): Promise<FetchedTag> {
    return openLocalTag(this.repoDir, tag);
  }

  async sealedEnvelope(scope: string, name: string, version: string): Promise<string | undefined> {
    return (await readFileAt(this.repoDir, DEFAULT_BRANCH, sealedEnvelopePath(scope, name, version)))?.toString("utf8");
  }
}
