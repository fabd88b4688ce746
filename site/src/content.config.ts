import { defineCollection } from "astro:content";
import { takeOver } from "../handoff.mjs";

/**
 * The catalog's content: one loader over the view model `skillreg build` decided, handed over
 * in memory as content entries (handoff.mjs says what each collection holds and why a page's
 * view model is its entry's JSON body). The build hands over only the skills and versions
 * whose pages it renders this time (the others come from its page cache), so `skills` and
 * `versions` can be empty.
 */
type Entry = { id: string; data: Record<string, unknown>; body?: string };

function handedOver(name: "catalog" | "skills" | "versions") {
  return defineCollection({
    loader: {
      name: `skillreg-${name}`,
      load: async ({ store }) => {
        store.clear();
        for (const entry of (takeOver() as Record<typeof name, Entry[]>)[name]) store.set(entry);
      },
    },
  });
}

export const collections = { catalog: handedOver("catalog"), skills: handedOver("skills"), versions: handedOver("versions") };
