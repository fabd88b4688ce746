import { describe, expect, it } from "vitest";
import { changedFiles, textDiff } from "../../registry/site-build/diff.js";
import { renderMarkdown } from "../../registry/site-build/markdown.js";

describe("renderMarkdown (hostile SKILL.md)", () => {
  it("renders ordinary Markdown: headings, lists, code, tables, task lists, safe links", () => {
    const html = renderMarkdown(
      "# Title\n\nSome **bold** and `code`.\n\n- [x] done\n- [ ] todo\n\n```bash\necho hi\n```\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n[docs](https://example.com/docs \"Docs\") <https://auto.example>\n",
    );
    expect(html).toContain("<h3>Title</h3>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<code class="language-bash">echo hi\n</code>');
    expect(html).toContain('<td align="right">2</td>');
    expect(html).toContain('<input type="checkbox" disabled checked />');
    expect(html).toContain('<a href="https://example.com/docs" title="Docs" rel="nofollow noopener noreferrer ugc">docs</a>');
    expect(html).toContain('<a href="https://auto.example" rel="nofollow noopener noreferrer ugc">');
  });

  /**
   * What makes rendered HTML dangerous, looked for in tags only: escaped text such as
   * "&lt;img onerror=...&gt;" is harmless and is what a reviewer should see.
   */
  function dangers(html: string): string[] {
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    const found: string[] = [];
    for (const tag of tags) {
      const name = /^<([a-z0-9]+)/i.exec(tag)![1]!.toLowerCase();
      if (!ALLOWED_TAGS.has(name)) found.push(`tag <${name}>`);
      if (/\son[a-z]+\s*=/i.test(tag)) found.push(`event handler in ${tag}`);
      if (/\sstyle\s*=/i.test(tag)) found.push(`style attribute in ${tag}`);
      if (/\s(?:src|action|formaction|srcdoc)\s*=/i.test(tag)) found.push(`resource attribute in ${tag}`);
      const href = /\shref="([^"]*)"/i.exec(tag)?.[1];
      if (href !== undefined && !/^(?:https?:|mailto:)/i.test(href)) found.push(`href ${href}`);
    }
    return found;
  }
  const ALLOWED_TAGS = new Set("h1 h2 h3 h4 h5 h6 p br hr blockquote pre code em strong del s ul ol li a table thead tbody tr th td input sup sub kbd".split(" "));

  it.each([
    ["script tag", "<script>alert(1)</script>"],
    ["inline script in a heading", "# Hi <script>alert(1)</script>"],
    ["event handler", '<img src=x onerror="alert(1)">'],
    ["iframe", '<iframe src="https://evil.example"></iframe>'],
    ["form", '<form action="https://evil.example"><input name=t><button formaction="https://evil.example">go</button></form>'],
    ["style element", "<style>body{display:none}</style>"],
    ["style attribute", '<div style="position:fixed">x</div>'],
    ["svg onload", "<svg onload=alert(1)></svg>"],
    ["javascript: link", "[x](javascript:alert(1))"],
    ["obfuscated javascript: link", "[x](jav&#x09;ascript:alert(1)) [y](JaVaScRiPt:alert(1))"],
    ["data: link", "[x](data:text/html,<script>alert(1)</script>)"],
    ["vbscript: link", "[x](vbscript:msgbox(1))"],
    ["reference-style javascript: link", "[x][1]\n\n[1]: javascript:alert(1)"],
    ["raw anchor with handler", '<a href="javascript:alert(1)" onclick="alert(2)">x</a>'],
    ["remote image (tracking)", "![t](https://tracker.example/p.gif)"],
    ["html in a table cell", "| a |\n|---|\n| <b onmouseover=alert(1)>x</b> |"],
    ["object and embed", '<object data="x.swf"></object><embed src="x">'],
    ["meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
    ["base tag", '<base href="https://evil.example/">'],
    ["html comment hiding a script", "<!-- --><script>alert(1)</script><!-- -->"],
    ["inline html in a paragraph", "text <span onmouseover=alert(1)>hover</span> text"],
  ])("%s renders inert", (_name, markdown) => {
    expect(dangers(renderMarkdown(markdown))).toEqual([]);
  });

  it("the danger check itself finds what it looks for", () => {
    expect(dangers('<p><img src="x" onerror="a()"><a href="javascript:x">y</a></p>')).toEqual([
      "tag <img>",
      'event handler in <img src="x" onerror="a()">',
      'resource attribute in <img src="x" onerror="a()">',
      "href javascript:x",
    ]);
  });

  it("leads relative links where the resolver says, and makes those that lead nowhere plain text", () => {
    const seen: string[] = [];
    const html = renderMarkdown(
      "[sections](references/sections.md) [line](./run.sh#L3) [gone](missing.md) [site](https://example.com/x) [top](#steps) [rooted](/etc/passwd) [js](javascript:alert(1)) [proto](//evil.example/x)\n",
      {
        resolveLink: (href) => {
          seen.push(href);
          return href.startsWith("missing") ? undefined : `/catalog/files/${href.replace(/^\.\//, "")}.html`;
        },
      },
    );
    expect(seen).toEqual(["references/sections.md", "./run.sh#L3", "missing.md"]);
    expect(html).toContain('<a href="/catalog/files/references/sections.md.html" rel="nofollow noopener noreferrer ugc">sections</a>');
    expect(html).toContain('<a href="/catalog/files/run.sh#L3.html" rel="nofollow noopener noreferrer ugc">line</a>');
    expect(html).toContain('<a rel="nofollow noopener noreferrer ugc">gone</a>');
    expect(html).toContain('<a href="https://example.com/x" rel="nofollow noopener noreferrer ugc">site</a>');
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("//evil.example");
  });

  it("shows raw HTML as text so a reviewer can see it", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)">');
    expect(html).toContain('&lt;img src=x onerror="alert(1)"&gt;');
  });
});

describe("version changes", () => {
  const f = (path: string, oid: string, size: number) => ({ path, oid, size });

  it("lists added, removed and modified files by path", () => {
    const changes = changedFiles(
      [f("SKILL.md", "a", 10), f("old.sh", "b", 5), f("same.txt", "c", 3)],
      [f("SKILL.md", "a2", 12), f("new.py", "d", 7), f("same.txt", "c", 3)],
    );
    expect(changes).toEqual([
      { path: "SKILL.md", change: "modified", size: 12, previousSize: 10 },
      { path: "new.py", change: "added", size: 7, previousSize: null },
      { path: "old.sh", change: "removed", size: null, previousSize: 5 },
    ]);
  });

  it("diffs SKILL.md line by line with line numbers", () => {
    const diff = textDiff("a\nb\nc\n", "a\nB\nc\nd\n");
    expect("hunks" in diff && diff.hunks).toEqual([
      {
        header: "@@ -1,3 +1,4 @@",
        lines: [
          { kind: "context", text: "a", oldLine: 1, newLine: 1 },
          { kind: "del", text: "b", oldLine: 2 },
          { kind: "add", text: "B", newLine: 2 },
          { kind: "context", text: "c", oldLine: 3, newLine: 3 },
          { kind: "add", text: "d", newLine: 4 },
        ],
      },
    ]);
  });

  it("gives up on a diff too large to show instead of spending minutes on it", () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join("\n");
    const b = Array.from({ length: 20_000 }, (_, i) => `other ${i}`).join("\n");
    expect(textDiff(a, b)).toEqual({ tooLarge: true });
  });
});
