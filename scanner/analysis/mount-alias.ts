/**
 * A secret store reached under another name: a dev container, Compose service or `docker run`
 * that binds the host's `~/.ssh` (or `.aws`, `.kube`…) to a path of its own, whose commands then
 * read that path (`tar cz -C /home/node .ssh-host | curl …`). The command is read with the
 * mount's target written back as the host store it is, so the theft rules see the store.
 */
import { sensitiveStore } from "./judge.js";

const MAX_MOUNTS = 20;
/** `source=X,target=Y` (devcontainer, `--mount`), `"source": X, "target": Y`, `-v X:Y`, Compose `- X:Y`. */
const MOUNTS = [
  /\bsource\s*=\s*([^,"'\s]+)\s*,\s*(?:[\w-]+=[^,"'\s]*\s*,\s*)*?(?:target|destination|dst)\s*=\s*([^,"'\s]+)/gi,
  /"source"\s*:\s*"([^"]+)"\s*,\s*"target"\s*:\s*"([^"]+)"/g,
  /(?:^|\s)(?:-v|--volume)[\s=]+["']?([^:\s"']+):([^:\s"']+)/gm,
  /^\s*-\s+["']?([~$][^:\s"']+):([^:\s"']+)/gm,
];
/** The host's home folder as these files spell it. */
const HOME = /^(?:\$\{localEnv:(?:HOME|USERPROFILE)\}|\$\{env:(?:HOME|USERPROFILE)\}|\$\{HOME\}|\$HOME|~)/;

/** Container paths bound to a host secret store, with the store as `~/…`. */
export function mountedStores(text: string): { target: string; store: string }[] {
  const out: { target: string; store: string }[] = [];
  for (const re of MOUNTS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const store = m[1]!.replace(HOME, "~");
      const target = m[2]!.replace(/\/+$/, "");
      if (store.startsWith("~") && target.length > 2 && sensitiveStore(store)) out.push({ target, store });
      if (out.length >= MAX_MOUNTS) return out;
    }
  }
  return out;
}

/** A command of the file with each mounted store's container path (and its distinctive last part) read as the host store. */
export function withMountedStores(fileText: string, command: string): string {
  let out = command;
  for (const { target, store } of mountedStores(fileText)) {
    out = out.split(target).join(store);
    const base = target.slice(target.lastIndexOf("/") + 1);
    // `tar -C /home/node .ssh-host`: the folder named relative to its parent.
    if (base.length >= 4 && base !== target) out = out.replace(new RegExp(`(?<![\\w./-])${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), store);
  }
  return out;
}
