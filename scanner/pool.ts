/**
 * Skills scanned in worker threads, several at once. `scanSkill` is synchronous and CPU-bound,
 * so one thread scans one skill at a time however many cores the machine has; a command over
 * many skills (`skillreg scan skills/`) gives each worker thread whole skills. Each thread
 * loads the scanner once (its parsers: about 200 ms of CPU), so a pool pays off only over
 * more than a few skills. Results are the ones `scanSkill` returns in the calling thread (plain
 * data, copied back); an error a scan throws rejects that skill's promise with its message.
 *
 * The pool itself is piscina's (task queue, worker start-up and crash handling).
 */
import { Piscina } from "piscina";
import type { ScanTask } from "./scan-worker.js";
import type { ScanInput, ScanPolicy, SkillScan } from "./types.js";

export interface ScanPool {
  /** The worker threads scanning. */
  readonly size: number;
  /** One skill's scan, by the next free worker; callers keep their own order by awaiting in it. */
  scan(input: ScanInput, policy?: ScanPolicy): Promise<SkillScan>;
  /** Stops every worker once its task is done. */
  close(): Promise<void>;
}

export function openScanPool(threads: number): ScanPool {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a scan pool needs a whole number of threads, at least 1, not ${threads}`);
  const pool = new Piscina<ScanTask, SkillScan>({
    filename: new URL("./scan-worker.js", import.meta.url).href,
    // Every thread starts at once, while the caller reads the first skills' files.
    minThreads: threads,
    maxThreads: threads,
  });
  return {
    size: threads,
    scan: (input, policy = {}) => pool.run({ input, policy }),
    close: () => pool.destroy(),
  };
}
