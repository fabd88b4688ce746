/**
 * Code that a developer tool runs on its own when a project is installed, built, configured or
 * entered, found by the tool's file rather than by the command's spelling. The table below is
 * the family: every ecosystem has a file whose strings become a shell line at one of those
 * moments, and the attacker picks the one no scanner reads yet. Each value is returned as the
 * shell line (or script) the tool runs, so what it carries (a download run, an upload of the
 * environment, a shell on a socket) is judged by the same rules as a script (engine.ts).
 *
 * | ecosystem            | file                                   | runs when                   | read here as            |
 * |----------------------|----------------------------------------|-----------------------------|-------------------------|
 * | direnv               | `.envrc`, `.env.rc`                    | every `cd` into the folder  | the whole file, shell   |
 * | Nix                  | `*.nix`: `shellHook`, `*Phase`, `pre*`/`post*` | `nix develop`/`nix-shell`, every build | each `''…''` string, shell |
 * | mise / rtx           | `mise.toml`, `.mise.toml`, `.rtx.toml`: `[hooks]`, `[tasks]` `run` | entering the folder, `mise install` | each value, shell |
 * | MSBuild (.NET)       | `*.targets`, `*.props`, `*.*proj`: `<Exec Command=…>` | every build (BeforeTargets/AfterTargets) | the command with `$(Prop)` put in |
 * | Cargo                | `.cargo/config(.toml)`: `rustc-wrapper`, `runner`, `[alias]` | every build/run | the value, shell |
 * | Debian, RPM, Arch, Alpine, conda | `postinst`/`preinst`/`prerm`/`postrm`/`config`, `*.spec` `%pre`/`%post`/`%build`…, `PKGBUILD`/`*.install`, `APKBUILD`, `post-link.sh` | package install, as root | the script, shell |
 * | Procfile runners     | `Procfile`, `Procfile.*`                | `foreman`/`honcho`/Heroku start | each line's command |
 * | tox                  | `tox.ini`: `commands`, `commands_pre`   | every `tox` run            | each line, shell        |
 * | lefthook             | `lefthook.yml`: `run:`                  | every commit/push          | each value, shell       |
 * | Meson                | `meson.build`: `run_command(…)`         | configure time              | the argument vector     |
 *
 * Already read elsewhere: npm lifecycle scripts, dev containers, VS Code tasks, CI steps,
 * pre-commit entries, Composer scripts in any JSON that names Composer's events (engine.ts, tool-commands.ts), Dockerfiles, units, crontabs, launchd jobs,
 * Ansible plays, Maven plugins (carried-commands.ts), Makefiles/justfiles, Rake, Gradle,
 * CMake, Zig, setup.py/hatch hooks and build.rs as the code they are (classify.ts).
 * Regular expressions over the text rather than a parse: the files may be partial or
 * templated, and each value is located where it is written. Every scan is bounded.
 */
import type { CarriedCommand } from "./carried-commands.js";
import { jsonString } from "./tool-commands.js";

const MAX_TEXT = 256 * 1024;
const MAX_COMMANDS = 40;

/** Debian and other package managers' maintainer scripts, run as root on install or removal. */
const MAINTAINER_SCRIPT = /(?:^|\/)(?:debian\/)?(?:[\w.+-]+\.)?(?:preinst|postinst|prerm|postrm)$|(?:^|\/)(?:pre|post)-(?:link|unlink)\.(?:sh|bat)$|(?:^|\/)(?:PKGBUILD|APKBUILD)$|(?:^|\/)[\w.+-]+\.(?:install|pre-install|post-install|post-upgrade)$/;
const ENVRC = /(?:^|\/)\.envrc(?:\.[\w-]+)?$|(?:^|\/)\.env\.rc$/;
const NIX = /\.nix$/;
const MISE = /(?:^|\/)(?:\.?mise(?:\.[\w-]+)?\.toml|\.rtx\.toml|\.config\/mise\/config\.toml|\.mise\/config\.toml)$/;
const MSBUILD = /\.(?:targets|props|[a-z]{1,6}proj|proj)$/i;
const CARGO_CONFIG = /(?:^|\/)\.cargo\/config(?:\.toml)?$/;
const RPM_SPEC = /\.spec$/;
const PROCFILE = /(?:^|\/)Procfile(?:\.[\w-]+)?$/;
const TOX = /(?:^|\/)tox\.ini$/;
const LEFTHOOK = /(?:^|\/)\.?lefthook(?:-local)?\.ya?ml$/;
const MESON = /(?:^|\/)meson\.build$/;

