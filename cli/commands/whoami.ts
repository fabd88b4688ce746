import { noExtraArguments, printResult, seeHelp, type Command } from "../command.js";
import { SkillregError } from "../../registry/core/index.js";
import { loadClientConfig } from "../../registry/client/index.js";
import { hostOf, tokenFor } from "../../registry/client/index.js";
import { githubClient, githubIdentity, tokenExpiryWarning } from "../../registry/forge/index.js";
import { githubRepoOf } from "../../registry/forge/index.js";

const GITHUB = "https://github.com";

export const command: Command = {
  name: "whoami",
  summary: "Show who the stored or environment token belongs to, and when it expires",
  help: `Usage: skillreg whoami [registry] [--json]

Shows which token skillreg would send to the registry (default: the configured
registry, else github.com) and where it comes from (SKILLREG_TOKEN, GITHUB_TOKEN, or
the store written by 'skillreg login'). For GitHub it asks the API who the token
belongs to and when it expires, and warns when that is within 7 days.
Exit 1 when there is no token for the registry or the token is rejected.

Options:
  --json   print {registry, host, source, login, name, expiresAt, scopes} as JSON`,
  options: { json: { type: "boolean" } },
  async run(args, ctx) {
    noExtraArguments(args, 1, seeHelp("whoami"));
    const given = args.positionals[0] ?? (await loadClientConfig(ctx.cwd, ctx.env)).registry ?? GITHUB;
    const github = githubRepoOf(given);
    // An scp-style GitHub address has no host for the credential store: ask as https.
    const url = github ? `${GITHUB}/${github.owner}/${github.repo}` : given;
    const host = hostOf(url);
    if (!host) {
      throw new SkillregError(`${given} is a local or SSH registry: no token is used; who you are is the SSH key you sign with (--key)`, { exitCode: 1 });
    }
    const token = await tokenFor(url, ctx.env, host);
    if (!token) throw new SkillregError(`not logged in to ${host}: run 'skillreg login ${given}' or set GITHUB_TOKEN`, { exitCode: 1 });

    if (host !== "github.com") {
      printResult(args, ctx, { registry: given, host, source: token.source }, () =>
        ctx.out.line(`a token for ${host} (from ${token.source}); ${host} is not GitHub, so its owner and expiry are unknown`),
      );
      return 0;
    }
    ctx.out.progress("asking GitHub who the token belongs to");
    const who = await githubIdentity(githubClient(token.token, ctx.env)).catch((e: unknown) => {
      throw new SkillregError((e as Error).message, { exitCode: 1 });
    });
    const warning = tokenExpiryWarning(who.expiresAt, new Date());
    const identity = {
      registry: given,
      host,
      source: token.source,
      login: who.login,
      name: who.name ?? null,
      expiresAt: who.expiresAt?.toISOString() ?? null,
      scopes: who.scopes ?? null,
    };
    printResult(args, ctx, identity, () => {
      ctx.out.line(`${who.login}${who.name ? ` (${who.name})` : ""} on ${host}, token from ${token.source}`);
      ctx.out.line(who.expiresAt ? `token expires ${who.expiresAt.toISOString()}` : "token does not expire");
      if (who.scopes) ctx.out.line(`classic token scopes: ${who.scopes.join(", ") || "(none)"}`);
    });
    if (warning) ctx.out.warn(warning);
    return 0;
  },
};
