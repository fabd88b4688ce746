import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { CatalogSkill } from "../index/index.js";

/**
 * The skills the index decided (each with its versions' facts: file bytes, findings), kept in
 * parts of `perPart` until the site makes their pages. A decided skill weighs about 20 KB in
 * memory, so a registry of 100,000 would hold 2 GiB before Astro starts: past `held` skills, each
 * full part is written to `dir` (V8's serialisation, which keeps the objects as they were,
 * shared ones and typed arrays included) and read back when its turn comes. What the build holds
 * then follows `held`, not the registry.
 */
export class DecidedParts {
  private readonly parts: (CatalogSkill[] | string)[] = [];
  private current: CatalogSkill[] = [];
  private inMemory = 0;
  private spilled = 0;
  /** Skills added. */
  count = 0;
  /** The most skills held in memory at once (the bench and tests read it). */
  mostHeld = 0;

  constructor(
    private readonly dir: string,
    private readonly perPart: number,
    private readonly held: number,
  ) {}

  add(skill: CatalogSkill): void {
    this.current.push(skill);
    this.count++;
    this.inMemory++;
    this.mostHeld = Math.max(this.mostHeld, this.inMemory);
    if (this.current.length < this.perPart) return;
    this.close();
  }

  /** The skills in the order added, a part at a time; each part is let go of (and its file deleted) once handed out. Once only. */
  *drain(): Generator<CatalogSkill[]> {
    if (this.current.length > 0) this.parts.push(this.current);
    this.current = [];
    for (let i = 0; i < this.parts.length; i++) {
      const part = this.parts[i]!;
      this.parts[i] = [];
      if (typeof part !== "string") {
        this.inMemory -= part.length;
        yield part;
        continue;
      }
      const skills = deserialize(readFileSync(part)) as CatalogSkill[];
      rmSync(part, { force: true });
      yield skills;
    }
  }

  private close(): void {
    const part = this.current;
    this.current = [];
    if (this.inMemory <= this.held) {
      this.parts.push(part);
      return;
    }
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${this.spilled++}.v8`);
    writeFileSync(file, serialize(part));
    this.parts.push(file);
    this.inMemory -= part.length;
  }
}
