import { readFileSync } from "node:fs";
import type { SiteData } from "../../registry/site-build/index.js";

/** The catalog's view model, prepared by registry/catalog.ts and handed over as a JSON file. */
function load(): SiteData {
  const file = process.env.SKILLREG_SITE_DATA;
  if (!file) throw new Error("SKILLREG_SITE_DATA is not set: build the site with `skillreg build`");
  return JSON.parse(readFileSync(file, "utf8")) as SiteData;
}

export const site: SiteData = load();
