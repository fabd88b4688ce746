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
        // Without the body: the pages take it from the hand-over (data.ts), so the store, which
        // each build's page bundle keeps, holds only what the routes need.
        for (const { id, data } of (takeOver() as Record<typeof name, Entry[]>)[name]) store.set({ id, data });
      },
    },
  });
}

export const collections = { catalog: handedOver("catalog"), skills: handedOver("skills"), versions: handedOver("versions") };
