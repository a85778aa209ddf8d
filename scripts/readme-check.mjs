#!/usr/bin/env node
// The README cannot drift: run every fenced sh/bash and ts/js block of README.md against the packed
// tarball installed in an empty project (checkout commands in a fresh clone), check that every `ncsde`
// command the README names has the flags it shows, that every field a marked paragraph or table names is
// in a real output, and that every relative link is in the tarball. Markers: README's Development section.
//
//   node scripts/readme-check.mjs --repo DIR --consumer DIR --tarball FILE [--readme FILE]
//
// scripts/check-package.sh calls it after installing the tarball into the consumer project.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const MODES = ['skip', 'reduced', 'ci', 'serve', 'typecheck', 'fields'];
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);
const SCRIPT = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);
/** A block runs at most this long; a longer one is marked `reduced` (or, rarely, `skip` with its reason). */
export const BLOCK_SECONDS = 180;
/** A checkout block installs and builds (`npm ci`) before its own work. */
export const CHECKOUT_SECONDS = 420;

/** `<!-- readme-check: mode rest -->` on one line, or null. */
export function parseMarker(line) {
  const m = /^\s*<!--\s*readme-check:\s*([a-z]+)\b\s*(.*?)\s*-->\s*$/.exec(line);
  if (!m) return null;
  const [, mode, rest] = m;
  if (!MODES.includes(mode)) throw new Error(`unknown readme-check marker "${mode}" (one of ${MODES.join(', ')})`);
  if ((mode === 'skip' || mode === 'typecheck') && rest.split(/\s+/).filter(Boolean).length < 3) {
    throw new Error(`a readme-check ${mode} marker must say why, in a few words: "${line.trim()}"`);
  }
  if (mode === 'reduced') return { mode, rest, substitutions: parseSubstitutions(rest) };
  if (mode === 'fields') return { mode, rest, ...parseFields(rest) };
  return { mode, rest };
}

/**
 * The substitutions of a `reduced` marker, separated by `;`: `--flag value` (the word after --flag in a shell
 * block), `key: value` (the value after key: in a script block) or `"old" => "new"` (literal text).
 */
export function parseSubstitutions(text) {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      let m = /^"((?:[^"\\]|\\.)*)"\s*=>\s*"((?:[^"\\]|\\.)*)"$/.exec(s);
      if (m) return { kind: 'text', from: m[1].replace(/\\(.)/g, '$1'), to: m[2].replace(/\\(.)/g, '$1') };
      m = /^(--[A-Za-z][\w-]*)\s+(\S+)$/.exec(s);
      if (m) return { kind: 'flag', flag: m[1], to: m[2] };
      m = /^([A-Za-z_]\w*):\s*(\S+)$/.exec(s);
      if (m) return { kind: 'key', key: m[1], to: m[2] };
      throw new Error(`readme-check: cannot read the substitution "${s}" (--flag value, key: value or "old" => "new")`);
    });
}

/** Apply a reduced marker's substitutions; each must change something, so a stale marker is caught. */
export function applySubstitutions(code, substitutions) {
  for (const s of substitutions) {
    const before = code;
    if (s.kind === 'text') code = code.split(s.from).join(s.to);
    else if (s.kind === 'flag')
      code = code.replace(new RegExp(`(${escapeRegExp(s.flag)}[ =])\\S+`, 'g'), (_, head) => head + s.to);
    else code = code.replace(new RegExp(`(\\b${s.key}:\\s*)[^,}\\n]+`, 'g'), (_, head) => head + s.to);
    if (code === before)
      throw new Error(
        `readme-check: the substitution ${JSON.stringify(s)} changes nothing in its block (a stale marker?)`,
      );
  }
  return code;
}

