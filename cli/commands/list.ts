import { installTarget, verifyInstalled } from "../../registry/client/index.js";
import { readLock } from "../../registry/client/index.js";
import { flag, printResult, type Command } from "../command.js";

export const command: Command = {
  name: "list",
  scanner: "on demand",
  summary: "List the skills in skillreg.lock",
  help: `Usage: skillreg list [options]

Show every installed skill: version, range, signer, registry and where it is installed.

The signer is the one skillreg.lock records, shown only where the installed files match the
lock (else "signer unverified"). The lock is a file anyone can edit, in a pull request too:
'skillreg install --frozen' verifies every signature against the registry again.

Options:
  --global    use the user-level lock
  --json      print the lock's skills as JSON (filesMatchLock: the installed files match it)
  -h, --help  show this help`,
  options: { global: { type: "boolean" }, json: { type: "boolean" } },
  async run(args, ctx) {
    const target = installTarget(ctx.cwd, ctx.env, flag(args, "global"));
    const lock = await readLock(target.lockPath);
    // Offline and cheap, as npm ls is: the files are checked against the lock, the signature is not fetched.
    const differing = new Set((await verifyInstalled(target.root, lock)).map((d) => d.skill));
    const keys = Object.keys(lock.skills).sort();
    const skills = keys.map((k) => {
      const e = lock.skills[k]!;
      return {
        skill: k,
        version: e.version,
        range: e.range,
        registry: e.registry,
        signer: e.signer,
        filesMatchLock: !differing.has(k),
        paths: e.paths,
        ...(e.as !== undefined ? { as: e.as } : {}),
      };
    });
    printResult(args, ctx, { skills }, () => {
      if (skills.length === 0) ctx.out.line("no skills installed here (skillreg pull <@scope/name> installs one)");
      for (const s of skills) {
        const signer = s.filesMatchLock ? `signed by ${s.signer.principal} (per skillreg.lock)` : "signer unverified (the installed files differ from skillreg.lock)";
        ctx.out.line(`${ctx.out.color.bold(`${s.skill}@${s.version}`)}  (${s.range})${s.as !== undefined ? `  as ${s.as}` : ""}  ${signer}  from ${s.registry}`);
        for (const p of s.paths) ctx.out.line(`  ${p}`);
      }
      if (skills.length > 0) ctx.out.line(ctx.out.color.dim("signers as skillreg.lock records them; 'skillreg verify' names changed files, 'skillreg install --frozen' re-verifies each signature"));
    });
    return 0;
  },
};
