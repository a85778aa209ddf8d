// The README check (scripts/readme-check.mjs) can fail: its markers are refused when they say nothing or
// change nothing, and a wrong flag, a missing field or a failing block is reported, against the built CLI.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applySubstitutions,
  Checker,
  ncsdeInvocations,
  parseMarker,
  parseReadme,
  shellContext,
} from '../scripts/readme-check.mjs';
import { workdir } from './helpers/cli.js';

/** A consumer project whose `ncsde` is this checkout's build (as the installed tarball's would be). */
function consumer(): string {
  const dir = workdir();
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', '.bin', 'ncsde'),
    `#!/bin/sh\nexec '${process.execPath}' '${resolve('dist/entry/cli.js')}' "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}

/** A checker over a README of these lines, in a consumer project of its own (with the package when asked). */
function checkerFor(lines: string[], withPackage = false) {
  const dir = consumer();
  if (withPackage) symlinkSync(resolve('.'), join(dir, 'node_modules', 'neural-covariance-sde'));
  const readme = join(dir, 'README.md');
  writeFileSync(readme, lines.join('\n'));
  const checker = new Checker({ repo: resolve('.'), consumer: dir, tarball: '/nonexistent.tgz', readme, quiet: true });
  return { checker, parsed: parseReadme(readFileSync(readme, 'utf8')) };
}

describe('readme-check', () => {
  it('reads markers, and refuses an unknown one or a skip that does not say why', () => {
    expect(parseMarker('<!-- readme-check: skip needs a GPU cluster -->')).toEqual({
      mode: 'skip',
      rest: 'needs a GPU cluster',
    });
    expect(() => parseMarker('<!-- readme-check: skip -->')).toThrow(/must say why/);
    expect(() => parseMarker('<!-- readme-check: skipp too long to run -->')).toThrow(
      /unknown readme-check marker "skipp"/,
    );
    expect(parseMarker('<!-- a comment -->')).toBeNull();
    const reduced = parseMarker('<!-- readme-check: reduced --paths 2000; "open a.html" => "test -s a.html" -->');
    expect(applySubstitutions('npx ncsde sde --paths 100000 --T 1\nopen a.html', reduced.substitutions)).toBe(
      'npx ncsde sde --paths 2000 --T 1\ntest -s a.html',
    );
    expect(
      applySubstitutions(
        'f({ samples: 4000, seed: 7 })',
        parseMarker('<!-- readme-check: reduced samples: 50 -->').substitutions,
      ),
    ).toBe('f({ samples: 50, seed: 7 })');
    expect(() => applySubstitutions('npx ncsde sde --T 1', reduced.substitutions)).toThrow(/changes nothing/);
  });

  it('finds blocks with their markers, fields paragraphs, commands and relative links', () => {
    const text = [
      '<!-- readme-check: ci -->',
      '```sh',
      'npm ci && npm test',
      '```',
      '',
      '<!-- readme-check: fields `ncsde sde --out a.npz` names: finished -->',
      'It writes `ts` and `status`, see [maths](docs/maths.md) and [site](https://x.org).',
      '',
      '| a | `ncsde scan --kind validation\\|explosion [--grid x=1]` |',
    ].join('\n');
    const parsed = parseReadme(text);
    expect(parsed.blocks).toEqual([
      { lang: 'sh', code: 'npm ci && npm test', line: 2, marker: { mode: 'ci', rest: '' } },
    ]);
    expect(parsed.fields[0]).toMatchObject({
      line: 6,
      runs: ['ncsde sde --out a.npz'],
      named: ['ts', 'status', 'finished'],
    });
    expect(parsed.links).toEqual([{ target: 'docs/maths.md', line: 7 }]);
    expect(ncsdeInvocations('ncsde scan --kind validation\\|explosion [--grid x=1] ...')).toEqual([
      { words: ['scan'], flags: ['--kind', '--grid'] },
    ]);
    expect(ncsdeInvocations('see ncsde-report/ and `npx ncsde explore --port 0`')).toEqual([
      { words: ['explore'], flags: ['--port'] },
    ]);
    expect([
      shellContext('npm ci && npm run validate'),
      shellContext('npm i neural-covariance-sde'),
      shellContext('npx ncsde sde'),
    ]).toEqual(['checkout', 'install', 'consumer']);
  });

  it('reports a flag the command does not have, a field no output has, and a failing block', async () => {
    const { checker, parsed } = checkerFor([
      'Run `ncsde sde --paths 10 --no-such-flag 1` or `ncsde scan merge dir --out x`.',
      '',
      '<!-- readme-check: fields `ncsde sde --paths 8 --steps 2 --threads 1 --out run.npz` names: finished -->',
      'The file holds `explosionTime`, `repairs` and `noSuchField`.',
      '',
      '```sh',
      'npx ncsde sde --paths 8 --steps 2 --threads 1 --T -1',
      '```',
    ]);
    checker.flags(parsed);
    checker.fieldsCheck(parsed.fields[0]);
    await checker.shellBlock(parsed.blocks[0]);
    const [flags, fields, block] = checker.results;
    expect(flags.status).toBe('FAILED');
    expect(flags.detail).toBe('line 1: `ncsde sde` has no --no-such-flag (not in its --help)');
    expect(fields.status).toBe('FAILED');
    expect(fields.detail).toBe('named but in none of the outputs: noSuchField');
    expect(block.status).toBe('FAILED');
    expect(block.detail).toMatch(/^exit 2\n.*--T/);
  });

  it('type-checks every script block against the installed types, runs it unless marked typecheck, and reports a type error', () => {
    const { checker, parsed } = checkerFor(
      [
        '```ts',
        "import { shapedRelu } from 'neural-covariance-sde';",
        "if (shapedRelu({ cPlus: 0, cMinus: -1 }).name.length === 0) throw new Error('no name');",
        '```',
        '<!-- readme-check: typecheck throws when run, on purpose -->',
        '```ts',
        "throw new Error('run although marked typecheck');",
        '```',
        '```ts',
        "const wrong: number = 'text';",
        'export { wrong };',
        '```',
        '```js',
        'process.exit(3);',
        '```',
      ],
      true,
    );
    checker.scriptBlocks(parsed.blocks);
    expect(checker.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'FAILED', 'FAILED']);
    expect(checker.results[2].detail).toMatch(/^block-9\.mts\(1,7\): error TS2322/);
    expect(checker.results[3].detail).toMatch(/^exit 3/);
  });
});
