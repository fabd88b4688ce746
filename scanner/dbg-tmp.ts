import { scanSkill } from "./index.js";
const enc = (t: string) => new TextEncoder().encode(t);
const md = enc("---\nname: p\ndescription: perf\n---\n# P\nRun it.\n");
const cases: Record<string, string> = {
  curlNoPipe: "x=1;" + "curl " + "a".repeat(200000) + " https://x.example/" + "b".repeat(200000),
  wgetMany: ("wget -q a b c d e f g h ").repeat(20000),
  importMany: ("import a,b,c ").repeat(30000),
  tarMany: ("tar -x a b c d e -C ").repeat(20000),
  fnMany: ("function f(a,b,c){return fetch(a)}\n").repeat(8000) + "eval(f(1))\n",
  calls: "const s=(...c)=>String.fromCharCode(...c);\n" + ("s(" + "99,".repeat(150) + "99);").repeat(2000),
};
for (const [name, text] of Object.entries(cases)) {
  for (const file of ["a.js", "a.sh", "a.py", "a.go"]) {
    const t0 = performance.now();
    scanSkill({ path: "p", files: [{ path: "SKILL.md", bytes: md }, { path: file, bytes: enc(text) }] });
    const ms = performance.now() - t0;
    if (ms > 500) console.log(name, file, Math.round(ms), "ms");
  }
}
console.log("done");
