import { loadClientConfig } from "../../registry/client/index.js";
import { hostOf, removeToken } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import type { Command } from "../command.js";

export const command: Command = {
  name: "logout",
  summary: "Forget the stored token of a registry host",
  help: `Usage: skillreg logout [registry-url]

Remove the token stored for the registry's host by 'skillreg login'. The registry defaults
to the configured one. Tokens from SKILLREG_TOKEN, GITHUB_TOKEN or git's credential helpers
are not affected.

Options:
  -h, --help  show this help`,
  options: {},
  async run(args, ctx) {
    const registry = args.positionals[0] ?? (await loadClientConfig(ctx.cwd, ctx.env)).registry;
    if (!registry) throw new UsageError("name the registry: skillreg logout https://skills.example");
    const removed = await removeToken(ctx.env, registry);
    ctx.out.line(removed ? `logged out of ${hostOf(registry) ?? registry}` : `no token was stored for ${hostOf(registry) ?? registry}`);
    return 0;
  },
};
