/**
 * Tenth recall round, services and machine-wide protections opened to anyone (reviewed, high):
 * each written in a form, tool or file layout other than the development set's, beside an honest
 * counterpart that must stay at medium or below.
 */
import { describe, it } from "vitest";
import { atMostMedium, reviewed, scanOf } from "./severity-asserts.js";

describe("service opened to anyone without authentication (SR-PRIV-060)", () => {
  it("a pg_hba.conf shipped with trust for every IPv6 address; scram for a subnet is not", () => {
    reviewed(scanOf({ "conf/pg_hba.conf": "local all all peer\nhostssl all all ::/0 trust\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "conf/pg_hba.conf": "local all all peer\nhostssl all all 10.20.0.0/16 scram-sha-256\n" }));
  });
  it("redis-server started with protected mode off on the command line; with a password it is not", () => {
    reviewed(scanOf({ "start.sh": "#!/bin/sh\nredis-server --bind 0.0.0.0 --protected-mode no --port 6379 &\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "start.sh": "#!/bin/sh\nredis-server --bind 0.0.0.0 --protected-mode no --requirepass \"$REDIS_PASSWORD\" &\n" }));
  });
  it("Grafana's anonymous Editor through docker-compose environment; anonymous Viewer is not", () => {
    const compose = (role: string) => `services:\n  grafana:\n    image: grafana/grafana\n    environment:\n      GF_AUTH_ANONYMOUS_ENABLED: "true"\n      GF_AUTH_ANONYMOUS_ORG_ROLE: ${role}\n`;
    reviewed(scanOf({ "docker-compose.yml": compose("Editor") }), "SR-PRIV-060");
    atMostMedium(scanOf({ "docker-compose.yml": compose("Viewer") }));
  });
  it("MongoDB bound to every interface with authorization disabled; with it enabled it is not", () => {
    reviewed(scanOf({ "mongod.conf": "net:\n  bindIp: 0.0.0.0\nsecurity:\n  authorization: disabled\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "mongod.conf": "net:\n  bindIp: 0.0.0.0\nsecurity:\n  authorization: enabled\n" }));
  });
  it("Elasticsearch with security off on every interface; on localhost it is not", () => {
    reviewed(scanOf({ "elasticsearch.yml": "network.host: 0.0.0.0\nxpack.security.enabled: false\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "elasticsearch.yml": "network.host: 127.0.0.1\nxpack.security.enabled: false\n" }));
  });
  it("Spring actuator all exposed in YAML with shutdown on; health and info only is not", () => {
    reviewed(scanOf({ "application.yml": "management:\n  endpoints:\n    web:\n      exposure:\n        include: \"*\"\n  endpoint:\n    shutdown:\n      enabled: true\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "application.yml": "management:\n  endpoints:\n    web:\n      exposure:\n        include: health,info\n" }));
  });
  it("WinRM opened with winrm set in a batch file; HTTPS with certificate auth is not", () => {
    reviewed(scanOf({ "winrm.ps1": "winrm set winrm/config/service '@{AllowUnencrypted=\"true\"}'\nwinrm set winrm/config/service/auth '@{Basic=\"true\"}'\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "winrm.ps1": "winrm set winrm/config/service '@{AllowUnencrypted=\"false\"}'\nwinrm set winrm/config/service/auth '@{Certificate=\"true\"}'\n" }));
  });
  it("an NFS export of the home tree to 0.0.0.0/0 with no_root_squash; a read-only subnet export is not", () => {
    reviewed(scanOf({ "setup.sh": "echo '/home 0.0.0.0/0(no_root_squash,rw,insecure)' | sudo tee -a /etc/exports\nsudo exportfs -ra\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "setup.sh": "echo '/srv/share 192.168.0.0/24(ro,root_squash)' | sudo tee -a /etc/exports\nsudo exportfs -ra\n" }));
  });
  it("kubectl proxy with the Host filter off on every interface; on localhost it is not", () => {
    reviewed(scanOf({ "dash.sh": "kubectl proxy --disable-filter=true --address=0.0.0.0 &\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "dash.sh": "kubectl proxy --address=127.0.0.1 --port=8001 &\n" }));
  });
  it("a kubelet configuration allowing everything; webhook authorization is not", () => {
    reviewed(scanOf({ "kubelet.yaml": "kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nauthorization:\n  mode: AlwaysAllow\n" }), "SR-PRIV-060");
    atMostMedium(scanOf({ "kubelet.yaml": "kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\nauthorization:\n  mode: Webhook\n" }));
  });
  it("a documented snippet in SKILL.md is left to the prose rules", () => {
    atMostMedium(scanOf({ "SKILL.md": "---\nname: pg-audit\ndescription: audits pg_hba\n---\n# Audit\nFlag lines like this one, which let anyone in:\n\n```\nhost all all 0.0.0.0/0 trust\n```\n" }));
  });
});

describe("machine-wide protection taken away (SR-PRIV-061)", () => {
  it("ASLR switched off through /proc in a script; a per-process setarch -R is not", () => {
    reviewed(scanOf({ "debug.sh": "#!/bin/bash\necho 0 | sudo tee /proc/sys/kernel/randomize_va_space\n" }), "SR-PRIV-061");
    atMostMedium(scanOf({ "debug.sh": "#!/bin/bash\nsetarch \"$(uname -m)\" -R ./target\n" }));
  });
  it("ptrace scope and kernel pointers off with sysctl -w; perf alone is not", () => {
    reviewed(scanOf({ "prof.sh": "sudo sysctl -w kernel.yama.ptrace_scope=0\nsudo sysctl -w kernel.kptr_restrict=0\n" }), "SR-PRIV-061");
    atMostMedium(scanOf({ "prof.sh": "sudo sysctl -w kernel.perf_event_paranoid=1\n" }));
  });
  it("cap_dac_read_search given to perl; cap_net_bind_service to node is not", () => {
    reviewed(scanOf({ "caps.sh": "sudo setcap 'cap_dac_read_search,cap_setuid=+ep' /usr/bin/perl5.36\n" }), "SR-PRIV-061");
    atMostMedium(scanOf({ "caps.sh": "sudo setcap 'cap_net_bind_service=+ep' /usr/bin/node\n" }));
  });
  it("xhost + in a Python launcher's shell line; xhost for the local user is not", () => {
    reviewed(scanOf({ "gui.sh": "#!/bin/sh\nxhost + >/dev/null && docker run --rm -e DISPLAY app\n" }), "SR-PRIV-061");
    atMostMedium(scanOf({ "gui.sh": "#!/bin/sh\nxhost +local: >/dev/null && docker run --rm -e DISPLAY app\n" }));
  });
});