/** A fields marker: the outputs to read (`ncsde ...` commands or package expressions, in backticks) and extra names. */
export function parseFields(text) {
  const [sources, names = ''] = text.split(/\bnames:/);
  const runs = [...sources.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  if (runs.length === 0)
    throw new Error(`readme-check: a fields marker names no output to read (in backticks): "${text}"`);
  return { runs, names: names.split(/[,\s]+/).filter(Boolean) };
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The README read once: fenced blocks (language, code, line of the fence, the marker on the last non-blank
 * line before it), fields markers with the paragraph or table after them, inline code spans outside blocks
 * and relative link targets.
 */
export function parseReadme(text) {
  const lines = text.split('\n');
  const blocks = [];
  const fields = [];
  const spans = [];
  const links = [];
  const markerBefore = (i) => {
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    return j >= 0 ? parseMarker(lines[j]) : null;
  };
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (fence) {
      const close = lines.findIndex((l, k) => k > i && l.trim().startsWith(fence[2]));
      if (close < 0) throw new Error(`readme-check: the block opened on line ${i + 1} is never closed`);
      const marker = markerBefore(i);
      if (marker?.mode === 'fields')
        throw new Error(`readme-check: line ${i}: a fields marker goes before a paragraph or table, not a block`);
      blocks.push({ lang: fence[3].toLowerCase(), code: lines.slice(i + 1, close).join('\n'), line: i + 1, marker });
      i = close;
      continue;
    }
    const marker = parseMarker(lines[i]);
    if (marker?.mode === 'fields') {
      let end = i + 1;
      while (end < lines.length && lines[end].trim() !== '') end++;
      const body = lines.slice(i + 1, end).join('\n');
      const named = [...body.matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]);
      fields.push({ line: i + 1, ...marker, named: [...new Set([...named, ...marker.names])] });
    }
    for (const m of lines[i].matchAll(/`([^`]+)`/g)) spans.push({ text: m[1], line: i + 1 });
    for (const m of lines[i].matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^(https?:|mailto:|#)/.test(m[1])) links.push({ target: m[1].split('#')[0], line: i + 1 });
    }
  }
  return { blocks, fields, spans, links };
}

/**
 * The `ncsde` invocations in a text: the command path (sub-commands are the bare words after `ncsde` that the
 * CLI lists as commands; the caller says which) and the --flags written after it.
 */
export function ncsdeInvocations(text) {
  const found = [];
  for (const m of text.matchAll(/(?:^|[\s;&|(`])ncsde(?![\w.-])((?:[ \t]*\\\n|[ \t]+[^\s;&#`)]+)*)/g)) {
    const args = m[1].split(/\s\|\s/)[0].replace(/\\\|/g, '|');
    const words = args.replace(/\\\n/g, ' ').trim().split(/\s+/).filter(Boolean);
    const path = [];
    for (const w of words) {
      if (!/^[a-z]+$/.test(w)) break;
      path.push(w);
    }
    const flags = [...new Set([...args.matchAll(/(?:^|[\s[(|])(--[A-Za-z][\w-]*)/g)].map((f) => f[1]))];
    found.push({ words: path, flags });
  }
  return found;
}

/** The shell context of a block: a checkout (fresh clone) for the developers' commands, else the consumer. */
export function shellContext(code) {
  const first =
    code
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#')) ?? '';
  if (/^npm (ci|test|run)\b|^node dist\/|^npx tsx scripts\/|^bash scripts\//.test(first)) return 'checkout';
  if (/^npm (i|install)\b/.test(first)) return 'install';
  return 'consumer';
}

function run(command, args, options) {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function tail(text, lines = 12) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** Names an output offers: every object key and string value, recursively (arrays of numbers skipped). */
export function namesIn(value, into = new Set(), depth = 0) {
  if (depth > 8 || value === null || value === undefined) return into;
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const v of value.slice(0, 64)) namesIn(v, into, depth + 1);
  else if (typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      namesIn(v, into, depth + 1);
    }
  }
  return into;
}

/** The members of an .npz (a zip of .npy files, stored): their names, and the settings member read as JSON. */
export function npzNames(file) {
  const bytes = readFileSync(file);
  const names = new Set();
  for (let at = 0; at + 30 <= bytes.length && bytes.readUInt32LE(at) === 0x04034b50; ) {
    const size = bytes.readUInt32LE(at + 18);
    const nameLength = bytes.readUInt16LE(at + 26);
    const extra = bytes.readUInt16LE(at + 28);
    const name = bytes.toString('utf8', at + 30, at + 30 + nameLength).replace(/\.npy$/, '');
    names.add(name);
    const data = bytes.subarray(at + 30 + nameLength + extra, at + 30 + nameLength + extra + size);
    if (name === 'settings') {
      // A 0-d numpy unicode array (<U...): UTF-32LE after the header.
      const headerLength = data.readUInt16LE(8);
      const body = data.subarray(10 + headerLength);
      let text = '';
      for (let k = 0; k + 4 <= body.length; k += 4) {
        const c = body.readUInt32LE(k);
        if (c) text += String.fromCodePoint(c);
      }
      namesIn(JSON.parse(text), names);
    }
    at += 30 + nameLength + extra + size;
  }
  return names;
}

export class Checker {
  constructor({ repo, consumer, tarball, readme, quiet = false }) {
    Object.assign(this, { repo, consumer, tarball, readme, quiet });
    this.results = [];
    this.helps = new Map();
    this.clone = null;
    this.tsx = join(repo, 'node_modules', '.bin', 'tsx');
    this.tsc = join(repo, 'node_modules', '.bin', 'tsc');
  }

  record(line, what, status, detail = '') {
    this.results.push({ line, what, status, detail });
    if (this.quiet) return;
    const head = `readme-check: line ${line} ${what}: ${status}`;
    console.log(detail && status !== 'ok' ? `${head}\n${detail.replace(/^/gm, '    ')}` : head);
  }

  fresh(name) {
    const dir = join(this.consumer, 'readme-check', name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The fresh clone of the commit under test, where the developers' commands run (made once). */
  checkout() {
    if (this.clone) return this.clone;
    const dir = join(this.consumer, 'readme-check', 'clone');
    rmSync(dir, { recursive: true, force: true });
    const r = run('git', ['clone', '--quiet', '--no-hardlinks', this.repo, dir]);
    if (r.status !== 0) throw new Error(`readme-check: git clone of ${this.repo} failed: ${r.stderr}`);
    return (this.clone = dir);
  }

  bash(code, cwd, seconds = BLOCK_SECONDS) {
    const r = run('bash', ['-euo', 'pipefail', '-c', code], {
      cwd,
      timeout: seconds * 1000,
      killSignal: 'SIGKILL',
      env: { ...process.env, NO_COLOR: '1' },
    });
    if (r.signal === 'SIGKILL')
      return {
        ok: false,
        detail: `ran past ${seconds} s: reduce it with a \`reduced\` marker\n${tail(r.stdout + r.stderr)}`,
      };
    return r.status === 0 ? { ok: true } : { ok: false, detail: `exit ${r.status}\n${tail(r.stderr || r.stdout)}` };
  }

  shellBlock(block) {
    const { marker } = block;
    let code = block.code;
    if (marker?.mode === 'ci') return this.ciBlock(block);
    if (marker?.mode === 'serve') return this.serveBlock(block);
    if (marker?.mode === 'reduced') code = applySubstitutions(code, marker.substitutions);
    const context = shellContext(code);
    let cwd;
    if (context === 'checkout') cwd = this.checkout();
    else if (context === 'install') {
      cwd = this.consumer;
      code = code.replace(/\bneural-covariance-sde\b/g, this.tarball);
    } else cwd = this.fresh(`block-${block.line}`);
    const started = Date.now();
    const r = this.bash(code, cwd, context === 'checkout' ? CHECKOUT_SECONDS : BLOCK_SECONDS);
    const what = `${block.lang} block (${context}${marker?.mode === 'reduced' ? `, reduced: ${marker.rest}` : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s)`;
    this.record(block.line, what, r.ok ? 'ok' : 'FAILED', r.detail);
  }

  /** A `ci` block: commands CI runs itself; each must appear in .ci/run, so the README and CI cannot part. */
  ciBlock(block) {
    const ci = readFileSync(join(this.repo, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const commands = block.code
      .split(/\n|&&/)
      .map((c) => c.replace(/#.*$/, '').trim())
      .filter(Boolean);
    const missing = commands.filter((c) => !ci.some((l) => l === c || l.startsWith(`${c} `)));
    this.record(
      block.line,
      `${block.lang} block (ci: run by .ci/run itself)`,
      missing.length ? 'FAILED' : 'ok',
      missing.length ? `.ci/run does not run: ${missing.join('; ')}` : '',
    );
  }

  /** A `serve` block: each command prints a URL first; it must answer 200, then stop within 5 s of Ctrl-C. */
  async serveBlock(block) {
    const cwd = this.fresh(`block-${block.line}`);
    const commands = block.code
      .split('\n')
      .map((c) => c.replace(/#.*$/, '').trim())
      .filter(Boolean);
    for (const command of commands) {
      // A process group of its own, signalled whole, as a terminal's Ctrl-C does (npx and the CLI under it).
      const child = spawn('bash', ['-c', `exec ${command}`], {
        cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DISPLAY: '', BROWSER: 'true' },
      });
      const signal = (name) => {
        try {
          process.kill(-child.pid, name);
        } catch {
          // the group has already gone
        }
      };
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise((ok) => child.on('close', (code, signal) => ok({ code, signal })));
      const url = await Promise.race([
        new Promise((ok) =>
          child.stdout.on('data', (d) => ((out += d), out.includes('\n') && ok(out.split('\n')[0].trim()))),
        ),
        exited.then(() => null),
        new Promise((ok) => setTimeout(() => ok(null), 60_000)),
      ]);
      let failure = null;
      if (!url || !/^https?:\/\//.test(url))
        failure = `printed no URL first (stdout: ${JSON.stringify(out.slice(0, 200))}; stderr: ${tail(err, 4)})`;
      else {
        const answer = await fetch(url).catch((e) => ({ status: e.message }));
        if (answer.status !== 200) failure = `${url} answered ${answer.status}`;
      }
      signal('SIGINT');
      const end = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok(null), 5000))]);
      if (!end) {
        signal('SIGKILL');
        failure ??= 'did not stop within 5 s of SIGINT';
      } else if (!(end.code === 0 || end.code === 130 || end.signal === 'SIGINT') && !failure) {
        // 0 from the CLI itself; 130 or death by SIGINT is how npx, signalled with its child, ends a Ctrl-C.
        failure = `exit ${end.code ?? end.signal} after SIGINT\n${tail(err, 4)}`;
      }
      this.record(block.line, `${block.lang} block (serve: ${command})`, failure ? 'FAILED' : 'ok', failure ?? '');
    }
  }

  /** Every script block type-checked together (strict, as a consumer compiles), then each run with tsx. */
  scriptBlocks(blocks) {
    const dir = this.fresh('scripts');
    const files = [];
    for (const block of blocks) {
      let code = block.code;
      if (block.marker?.mode === 'reduced') code = applySubstitutions(code, block.marker.substitutions);
      const ts = block.lang.startsWith('t');
      const file = `block-${block.line}.${ts ? 'mts' : 'mjs'}`;
      writeFileSync(join(dir, file), code + '\n');
      files.push({ block, file, ts });
    }
    const typed = files.filter((f) => f.ts);
    let typeErrors = '';
    if (typed.length) {
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            target: 'es2022',
            skipLibCheck: false,
            typeRoots: [join(this.repo, 'node_modules', '@types')],
            types: ['node'],
          },
          files: typed.map((f) => f.file),
        }),
      );
      const r = run(this.tsc, ['-p', 'tsconfig.json'], { cwd: dir });
      if (r.status !== 0) typeErrors = r.stdout + r.stderr;
    }
    for (const { block, file, ts } of files) {
      const mine = typeErrors
        .split('\n')
        .filter((l) => l.startsWith(file))
        .join('\n');
      if (mine) {
        this.record(block.line, `${block.lang} block (type check)`, 'FAILED', mine);
        continue;
      }
      if (block.marker?.mode === 'typecheck') {
        this.record(block.line, `${block.lang} block (type-checked only: ${block.marker.rest})`, 'ok');
        continue;
      }
      const started = Date.now();
      const r = run(ts ? this.tsx : process.execPath, [file], {
        cwd: dir,
        timeout: BLOCK_SECONDS * 1000,
        killSignal: 'SIGKILL',
      });
      const ok = r.status === 0;
      const what = `${block.lang} block (run${block.marker?.mode === 'reduced' ? `, reduced: ${block.marker.rest}` : ''}, ${((Date.now() - started) / 1000).toFixed(1)} s)`;
      this.record(
        block.line,
        what,
        ok ? 'ok' : 'FAILED',
        ok ? '' : r.signal ? `ran past ${BLOCK_SECONDS} s` : `exit ${r.status}\n${tail(r.stderr || r.stdout)}`,
      );
    }
    if (typeErrors && !files.some((f) => typeErrors.includes(f.file)))
      this.record(0, 'script blocks (type check)', 'FAILED', tail(typeErrors));
  }

  /** `ncsde <path> --help`, from the installed package (cached per command path). */
  help(path) {
    const key = path.join(' ');
    if (!this.helps.has(key)) {
      const r = run(join(this.consumer, 'node_modules', '.bin', 'ncsde'), [...path, '--help'], { cwd: this.consumer });
      this.helps.set(key, r.status === 0 ? r.stdout : null);
    }
    return this.helps.get(key);
  }

  /** The longest prefix of the words that the CLI lists as a command path. */
  commandPath(words) {
    const path = [];
    for (const w of words) {
      const help = this.help(path);
      if (help === null || !new RegExp(`^\\s{2}${w}\\b`, 'm').test(help.split(/^Commands:/m)[1] ?? '')) break;
      path.push(w);
    }
    return path;
  }

  /** Every `ncsde ...` the README shows, in prose, tables and blocks: each flag is in that command's --help. */
  flags(parsed) {
    const texts = [
      ...parsed.spans.map((s) => ({ text: s.text, line: s.line })),
      ...parsed.blocks.filter((b) => SHELL.has(b.lang)).map((b) => ({ text: b.code, line: b.line })),
    ];
    const problems = [];
    let count = 0;
    for (const { text, line } of texts) {
      for (const call of ncsdeInvocations(text)) {
        const path = this.commandPath(call.words);
        const help = this.help(path);
        count++;
        for (const flag of call.flags) {
          if (!new RegExp(`(^|[\\s,])${escapeRegExp(flag)}([\\s,=<[]|$)`, 'm').test(help ?? ''))
            problems.push(`line ${line}: \`ncsde ${path.join(' ')}\` has no ${flag} (not in its --help)`);
        }
      }
    }
    this.record(
      0,
      `flags of the ${count} ncsde commands the README names`,
      problems.length ? 'FAILED' : 'ok',
      problems.join('\n'),
    );
  }

  /** A fields marker: run its outputs, and every name the paragraph or table after it shows must be in one. */
  fieldsCheck(marker) {
    const dir = this.fresh(`fields-${marker.line}`);
    const names = new Set();
    const problems = [];
    for (const source of marker.runs) {
      if (source.startsWith('ncsde ')) {
        const r = run('bash', ['-euo', 'pipefail', '-c', `npx ${source}`], {
          cwd: dir,
          timeout: BLOCK_SECONDS * 1000,
          killSignal: 'SIGKILL',
        });
        if (r.status !== 0) {
          problems.push(`\`${source}\` failed: exit ${r.status ?? r.signal}\n${tail(r.stderr)}`);
          continue;
        }
        try {
          namesIn(JSON.parse(r.stdout), names);
        } catch {
          // not JSON on stdout: the names come from the files it wrote
        }
        const out = /--out[ =](\S+)/.exec(source)?.[1];
        if (out && existsSync(join(dir, out))) {
          if (out.endsWith('.npz')) for (const n of npzNames(join(dir, out))) names.add(n);
          else if (out.endsWith('.json')) namesIn(JSON.parse(readFileSync(join(dir, out), 'utf8')), names);
        }
      } else {
        const r = run(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `import * as pkg from 'neural-covariance-sde'; const f = new Function(...Object.keys(pkg), 'return (' + ${JSON.stringify(source)} + ')'); const v = await f(...Object.values(pkg)); const seen = new Set(); const walk = (x, d) => { if (d > 8 || x == null) return; if (typeof x === 'string') seen.add(x); else if (Array.isArray(x)) x.slice(0, 64).forEach((y) => walk(y, d + 1)); else if (typeof x === 'object' && !ArrayBuffer.isView(x)) for (const [k, y] of Object.entries(x)) { seen.add(k); walk(y, d + 1); } }; walk(v, 0); console.log(JSON.stringify([...seen]));`,
          ],
          { cwd: this.consumer },
        );
        if (r.status !== 0) problems.push(`\`${source}\` failed: ${tail(r.stderr)}`);
        else for (const n of JSON.parse(r.stdout)) names.add(n);
      }
    }
    const missing = marker.named.filter((n) => !names.has(n));
    if (missing.length) problems.push(`named but in none of the outputs: ${missing.join(', ')}`);
    this.record(
      marker.line,
      `fields (${marker.named.length} names from ${marker.runs.length} outputs)`,
      problems.length ? 'FAILED' : 'ok',
      problems.join('\n'),
    );
  }

  /** Every relative link of the README points into the tarball (else it must be a URL). */
  linksCheck(parsed) {
    const listing = new Set(run('tar', ['tzf', this.tarball]).stdout.split('\n'));
    const missing = parsed.links.filter((l) => !listing.has(`package/${l.target.replace(/^\.\//, '')}`));
    this.record(
      0,
      `${parsed.links.length} relative links`,
      missing.length ? 'FAILED' : 'ok',
      missing
        .map(
          (l) => `line ${l.line}: ${l.target} is not in the tarball (add it to package.json "files" or link it by URL)`,
        )
        .join('\n'),
    );
  }

  async check() {
    const parsed = parseReadme(readFileSync(this.readme, 'utf8'));
    const started = Date.now();
    const scripts = [];
    for (const block of parsed.blocks) {
      if (!SHELL.has(block.lang) && !SCRIPT.has(block.lang)) continue;
      if (block.marker?.mode === 'skip') {
        this.record(block.line, `${block.lang} block`, `skipped (${block.marker.rest})`);
        continue;
      }
      if (SHELL.has(block.lang)) await this.shellBlock(block);
      else scripts.push(block);
    }
    if (scripts.length) this.scriptBlocks(scripts);
    for (const marker of parsed.fields) this.fieldsCheck(marker);
    this.flags(parsed);
    this.linksCheck(parsed);
    const failed = this.results.filter((r) => r.status === 'FAILED');
    const skipped = this.results.filter((r) => r.status.startsWith('skipped'));
    console.log(
      `readme-check: ${this.results.length - failed.length - skipped.length} passed, ${failed.length} failed, ${skipped.length} skipped in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    return failed.length === 0;
  }
}

function argsOf(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined)
      throw new Error(`readme-check: usage: --repo DIR --consumer DIR --tarball FILE [--readme FILE] (at ${argv[i]})`);
    args[argv[i].slice(2)] = resolve(argv[i + 1]);
  }
  for (const need of ['repo', 'consumer', 'tarball'])
    if (!args[need]) throw new Error(`readme-check: --${need} is required`);
  args.readme ??= join(args.repo, 'README.md');
  return args;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const ok = await new Checker(argsOf(process.argv.slice(2))).check();
  process.exit(ok ? 0 : 1);
}
