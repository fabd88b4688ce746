import { noExtraArguments, printResult, registryArg, type Command } from "../command.js";
import { SkillregError } from "../../registry/core/index.js";
import { parseScopeFile } from "../../registry/core/index.js";
import { git, readFileAt } from "../../registry/git/index.js";
import { openRepo } from "../../registry/git/index.js";
import { repositoryTrustForProject } from "../../registry/client/index.js";
import { SIGNERS_PATH } from "../../registry/trust/index.js";
import { scopeFilePath, skillKey } from "../../registry/core/index.js";
import { skillVisibility } from "../../registry/core/index.js";
import { parseScopeTarget } from "../change.js";

const USAGE = "skillreg access list @scope[/name] [--registry R] [--json]";

export const command: Command = {
  name: "access list",
  summary: "List a scope's members and roles (and a skill's visibility and flags)",
  help: `Usage: ${USAGE}

Prints who holds which role in the scope, as scopes/<scope>.yaml says on the registry's
main branch, and the scope's visibility. With @scope/name, also the skill's visibility and
its yanked and deprecated versions.

Where the registry's admins sign its signer set (${SIGNERS_PATH}), what is shown is held to it
as pull holds the registry, from the root this project pinned (else the repository's newest
root, said on stderr): members, visibility, yanks or deprecations the admins did not sign are
refused (exit 2), and a last line says which root vouched for them. Without a signer set and a
pin, a warning says that nothing vouches for them.

Options:
  --registry R   registry checkout, bare repository or Git URL (default: current folder)
  --json         print {scope, visibility, members, skill?, verifiedBy} as JSON (verifiedBy: the
                 root {fingerprint, version} whose admins signed them, or null)`,
  options: { registry: { type: "string" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const [target] = args.positionals;
    const { scope, name } = parseScopeTarget(target, USAGE);
    noExtraArguments(args, 1, `usage: ${USAGE}`);
    const repo = await openRepo(registryArg(args), ctx.cwd);
    try {
      const path = scopeFilePath(scope);
      const commit = await git(["rev-parse", "--verify", "HEAD^{commit}"], { cwd: repo.dir });
      const { trust, shown } = await repositoryTrustForProject(ctx, { registry: registryArg(args), repoDir: repo.dir, commit, notice: (m) => ctx.out.warn(m) });
      const bytes = await readFileAt(repo.dir, commit, path);
      if (bytes === undefined) throw new SkillregError(`scope @${scope} does not exist in the registry (no ${path} on its main branch)`);
      const file = parseScopeFile(bytes, path);
      const members = Object.entries(file.members)
        .map(([principal, role]) => ({ principal, role }))
        .sort((a, b) => a.principal.localeCompare(b.principal));
      const skill = name
        ? { name, visibility: skillVisibility(file, name), yanked: file.skills[name]?.yanked ?? {}, deprecated: file.skills[name]?.deprecated ?? {} }
        : undefined;
      const verifiedBy = trust?.newestRoot ?? (trust ? { fingerprint: trust.pin.fingerprint, version: trust.rootVersion } : null);
      printResult(args, ctx, { scope, visibility: file.visibility, members, ...(skill ? { skill } : {}), verifiedBy }, () => {
        ctx.out.line(`@${scope} (${file.visibility})`);
        const width = Math.max(...members.map((m) => m.principal.length));
        for (const m of members) ctx.out.line(`  ${m.principal.padEnd(width)}  ${m.role}`);
        if (skill) {
          ctx.out.line(`${skillKey(scope, skill.name)} (${skill.visibility})`);
          for (const [v, why] of Object.entries(skill.yanked)) ctx.out.line(`  ${v}  yanked: ${why}`);
          for (const [v, why] of Object.entries(skill.deprecated)) ctx.out.line(`  ${v}  deprecated: ${why}`);
        }
        if (verifiedBy) ctx.out.line(`verified: signed by the admins of root version ${verifiedBy.version} (${verifiedBy.fingerprint}) in ${SIGNERS_PATH}`);
        else ctx.out.warn(`unverified: ${shown} has no signer set (${SIGNERS_PATH}) and this project pins no root for it; these members, visibility and flags are what its ${commit.slice(0, 12)} says, and whoever can push to it chooses them`);
      });
      return 0;
    } finally {
      repo.close();
    }
  },
};
