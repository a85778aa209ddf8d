import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';

const ROOT = resolve('.');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative import targets of a file (static and dynamic), as repository paths. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => relative(ROOT, resolve(file, '..', s)).replace(/\.js$/, '.ts'));
}

const layer = (path: string) => path.split('/')[0];

/** Every circle a depth-first walk meets in an import graph, as 'a -> b -> a'. */
function findCircles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const circles: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') circles.push([...stack.slice(stack.indexOf(target)), target].join(' -> '));
      else if (!state.has(target) && graph.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return circles;
}

describe('layers', () => {
  it('src/ is the foundation: it imports nothing from sde/, networks/, validation/, reports/ or entry/', () => {
    for (const file of sources('src'))
      for (const target of imports(file)) expect(layer(target), `${file} imports ${target}`).toBe('src');
  });

  it('sde/ and networks/ use only the foundation; networks/ does not import sde/, neither imports architectures/', () => {
    for (const dir of ['sde', 'networks']) {
      for (const file of sources(dir))
        for (const target of imports(file)) expect(['src', dir], `${file} imports ${target}`).toContain(layer(target));
    }
  });

  it('architectures/ sit on sde/ and networks/ (through their index) and never import validation/, reports/ or entry/', () => {
    for (const file of sources('architectures')) {
      for (const target of imports(file)) {
        expect(['src', 'sde', 'networks', 'architectures'], `${file} imports ${target}`).toContain(layer(target));
        if (layer(target) === 'sde') expect(target, file).toBe('sde/index.ts');
        if (layer(target) === 'networks') expect(target, file).toBe('networks/index.ts');
      }
    }
  });

  it('validation/ reaches sde/, networks/ and architectures/ only through their index, and never reports/ or entry/', () => {
    for (const file of sources('validation')) {
      for (const target of imports(file)) {
        if (layer(target) === 'sde') expect(target, file).toBe('sde/index.ts');
        if (layer(target) === 'networks') expect(target, file).toBe('networks/index.ts');
        if (layer(target) === 'architectures') expect(target, file).toBe('architectures/index.ts');
        expect(['reports', 'entry'], `${file} imports ${target}`).not.toContain(layer(target));
      }
    }
  });

  it('no import circle among the package files (type-only imports included)', () => {
    const files = ['src', 'sde', 'networks', 'architectures', 'validation', 'reports', 'entry'].flatMap(sources);
    expect(findCircles(new Map(files.map((f) => [f, imports(f)])))).toEqual([]);
  });

  it('the circle check has power: it finds a planted circle', () => {
    expect(
      findCircles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a', 'd']],
          ['d', []],
        ]),
      ),
    ).toEqual(['a -> b -> c -> a']);
  });

  it('reports/ sits below the entry points', () => {
    for (const file of sources('reports'))
      for (const target of imports(file)) expect(layer(target), `${file} imports ${target}`).not.toBe('entry');
  });
});

describe('the package', () => {
  it('states its name and version as constants equal to package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect([PACKAGE_NAME, PACKAGE_VERSION]).toEqual([pkg.name, pkg.version]);
  });

  it('the root entry loads no plotting, CLI or worker-pool module; the reports entry loads vega only when it renders', () => {
    const hook = `data:text/javascript,${encodeURIComponent("export async function resolve(s, c, n) { const r = await n(s, c); const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(r.url); if (m) process.stderr.write('LOADED ' + m[1] + '\\n'); return r; }")}`;
    const loaded = (code: string) => {
      const run = spawnSync(
        process.execPath,
        [
          '--import',
          `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`,
          '--input-type=module',
          '-e',
          code,
        ],
        { encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(0);
      return new Set([...run.stderr.matchAll(/^LOADED (.+)$/gm)].map((m) => m[1]));
    };
    const root = loaded("await import('neural-covariance-sde');");
    for (const heavy of ['vega', 'vega-lite', 'commander', 'piscina', 'cli-progress', 'ml-matrix'])
      expect(root.has(heavy), heavy).toBe(false);
    const reports = loaded("await import('neural-covariance-sde/reports');");
    expect(reports.has('vega')).toBe(false);
    const rendered = loaded(
      "const r = await import('neural-covariance-sde/reports'); await r.renderSvg({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });",
    );
    expect(rendered.has('vega')).toBe(true);
  });

  it('require() of the package works (or fails with ERR_REQUIRE_ESM), never inside a dependency', () => {
    const run = spawnSync(
      process.execPath,
      [
        '-e',
        "try { const m = require('neural-covariance-sde'); console.log(typeof m.solve); } catch (e) { console.log(e.code); }",
      ],
      { encoding: 'utf8' },
    );
    expect(['function', 'ERR_REQUIRE_ESM']).toContain(run.stdout.trim());
  });
});
