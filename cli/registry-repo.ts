import { SkillregError } from "../registry/core/index.js";
import { openRepo, type OpenedRepo } from "../registry/git/index.js";
import { openSource } from "../registry/client/index.js";
import type { CommandContext } from "./command.js";

/**
 * The registry repository that audit and `verify --registry` read, with errors that say what
 * to pass instead: the site URL a user pulled from is not a Git repository, but its
 * config.json names the Git URL that is, and a project folder is not a registry.
 */
export async function openRegistryRepo(given: string | undefined, ctx: CommandContext): Promise<OpenedRepo> {
  const spec = given ?? ".";
  try {
    return await openRepo(spec, ctx.cwd);
  } catch (e) {
    if (given === undefined && e instanceof SkillregError) {
      throw new SkillregError(`no registry given, and ${ctx.cwd} is not a registry's Git repository; pass --registry <checkout, bare repository or Git URL>`);
    }
    if (!(e instanceof SkillregError) || !/^https?:\/\//i.test(spec) || /\.git\/?$/.test(spec)) throw e;
    const gitUrl = await openSource(spec, { env: ctx.env, cwd: ctx.cwd })
      .config()
      .then((config) => config.gitUrl)
      .catch(() => undefined);
    if (!gitUrl) throw e;
    throw new SkillregError(`${spec} is a registry's catalog site, not its Git repository; pass the Git URL the site names: --registry ${gitUrl}`);
  }
}
