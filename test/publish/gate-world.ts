import { createHash } from "node:crypto";
import { generateCodeowners } from "../../registry/publish/codeowners.js";
import { addCommitSignature } from "../../registry/trust/commit-signature.js";
import { parseRegistryConfig, parseScopes } from "../../registry/core/config/load.js";
import type { ChangeCommit, GateFacts, SkillFacts, TreeFile } from "../../registry/publish/gate/facts-types.js";
import { loadSigner, type Signer } from "../../registry/trust/signer.js";
import { buildTagPayload, signTag, taggerFor, tagName } from "../../registry/trust/tags.js";
import { makeSshKey } from "../helpers/keys.js";
import { skillMd } from "../helpers/skill-md.js";

/**
 * A registry as plain gate facts, no repository: real keys and real signatures, fake object
 * ids. Scopes: @acme-corp (alice owner, bob and carol maintainers, dave reader) and @alice
 * (alice owner). admin is the registry admin, carol the security reviewer; mallory's key is
 * not in allowed_signers.
 */

export const NOW = new Date("2026-06-01T12:00:00Z");

export const CONFIG = `name: test-registry
admins: [admin]
policy:
  securityReviewers: [carol]
  rules:
    SR-OVERRIDE-002: critical
`;

export const SCOPES: Record<string, string> = {
  "scopes/acme-corp.yaml": "scope: acme-corp\nmembers:\n  alice: owner\n  bob: maintainer\n  carol: maintainer\n  dave: reader\n",
  "scopes/alice.yaml": "scope: alice\nmembers:\n  alice: owner\n",
};

export function codeownersFor(config: string, scopes: Record<string, string>): string {
  return generateCodeowners(
    parseRegistryConfig(config),
    parseScopes(Object.entries(scopes).map(([path, content]) => ({ path, content }))),
  );
}

/** A stand-in object id, stable for the same input. */
export function fakeId(seed: string): string {
  return createHash("sha1").update(seed).digest("hex");
}

export function treeFiles(files: Record<string, string>): TreeFile[] {
  return Object.entries(files).map(([path, text]) => {
    const bytes = Buffer.from(text, "utf8");
    return { path, mode: "100644", size: bytes.length, bytes };
  });
}

export interface World {
  signers: Record<"alice" | "bob" | "carol" | "dave" | "admin" | "mallory", Signer>;
  allowedSigners: string;
}

export async function makeWorld(dir: string): Promise<World> {
  const names = ["alice", "bob", "carol", "dave", "admin", "mallory"] as const;
  const signers = {} as World["signers"];
  for (const n of names) signers[n] = await loadSigner(makeSshKey(dir, n).privatePath);
  const allowedSigners = names
    .filter((n) => n !== "mallory")
    .map((n) => `${n} namespaces="git" ${signers[n].publicKey}`)
    .join("\n");
  return { signers, allowedSigners: allowedSigners + "\n" };
}

export async function signedTag(
  signer: Signer | undefined,
  fields: { scope: string; name: string; version: string; tree: string; principal?: string; tag?: string },
): Promise<Buffer> {
  const payload = buildTagPayload({
    object: fields.tree,
    type: "tree",
    tag: fields.tag ?? tagName(fields.scope, fields.name, fields.version),
    tagger: taggerFor(fields.principal ?? "someone", new Date("2026-05-01T00:00:00Z")),
    message: `${fields.scope}/${fields.name} ${fields.version}\n`,
  });
  return signer ? signTag(payload, signer) : payload;
}

export async function signedCommit(signer: Signer | undefined, seed: string): Promise<{ id: string; raw: string }> {
  const payload = Buffer.from(
    `tree ${fakeId(`tree ${seed}`)}\nparent ${fakeId(`parent ${seed}`)}\nauthor A <a@example> 1780000000 +0000\ncommitter A <a@example> 1780000000 +0000\n\n${seed}\n`,
  );
  const raw = signer ? addCommitSignature(payload, await signer.sign(payload, "git")) : payload;
  return { id: fakeId(raw.toString()), raw: raw.toString("utf8") };
}

/** One commit introducing every path of the change `facts` describes, signed by `signer` (unsigned when undefined). */
export async function wholeChangeCommit(signer: Signer | undefined, seed: string, facts: Pick<GateFacts, "changes" | "trusted" | "proposed">): Promise<ChangeCommit> {
  const paths = facts.changes.map((c) => c.path);
  const scopeFiles = paths
    .filter((p) => p.startsWith("scopes/"))
    .map((path) => ({
      path,
      ...(facts.trusted.scopes[path] !== undefined && { before: facts.trusted.scopes[path] }),
      ...(facts.proposed.scopes[path] !== undefined && { after: facts.proposed.scopes[path] }),
    }));
  return { ...(await signedCommit(signer, seed)), paths, scopeFiles };
}

/** Facts of a change where `publisher` publishes @scope/name@version as a new skill. */
export async function publishFacts(
  world: World,
  opts: { scope?: string; name?: string; version?: string; publisher?: keyof World["signers"]; body?: string } = {},
): Promise<GateFacts> {
  const scope = opts.scope ?? "acme-corp";
  const name = opts.name ?? "hello";
  const version = opts.version ?? "1.0.0";
  const publisher = opts.publisher ?? "alice";
  const signer = world.signers[publisher];
  const files = { "SKILL.md": skillMd(name, version, opts.body) };
  const tree = fakeId(`tree ${scope}/${name} ${version} ${opts.body ?? ""}`);
  const tag = await signedTag(signer, { scope, name, version, tree, principal: publisher });
  const skill: SkillFacts = {
    scope,
    name,
    headTree: tree,
    headFiles: treeFiles(files),
    baseVersions: [],
    existingTags: [],
    tagFiles: [{ path: `publish/${scope}/${name}/${version}.tag`, version, status: "added", after: tag }],
  };
  const control = { config: CONFIG, scopes: { ...SCOPES }, allowedSigners: world.allowedSigners, codeowners: codeownersFor(CONFIG, SCOPES), roots: [] };
  const facts: GateFacts = {
    base: fakeId("base"),
    head: fakeId("head"),
    forkPoint: fakeId("base"),
    changes: [
      { path: `publish/${scope}/${name}/${version}.tag`, status: "added" },
      { path: `skills/${scope}/${name}/SKILL.md`, status: "added" },
    ],
    trusted: control,
    proposed: { ...control, scopes: { ...SCOPES } },
    commits: [],
    skills: [skill],
  };
  facts.commits = [await wholeChangeCommit(signer, `publish ${scope}/${name}@${version}`, facts)];
  return facts;
}
