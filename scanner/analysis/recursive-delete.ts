/**
 * A recursive `rm` whose operands, as the shell expands them, are the filesystem root or the
 * home folder: an operand folded from a decoded constant (`"$(echo "$p" | base64 -d)"` with p
 * `Lw==` is `/`), or any later operand spelled `"$HOME"` beside a substitution the pattern
 * rules cannot read past. The pattern rule (scanner/rules/destructive.ts) sees the plain forms.
 */
import { DANGEROUS_TARGETS } from "../rules/destructive.js";
import type { CodeHit } from "./code.js";
import type { CodeFacts } from "./facts.js";

/** `$( … )` groups, nested ones included, dropped from a command's text. */
function withoutSubstitutions(text: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "(") {
      depth++;
      i++;
      continue;
    }
    if (depth > 0) {
      if (text[i] === "(") depth++;
      else if (text[i] === ")") depth--;
      continue;
    }
    out += text[i];
  }
  return out;
}

export function recursiveDeletes(facts: CodeFacts): CodeHit[] {
  for (const c of facts.calls) {
    // Only operands behind a substitution: a spelled-out `rm -rf ~` is the pattern rule's, with its context.
    if (c.name !== "rm" || !c.text.includes("$(")) continue;
    const words = c.args.filter((a): a is string => a !== undefined);
    if (!words.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive")) continue;
    const folded = words.filter((a) => !a.startsWith("-")).find((a) => DANGEROUS_TARGETS.has(a));
    const spelled = withoutSubstitutions(c.text.split("\n")[0]!)
      .split(/\s+/)
      .slice(1)
      .map((t) => t.replace(/^["']|["']$/g, ""))
      .find((t) => DANGEROUS_TARGETS.has(t));
    const target = folded ?? spelled;
    if (target) return [{ ruleId: "SR-DESTROY-010", offset: c.offset, length: c.length, message: `Deletes ${target === "/" || target === "/*" ? "the filesystem root" : target} recursively${folded ? " (an operand decoded from a constant)" : ""}.` }];
  }
  return [];
}
