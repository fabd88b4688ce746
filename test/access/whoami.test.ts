import { describe, expect, it } from "vitest";
import { parseTokenExpiration, tokenExpiryWarning } from "../../registry/forge/github-tokens.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../helpers/tmp.js";
import { loadExchanges, startReplay } from "../helpers/github-replay.js";

const fixture = (name: string) => `github-sync/${name}.json`;

/** The header's format: `2026-03-31 00:00:00 UTC`. */
function headerDate(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

describe("token expiry", () => {
  it("parses GitHub's header in both forms", () => {
    expect(parseTokenExpiration("2026-03-31 00:00:00 UTC")?.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect(parseTokenExpiration("2026-03-31 00:00:00 -0800")?.toISOString()).toBe("2026-03-31T08:00:00.000Z");
    expect(parseTokenExpiration("next tuesday")).toBeUndefined();
    expect(parseTokenExpiration(undefined)).toBeUndefined();
  });

  it("warns within 7 days and after expiry, not before", () => {
    const now = new Date("2026-03-01T00:00:00Z");
    expect(tokenExpiryWarning(new Date("2026-03-09T00:00:00Z"), now)).toBeUndefined();
    expect(tokenExpiryWarning(new Date("2026-03-07T00:00:00Z"), now)).toBe(
      "the GitHub token expires in 6 days (2026-03-07T00:00:00.000Z); create a new one and run 'skillreg login'",
    );
    expect(tokenExpiryWarning(new Date("2026-03-01T05:00:00Z"), now)).toMatch(/^the GitHub token expires in 5 hours/);
    expect(tokenExpiryWarning(new Date("2026-02-28T00:00:00Z"), now)).toMatch(/^the GitHub token expired on 2026-02-28/);
    expect(tokenExpiryWarning(undefined, now)).toBeUndefined();
  });
});

describe("skillreg whoami against recorded GitHub exchanges", () => {
  const home = () => ({ HOME: tempDir(), XDG_CONFIG_HOME: "" });

  it("names the token's owner and warns when it expires within 7 days", async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000 + 3_600_000);
    const gh = await startReplay(loadExchanges(fixture("whoami"), { expires: headerDate(soon) }));
    const r = await runCli(["whoami", "https://github.com/acme/skills"], { cwd: tempDir(), env: { ...home(), GITHUB_TOKEN: "github_pat_x", GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe("alice (Alice Liddell) on github.com, token from GITHUB_TOKEN");
    expect(r.stderr).toMatch(/warning: the GitHub token expires in 3 days \(.*\); create a new one and run 'skillreg login'/);
    expect(gh.requests).toEqual([{ method: "GET", path: "/user", authorization: "token github_pat_x" }]);
  });

  it("does not warn for a token with weeks left, and reports it in JSON", async () => {
    const later = new Date(Date.now() + 30 * 86_400_000);
    const gh = await startReplay(loadExchanges(fixture("whoami"), { expires: headerDate(later) }));
    const r = await runCli(["whoami", "--json"], { cwd: tempDir(), env: { ...home(), GITHUB_TOKEN: "github_pat_x", GITHUB_API_URL: gh.url } });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("warning");
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ host: "github.com", source: "GITHUB_TOKEN", login: "alice", name: "Alice Liddell", scopes: null });
    expect(new Date(out.expiresAt).getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
  });

  it("says a classic token does not expire and lists its scopes", async () => {
    const gh = await startReplay(loadExchanges(fixture("whoami-classic")));
    const r = await runCli(["whoami", "git@github.com:acme/skills.git"], { cwd: tempDir(), env: { ...home(), GITHUB_TOKEN: "ghp_x", GITHUB_API_URL: gh.url } });
    expect(r.stdout).toBe("bob on github.com, token from GITHUB_TOKEN\ntoken does not expire\nclassic token scopes: repo, read:org\n");
    expect(r.code).toBe(0);
  });

  it("exits 1 when the token is rejected or missing", async () => {
    const gh = await startReplay(loadExchanges(fixture("whoami-revoked")));
    const bad = await runCli(["whoami"], { cwd: tempDir(), env: { ...home(), GITHUB_TOKEN: "ghp_revoked", GITHUB_API_URL: gh.url } });
    expect(bad.code).toBe(1);
    expect(bad.stderr.split("\n").filter((l) => l.startsWith("skillreg: error:"))).toEqual([
      "skillreg: error: GitHub rejected the token (401 Bad credentials); create a new one and run 'skillreg login'",
    ]);
    const none = await runCli(["whoami", "https://github.com/acme/skills"], { cwd: tempDir(), env: { ...home(), GITHUB_TOKEN: "", SKILLREG_TOKEN: "" } });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe("skillreg: error: not logged in to github.com: run 'skillreg login https://github.com/acme/skills' or set GITHUB_TOKEN\n");
  });
});
