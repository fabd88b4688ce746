import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { BIN, runBin } from "../helpers/cli.js";

/**
 * The demo registry (`skillreg demo`, as a new user makes it, untouched) and its catalog
 * served by `skillreg serve`, which serves the registry's Git on the same origin and names
 * that URL in the index: the journeys a user takes from the catalog.
 */

export interface DemoRegistry {
  dir: string;
  registry: string;
}

export async function makeDemoRegistry(root: string): Promise<DemoRegistry> {
  const dir = join(root, "demo");
  const demo = await runBin(["demo", "--dir", dir, "--no-serve"]);
  expect(demo.code, demo.stderr).toBe(0);
  return { dir, registry: join(dir, "registry") };
}

export interface ServedCatalog {
  /** The catalog's URL, ending in '/'. */
  url: string;
  close(): Promise<void>;
}

/** `skillreg serve --registry R --port 0 [--audience A]`, as a real process, until closed. */
export async function serveCatalog(registry: string, audience: "public" | "internal"): Promise<ServedCatalog> {
  const child = spawn(process.execPath, [BIN, "serve", "--registry", registry, "--port", "0", "--audience", audience], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Serving \d+ skills at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`skillreg serve exited with ${code} before serving:\n${out}${err}`)));
  });
  // The caller closes it in an afterAll of its own: a hook registered from inside beforeAll is never run.
  return { url, close: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}