/** A TOML or INI value: a basic or literal string, single or triple quoted, or a bare word. */
function tomlValue(raw: string): string {
  const v = raw.trim();
  if (/^'''[\s\S]*'''$/.test(v)) return v.slice(3, -3);
  if (/^"""[\s\S]*"""$/.test(v)) return v.slice(3, -3).replace(/\\(["\\])/g, "$1");
  if (v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  if (v.startsWith('"') && v.endsWith('"')) return jsonString(v) ?? v.slice(1, -1);
  if (v.startsWith("[")) return [...v.matchAll(/"((?:[^"\\\n]|\\.){0,4000})"|'([^'\n]{0,4000})'/g)].map((m) => (m[1] !== undefined ? (jsonString(`"${m[1]}"`) ?? m[1]) : m[2]!)).join("\n");
  return v;
}

/** `key = value` pairs of TOML text whose key is wanted, with multi-line strings and arrays taken whole. */
const TOML_PAIR = /^[ \t]*([\w.-]{1,80}|"[^"\n]{1,80}")[ \t]*=[ \t]*('''[\s\S]{0,8000}?'''|"""[\s\S]{0,8000}?"""|\[[\s\S]{0,8000}?\]|[^\n]{1,4000})/gm;

function tomlCommands(text: string, wanted: (section: string, key: string) => boolean, carrier: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  const sections = [...text.matchAll(/^[ \t]*\[{1,2}([^\]\n]{1,120})\]{1,2}[ \t]*$/gm)];
  for (const m of text.matchAll(TOML_PAIR)) {
    const section = sections.filter((s) => s.index < m.index).at(-1)?.[1]?.trim() ?? "";
    const key = m[1]!.replace(/"/g, "");
    if (!wanted(section, key)) continue;
    const command = tomlValue(m[2]!);
    if (command.trim()) out.push({ command, at: m.index, length: m[0].length, carrier });
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

/** Nix attributes a shell or builder runs: `shellHook`, the build phases and their pre/post hooks. */
const NIX_HOOK = /\b(shellHook|(?:pre|post)?(?:unpack|patch|configure|build|check|install|fixup|dist)Phase|(?:pre|post)(?:Unpack|Patch|Configure|Build|Check|Install|Fixup|Dist)|postShellHook|script)\s*=\s*(''[\s\S]{0,16000}?''(?!')|"(?:[^"\\]|\\.){0,4000}")\s*;/g;

function nixCommands(text: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  for (const m of text.matchAll(NIX_HOOK)) {
    const raw = m[2]!;
    // Nix interpolation of a package path (`${pkgs.curl}/bin/curl`) is the program itself.
    const body = (raw.startsWith("''") ? raw.slice(2, -2) : raw.slice(1, -1)).replace(/\$\{pkgs\.[\w.-]+\}\/bin\//g, "").replace(/''\$/g, "$");
    out.push({ command: body, at: m.index, length: m[0].length, carrier: `Nix (${m[1]})` });
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#10;|&#xA;/gi, "\n").replace(/&amp;/g, "&");
}

/** `<Exec Command="…">` (and `<Exec>` with a Command element), with `$(Prop)` replaced by the property's value written in the same file. */
function msbuildCommands(text: string): CarriedCommand[] {
  const props = new Map<string, string>();
  for (const p of text.matchAll(/<([A-Za-z_][\w.-]{0,80})(?:\s[^>]{0,200})?>([^<]{1,2000})<\/\1>/g)) props.set(p[1]!.toLowerCase(), unescapeXml(p[2]!));
  const out: CarriedCommand[] = [];
  for (const m of text.matchAll(/<Exec\b[^>]{0,8000}?\bCommand\s*=\s*"([^"]{1,8000})"/gi)) {
    const command = unescapeXml(m[1]!).replace(/\$\(([\w.-]{1,80})\)/g, (whole, name: string) => props.get(name.toLowerCase()) ?? whole);
    out.push({ command, at: m.index, length: m[0].length, carrier: "an MSBuild Exec task" });
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

/** An RPM spec's scriptlets and build sections: each runs as a shell script (`%post` as root on install). */
function rpmCommands(text: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  const heads = [...text.matchAll(/^%(pre|post|preun|postun|pretrans|posttrans|triggerin|triggerun|prep|build|install|check)\b[^\n]*$/gm)];
  heads.forEach((h, i) => {
    const start = h.index + h[0].length;
    const next = /^%(?:pre|post|preun|postun|pretrans|posttrans|triggerin|triggerun|prep|build|install|check|files|changelog|package|description)\b/m.exec(text.slice(start));
    const end = next ? start + next.index : Math.min(text.length, start + 16000);
    if (out.length < MAX_COMMANDS && i < MAX_COMMANDS) out.push({ command: text.slice(start, end), at: h.index, length: h[0].length, carrier: `an RPM %${h[1]} scriptlet` });
  });
  return out;
}

/** Meson's `run_command('sh', '-c', '…')` and `custom_target(command: […])`: argument vectors run at configure or build time. */
function mesonCommands(text: string): CarriedCommand[] {
  const out: CarriedCommand[] = [];
  for (const m of text.matchAll(/\brun_command\s*\(([^)]{1,4000})\)|\bcommand\s*:\s*\[([^\]]{1,4000})\]/g)) {
    const argv = [...(m[1] ?? m[2]!).matchAll(/'((?:[^'\\\n]|\\.){0,4000})'/g)].map((a) => a[1]!.replace(/\\'/g, "'"));
    const shellC = argv.length >= 3 && /(?:^|\/)(?:ba|z|da)?sh$/.test(argv[0]!) && argv[1] === "-c";
    if (argv.length) out.push({ command: shellC ? argv.slice(2).join(" ") : argv.join(" "), at: m.index, length: m[0].length, carrier: "a Meson command" });
    if (out.length >= MAX_COMMANDS) break;
  }
  return out;
}

/** `powershell -NoProfile -Command "…"` (or pwsh): the quoted body is PowerShell, read as such. */
const POWERSHELL_COMMAND = /^\s*(?:powershell(?:\.exe)?|pwsh)\s+(?:-(?!c(?:ommand)?\b)\w+(?:\s+(?:Bypass|Hidden|Unrestricted|RemoteSigned|Minimized))?\s+){0,8}-c(?:ommand)?\s+(?:"([\s\S]{1,8000})"|'([\s\S]{1,8000})'|([\s\S]{1,8000}))$/i;

function withLanguage(c: CarriedCommand): CarriedCommand {
  const m = POWERSHELL_COMMAND.exec(c.command);
  return m ? { ...c, command: (m[1] ?? m[2] ?? m[3]!).trim(), kind: "powershell" } : c;
}

/** The code a build, install or enter-the-folder tool runs from this file, by file name and content. */
export function buildHookCommands(file: string, text: string): CarriedCommand[] {
  if (text.length > MAX_TEXT) return [];
  return hookCommands(file, text).map(withLanguage);
}

function hookCommands(file: string, text: string): CarriedCommand[] {
  // A whole script is placed on its first line that names a URL (else its first line): the findings point at the payload.
  const url = /^[^\n]*https?:\/\/[^\n]*$/m.exec(text) ?? /^[^\n]*$/m.exec(text);
  const whole = (carrier: string): CarriedCommand[] => [{ command: text, at: url?.index ?? 0, length: Math.max(1, url?.[0].length ?? 1), carrier }];
  if (ENVRC.test(file)) return whole("direnv (.envrc, run on entering the folder)");
  if (MAINTAINER_SCRIPT.test(file) && !/\.bat$/.test(file)) return whole("a package's install script");
  if (NIX.test(file)) return nixCommands(text);
  if (MISE.test(file)) return tomlCommands(text, (section, key) => /^hooks\b/.test(section) || (/^tasks\b/.test(section) && key === "run") || /^tasks\.[\w.-]+\.run$/.test(key), "mise (hooks and tasks)");
  if (CARGO_CONFIG.test(file)) return tomlCommands(text, (section, key) => /^(?:rustc-wrapper|rustc-workspace-wrapper|runner|rustc|linker)$/.test(key) || section === "alias", "Cargo's config (run on every build)");
  if (MSBUILD.test(file) && /<Exec\b/i.test(text)) return msbuildCommands(text);
  if (RPM_SPEC.test(file) && /^%(?:post|pre|build|install)\b/m.test(text)) return rpmCommands(text);
  if (PROCFILE.test(file)) return [...text.matchAll(/^[\w-]{1,60}[ \t]*:[ \t]*(\S[^\n]{0,4000})$/gm)].slice(0, MAX_COMMANDS).map((m) => ({ command: m[1]!, at: m.index, length: m[0].length, carrier: "a Procfile" }));
  if (TOX.test(file)) return [...text.matchAll(/^[ \t]*commands(?:_pre|_post)?[ \t]*=[ \t]*((?:[^\n]*\n?)(?:[ \t]+\S[^\n]*\n?){0,40})/gm)].slice(0, MAX_COMMANDS).map((m) => ({ command: m[1]!.replace(/\{[\w:/.-]*\}/g, ""), at: m.index, length: m[0].length, carrier: "tox" }));
  if (LEFTHOOK.test(file)) return [...text.matchAll(/^[ \t]*run[ \t]*:[ \t]*(\S[^\n]{0,4000})$/gm)].slice(0, MAX_COMMANDS).map((m) => ({ command: tomlValue(m[1]!), at: m.index, length: m[0].length, carrier: "lefthook" }));
  if (MESON.test(file)) return mesonCommands(text);
  return [];
}
