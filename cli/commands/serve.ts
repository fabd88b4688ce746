import type { Command } from "../command.js";
import { serveSite } from "../site.js";

export const command: Command = {
  name: "serve",
  summary: "Build the registry's site and serve it, with its Git, on 127.0.0.1",
  help: `Usage: skillreg serve [--registry R] [--port P] [--audience public|internal] [--out DIR]
                      [--online-key K] [--identity KEY]

Builds the site as 'skillreg build' does, then serves it on http://127.0.0.1:P/ until you
press Ctrl-C. The same origin serves the index and the registry's Git repository, read-only,
at /git/registry.git (the index names it), so 'skillreg pull ... --registry <url>' and
'npx skills add <url>' work against the printed URL. Pages answer with and without '.html'.
Everything in the repository can be fetched from the port, so serve a registry holding
private skills only where every reader may read them.

Options:
  --registry R      registry checkout, bare repository or Git URL (default: current folder)
  --port P          port to listen on (default: 4321; 0 picks a free one)
  --audience A      public (default) or internal
  --out DIR         keep the built site in DIR (default: a temporary folder, removed on exit)
  --online-key K    sign the index as 'skillreg build --online-key' does, for pinned clients
  --identity KEY    (internal audience, sealing registry) a member's ed25519 key that opens the
                    sealed versions, as for 'skillreg build'; default: SKILLREG_GATE_KEY's file`,
  options: {
    registry: { type: "string" },
    port: { type: "string" },
    audience: { type: "string" },
    out: { type: "string" },
    "online-key": { type: "string" },
    identity: { type: "string" },
  },
  run: serveSite,
};
