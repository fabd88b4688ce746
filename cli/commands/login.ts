import { loadClientConfig } from "../../registry/client/index.js";
import { credentialsPath, storeToken } from "../../registry/client/index.js";
import { UsageError } from "../../registry/core/index.js";
import type { Command } from "../command.js";

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Paste the token and press Ctrl-D: ");
  const parts: Buffer[] = [];
  for await (const chunk of process.stdin) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString("utf8").split("\n")[0]?.trim() ?? "";
}

export const command: Command = {
  name: "login",
  summary: "Store a token for a registry host",
  help: `Usage: skillreg login [registry-url]

Read a token from standard input and store it for the registry's host in
~/.config/skillreg/credentials.json (mode 600). It is sent only to that host.

  echo "$TOKEN" | skillreg login https://skills.acme.example

The registry defaults to the one in .skillreg.yaml or ~/.config/skillreg/config.yaml.
SKILLREG_TOKEN, GITHUB_TOKEN (github.com only) and git's credential helpers are used too.

Options:
  -h, --help  show this help`,
  options: {},
  async run(args, ctx) {
    const registry = args.positionals[0] ?? (await loadClientConfig(ctx.cwd, ctx.env)).registry;
    if (!registry) throw new UsageError("name the registry: skillreg login https://skills.example");
    if (args.positionals.length > 1) throw new UsageError("login takes one registry URL");
    const token = await readStdin();
    if (token === "") throw new UsageError("no token on standard input; pipe it in: echo \"$TOKEN\" | skillreg login <url>");
    const host = await storeToken(ctx.env, registry, token);
    ctx.out.line(`logged in to ${host} (token stored in ${credentialsPath(ctx.env)})`);
    return 0;
  },
};
