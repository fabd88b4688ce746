import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVED_GIT_PATH, serveStatic, type StaticServer } from "../../registry/site-build/serve.js";
import { tempDir } from "../helpers/tmp.js";

/** A raw GET/HEAD: fetch() would normalise '..' away before the server ever sees it. */
function get(url: string, path: string, method = "GET"): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("serveStatic", () => {
  const root = tempDir();
  const site = join(root, "site");
  let server: StaticServer;

  beforeAll(async () => {
    mkdirSync(join(site, "skills/acme/x"), { recursive: true });
    mkdirSync(join(site, ".well-known/skills/x"), { recursive: true });
    mkdirSync(join(site, "data"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<h1>home</h1>");
    writeFileSync(join(site, "404.html"), "<h1>not here</h1>");
    writeFileSync(join(site, "skills/acme/x/index.html"), "<h1>x</h1>");
    writeFileSync(join(site, "site.js"), "1");
    writeFileSync(join(site, "data/blob.unknown-kind"), "w");
    writeFileSync(join(site, ".well-known/skills/index.json"), '{"skills":[]}');
    writeFileSync(join(site, ".well-known/skills/x/SKILL.md"), "# x");
    writeFileSync(join(site, ".well-known/skills/x/evil.html"), "<script>alert(1)</script>");
    writeFileSync(join(root, "secret.txt"), "outside the site");
    symlinkSync(join(root, "secret.txt"), join(site, "link.txt"));
    server = await serveStatic(site, { port: 0 });
  });
  afterAll(() => server.close());

  it("listens on 127.0.0.1 and serves index.html for folders", async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const home = await get(server.url, "/");
    expect(home.status).toBe(200);
    expect(home.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(home.body).toBe("<h1>home</h1>");
    expect((await get(server.url, "/skills/acme/x/")).body).toBe("<h1>x</h1>");
  });

  it("redirects a folder without its trailing slash", async () => {
    const r = await get(server.url, "/skills/acme/x");
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe("/skills/acme/x/");
  });

  it.each([
    ["/site.js", "text/javascript; charset=utf-8"],
    ["/.well-known/skills/index.json", "application/json; charset=utf-8"],
    ["/data/blob.unknown-kind", "application/octet-stream"],
  ])("serves %s as %s, never sniffed", async (path, type) => {
    const r = await get(server.url, path);
    expect(r.status).toBe(200);
    expect(r.headers["content-type"]).toBe(type);
    expect(r.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("serves skill files as sandboxed plain text, even when they are named .html", async () => {
    for (const path of ["/.well-known/skills/x/SKILL.md", "/.well-known/skills/x/evil.html"]) {
      const r = await get(server.url, path);
      expect(r.status).toBe(200);
      expect(r.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(r.headers["content-security-policy"]).toBe("sandbox");
    }
  });

  it.each(["/../secret.txt", "/%2e%2e/secret.txt", "/skills/%2e%2e/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/link.txt"])(
    "refuses to leave the site: %s",
    async (path) => {
      const r = await get(server.url, path);
      expect(r.status).toBe(404);
      expect(r.body).not.toContain("outside the site");
    },
  );

  it("answers 400 to malformed and NUL paths", async () => {
    expect((await get(server.url, "/%E0%A4%A")).status).toBe(400);
    expect((await get(server.url, "/index.html%00.js")).status).toBe(400);
    expect((await get(server.url, "/a%5c..%5csecret.txt")).status).toBe(400);
  });

  it("serves the site's 404 page for a missing path, and only GET and HEAD", async () => {
    const missing = await get(server.url, "/nope/");
    expect(missing.status).toBe(404);
    expect(missing.body).toBe("<h1>not here</h1>");
    const head = await get(server.url, "/", "HEAD");
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect(head.headers["content-length"]).toBe("13");
    expect((await get(server.url, "/", "POST")).status).toBe(405);
  });

  it("answers pages at clean URLs, beside a folder of the same name", async () => {
    mkdirSync(join(site, "skills/acme/y"), { recursive: true });
    writeFileSync(join(site, "browse.html"), "<h1>browse</h1>");
    writeFileSync(join(site, "skills/acme/y.html"), "<h1>y</h1>");
    writeFileSync(join(site, "skills/acme/y/1.0.0.html"), "<h1>y 1.0.0</h1>");
    for (const [path, body] of [["/browse", "<h1>browse</h1>"], ["/browse.html", "<h1>browse</h1>"], ["/skills/acme/y", "<h1>y</h1>"], ["/skills/acme/y/1.0.0", "<h1>y 1.0.0</h1>"]]) {
      const r = await get(server.url, path!);
      expect(r.status, path).toBe(200);
      expect(r.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(r.body).toBe(body);
    }
  });

  it("says which port is taken", async () => {
    const port = Number(new URL(server.url).port);
    await expect(serveStatic(site, { port })).rejects.toThrow(`port ${port} is already in use; pick another with --port`);
  });
});

const execFileAsync = promisify(execFile);

describe("serveStatic with the registry's Git", () => {
  const root = tempDir();
  const site = join(root, "site");
  const repo = join(root, "registry");
  let server: StaticServer;
  // Asynchronous: the server answers from this same process.
  const git = async (args: string[], cwd = root) => (await execFileAsync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } })).stdout;

  beforeAll(async () => {
    mkdirSync(site);
    writeFileSync(join(site, "index.html"), "<h1>home</h1>");
    await git(["init", "--quiet", "-b", "main", repo]);
    writeFileSync(join(repo, "skillreg.yaml"), "name: t\n");
    await git(["add", "."], repo);
    await git(["-c", "user.name=t", "-c", "user.email=t@example", "commit", "--quiet", "-m", "first"], repo);
    await git(["tag", "v1"], repo);
    server = await serveStatic(site, { port: 0, gitDir: join(repo, ".git") });
  });
  afterAll(() => server.close());

  it("serves the site and a clone of the repository on one origin", async () => {
    expect((await get(server.url, "/")).body).toBe("<h1>home</h1>");
    await git(["clone", "--quiet", `${server.url}${SERVED_GIT_PATH}`, "clone"]);
    expect(readFileSync(join(root, "clone/skillreg.yaml"), "utf8")).toBe("name: t\n");
    expect((await git(["tag", "--list"], join(root, "clone"))).trim()).toBe("v1");
  });

  it("refuses a push, and every request but the two a fetch makes", async () => {
    writeFileSync(join(root, "clone/evil.txt"), "x");
    await git(["add", "."], join(root, "clone"));
    await git(["-c", "user.name=t", "-c", "user.email=t@example", "commit", "--quiet", "-m", "evil"], join(root, "clone"));
    await expect(git(["push", "--quiet", "origin", "HEAD:refs/heads/evil"], join(root, "clone"))).rejects.toThrow(/403/);
    expect((await git(["branch", "--list"], repo)).trim()).toBe("* main");
    for (const [path, method] of [
      [`/${SERVED_GIT_PATH}/info/refs?service=git-receive-pack`, "GET"],
      [`/${SERVED_GIT_PATH}/git-receive-pack`, "POST"],
      [`/${SERVED_GIT_PATH}/HEAD`, "GET"],
      [`/${SERVED_GIT_PATH}/objects/info/packs`, "GET"],
      [`/${SERVED_GIT_PATH}/info/refs?service=git-upload-pack`, "DELETE"],
    ]) {
      expect((await get(server.url, path!, method)).status, `${method} ${path}`).toBe(403);
    }
  });
});
