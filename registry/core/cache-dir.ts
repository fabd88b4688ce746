import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/**
 * Where skillreg keeps what it can rebuild (scan results, the site's rendered pages, index
 * files fetched over HTTP): $SKILLREG_CACHE_DIR, else $XDG_CACHE_HOME/skillreg, else
 * ~/.cache/skillreg. CI keeps it between runs by caching that one folder.
 */
export function userCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.SKILLREG_CACHE_DIR && isAbsolute(env.SKILLREG_CACHE_DIR)) return env.SKILLREG_CACHE_DIR;
  if (env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME)) return join(env.XDG_CACHE_HOME, "skillreg");
  return join(env.HOME ?? env.USERPROFILE ?? homedir(), ".cache", "skillreg");
}
