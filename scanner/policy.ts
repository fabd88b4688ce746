/**
 * The registry's severity policy (skillreg.yaml `policy.rules`): raise, lower or disable a
 * rule. A critical payload rule (reverse shell, miner, private key, hidden Unicode tags...)
 * may be lowered to high at most and never disabled: a registry can choose to review such a
 * skill instead of blocking it, but can't let it through unseen. Anything invalid is an
 * error naming the rule, never silently ignored.
 */
import { RULES } from "./rules/index.js";
import { SEVERITIES, type Rule, type ScanPolicy, type Severity } from "./types.js";

export class ScanPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScanPolicyError";
  }
}

export interface ResolvedPolicy {
  /** The severity a rule reports at, or undefined when the policy turns it off. */
  severityOf(rule: Rule): Severity | undefined;
}

/** Whether a rule is a critical payload rule (bounded by policy at high). */
export function isPinnedPayload(rule: Rule): boolean {
  return rule.context === "payload" && rule.severity === "critical";
}

export function resolvePolicy(policy: ScanPolicy = {}): ResolvedPolicy {
  const overrides = new Map<string, Severity | "off">();
  const rules = policy.rules ?? {};
  if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
    throw new ScanPolicyError("policy.rules must be a map of rule id to critical, high, medium, low or off");
  }
  for (const [id, value] of Object.entries(rules)) {
    const rule = RULES.find((r) => r.id === id);
    if (!rule) throw new ScanPolicyError(`policy.rules.${id}: no such rule (run 'skillreg scan --list-rules' for the list)`);
    if (value !== "off" && !(SEVERITIES as readonly string[]).includes(value as string)) {
      throw new ScanPolicyError(`policy.rules.${id}: '${String(value)}' is not one of critical, high, medium, low, off`);
    }
    if (isPinnedPayload(rule) && (value === "off" || value === "medium" || value === "low")) {
      throw new ScanPolicyError(`policy.rules.${id}: '${value}' is not allowed; ${id} (${rule.title}) is a critical payload rule and can be lowered to high at most`);
    }
    overrides.set(id, value);
  }
  return {
    severityOf(rule) {
      const o = overrides.get(rule.id);
      return o === "off" ? undefined : (o ?? rule.severity);
    },
  };
}
