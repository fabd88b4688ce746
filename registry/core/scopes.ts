import { SkillregError } from "./errors.js";
import {
  NAME_MAX_LENGTH,
  NAME_WORDS,
  PRINCIPAL_MAX_LENGTH,
  PRINCIPAL_PATTERN,
  PRINCIPAL_WORDS,
  type RegistryConfig, type Role, type ScopeFile, type Scopes, type Visibility } from "./config/schema.js";
import { isValidName } from "./layout.js";

/**
 * Who may do what, decided from loaded scope files and config alone (no I/O).
 * Maps come from YAML written by anyone: look keys up as own properties only, so a
 * principal named `constructor` or `__proto__` never finds something inherited.
 */
function own<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

const principalRe = new RegExp(PRINCIPAL_PATTERN);

/** Check a principal given on the command line; throws a one-line error naming `what`. */
export function checkPrincipal(principal: string, what: string): string {
  if (principal.length > PRINCIPAL_MAX_LENGTH || !principalRe.test(principal)) {
    throw new SkillregError(`${what} '${principal}' is not a valid principal: use ${PRINCIPAL_WORDS}`);
  }
  return principal;
}

/** The principal's role in the scope, or undefined when it has none (or the scope does not exist). */
export function roleOf(scopes: Scopes, scope: string, principal: string): Role | undefined {
  return own(scopes.get(scope)?.members, principal);
}

/** Owners and maintainers publish to a scope and review its pull requests. */
export function canPublish(scopes: Scopes, scope: string, principal: string): boolean {
  const role = roleOf(scopes, scope, principal);
  return role === "owner" || role === "maintainer";
}

/** Every member of a scope, readers included, may pull its private skills. */
export function canReadPrivate(scopes: Scopes, scope: string, principal: string): boolean {
  return roleOf(scopes, scope, principal) !== undefined;
}

/** Registry admins own skillreg.yaml, scopes/, allowed_signers and .github/. */
export function isAdmin(config: RegistryConfig, principal: string): boolean {
  return config.admins.includes(principal);
}

/** A skill's visibility: its own setting, else the scope's, else private. */
export function skillVisibility(scopeFile: ScopeFile, name: string): Visibility {
  return own(scopeFile.skills, name)?.visibility ?? scopeFile.visibility;
}

/** Why a yanked or deprecated version is so, or undefined when it is not. */
export function yankReason(scopeFile: ScopeFile, name: string, version: string): string | undefined {
  return own(own(scopeFile.skills, name)?.yanked, version);
}

export function deprecationReason(scopeFile: ScopeFile, name: string, version: string): string | undefined {
  return own(own(scopeFile.skills, name)?.deprecated, version);
}

/** The principals holding one of `roles` in a scope, sorted. */
export function membersWith(scopeFile: ScopeFile, roles: readonly Role[]): string[] {
  return Object.entries(scopeFile.members)
    .filter(([, role]) => roles.includes(role))
    .map(([principal]) => principal)
    .sort();
}

/**
 * A scope as the user writes it (`@acme-corp`, or `acme-corp`) -> its name in paths.
 * Throws a one-line SkillregError saying what is wrong.
 */
export function scopeFromArg(arg: string): string {
  const scope = arg.startsWith("@") ? arg.slice(1) : arg;
  if (scope === "") throw new SkillregError(`'${arg}' is not a scope; write it like @acme-corp`);
  if (scope.length > NAME_MAX_LENGTH) {
    throw new SkillregError(`scope '@${scope.slice(0, 20)}...' is longer than ${NAME_MAX_LENGTH} characters`);
  }
  if (!isValidName(scope)) {
    throw new SkillregError(`'${arg}' is not a valid scope name: use ${NAME_WORDS}`);
  }
  return scope;
}
