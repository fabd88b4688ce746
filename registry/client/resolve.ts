import semver from "semver";
import { SkillregError } from "../core/index.js";
import { isValidName } from "../core/index.js";

/**
 * Which version a range picks, decided from the index alone (pure). Ranges are npm's:
 * exact (`1.2.3`), `~1.2.0`, `^1.2.0`, comparisons (`>=1.2 <2`), `x` ranges and `latest`.
 * Yanked versions are never picked unless the lock already names them; prereleases only
 * when the range itself names one or `prerelease` is asked for.
 */

export interface SkillSpec {
  scope: string;
  name: string;
  /** As written; "latest" when the spec has none. */
  range: string;
}

/** `@scope/name[@range]` -> its parts. Throws a one-line error on anything else. */
export function parseSkillSpec(spec: string): SkillSpec {
  const m = /^@([^/@\s]+)\/([^/@\s]+)(?:@(.+))?$/.exec(spec);
  if (!m) throw new SkillregError(`'${spec}' is not a skill; write it as @scope/name or @scope/name@range (e.g. @acme/deploy@^1.2.0)`);
  const [, scope = "", name = "", range = "latest"] = m;
  if (!isValidName(scope)) throw new SkillregError(`'${spec}': '${scope}' is not a valid scope name`);
  if (!isValidName(name)) throw new SkillregError(`'${spec}': '${name}' is not a valid skill name`);
  if (range !== "latest" && semver.validRange(range) === null) {
    throw new SkillregError(`'${spec}': '${range}' is not a version range (use 1.2.3, ~1.2.0, ^1.2.0, >=1.2 <2 or latest)`);
  }
  return { scope, name, range };
}

export interface ResolvableVersion {
  version: string;
  yanked: { reason: string } | null;
}

export interface ResolveOptions {
  /** The version the lock names: it may be picked even when yanked. */
  locked?: string;
  /** Let ranges match prerelease versions. */
  prerelease?: boolean;
}

/** Pick the version `range` resolves to, or throw saying what exists and why nothing fits. */
export function resolveVersion<T extends ResolvableVersion>(skill: string, versions: readonly T[], range: string, opts: ResolveOptions = {}): T {
  const usable = versions.filter((v) => !v.yanked || v.version === opts.locked);
  const pick = (version: string | null) => (version === null ? undefined : usable.find((v) => v.version === version));

  let chosen: T | undefined;
  if (range === "latest") {
    const stable = usable.filter((v) => opts.prerelease || semver.prerelease(v.version) === null);
    chosen = pick(semver.maxSatisfying(stable.map((v) => v.version), "*", { includePrerelease: true }));
  } else if (semver.valid(range) !== null) {
    chosen = pick(semver.valid(range));
    const yanked = versions.find((v) => v.version === semver.valid(range) && v.yanked);
    if (!chosen && yanked) throw new SkillregError(`${skill}@${range} is yanked: ${yanked.yanked!.reason}`);
  } else {
    chosen = pick(semver.maxSatisfying(usable.map((v) => v.version), range, { includePrerelease: opts.prerelease === true }));
  }
  if (chosen) return chosen;

  const available = versions.filter((v) => !v.yanked).map((v) => v.version);
  const yanked = versions.filter((v) => v.yanked).map((v) => v.version);
  const onlyPre = range === "latest" && available.length > 0 && available.every((v) => semver.prerelease(v) !== null);
  throw new SkillregError(
    versions.length === 0
      ? `${skill} has no published versions`
      : `no version of ${skill} matches ${range} (available: ${available.join(", ") || "none"}${yanked.length ? `; yanked: ${yanked.join(", ")}` : ""})` +
          (onlyPre ? "; only prereleases exist: name one or pass --prerelease" : ""),
  );
}

/** The range to record for a skill pulled without one: `^` of what was picked, like npm. */
export function defaultRange(range: string, version: string): string {
  if (range !== "latest") return range;
  return semver.prerelease(version) === null ? `^${version}` : version;
}
