import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArchiveSize, outputFormat } from '../entry/cli/arrays.js';
import { npyChunks, npyHeader, npyText, type NpyArray } from '../src/io/npy.js';
import { crc32, npzChunks } from '../src/io/npz.js';
import { ncsde, workdir } from './helpers/cli.js';
import { readStoredZip } from './helpers/zip.js';

// Fixtures written by NumPy 2.4.6 with test/fixtures/numpy/make.py.
const FIXTURES = 'test/fixtures/numpy';

function join8(chunks: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(chunks.flatMap((c) => Array.from(c)));
}

/** The data block of a NumPy-written .npy (after its header), to rebuild the same array independently of the header. */
function body(bytes: Uint8Array): Uint8Array {
  const headerLength = bytes[8] | (bytes[9] << 8);
  return bytes.slice(10 + headerLength);
}

const TEXT = '{"a": "µ€😀", "b": [1, 2.5]}';

describe('.npy writer against files NumPy wrote (byte for byte)', () => {
  const cases: Array<[string, (data: Uint8Array) => NpyArray]> = [
    ['f8_4d.npy', (d) => ({ dtype: 'f8', shape: [2, 3, 2, 2], data: new Float64Array(d.buffer) })],
    ['f8_0d.npy', () => ({ dtype: 'f8', shape: [], data: Float64Array.of(1.5) })],
    ['f8_empty.npy', () => ({ dtype: 'f8', shape: [0], data: new Float64Array(0) })],
    ['f8_wide.npy', (d) => ({ dtype: 'f8', shape: [1000, 3], data: new Float64Array(d.buffer) })],
    ['i4_1d.npy', () => ({ dtype: 'i4', shape: [5], data: Int32Array.of(-1, 0, 7, 2 ** 31 - 1, -(2 ** 31)) })],
    ['i1_1d.npy', () => ({ dtype: 'i1', shape: [5], data: Int8Array.of(0, 1, 2, 3, -1) })],
    ['u_0d.npy', () => npyText(TEXT)],
  ];
  it.each(cases)('%s', (name, build) => {
    const numpy = new Uint8Array(readFileSync(join(FIXTURES, name)));
    const mine = join8(npyChunks(build(body(numpy))));
    expect(Buffer.from(mine).equals(Buffer.from(numpy))).toBe(true);
  });

  it('headers are padded to 64 bytes and a wrong element count is refused', () => {
    for (const shape of [[], [7], [123456789, 2], [1, 2, 3, 4, 5, 6], Array(30).fill(1)]) {
      const header = npyHeader('<f8', shape);
      expect(header.length % 64).toBe(0);
      expect(header[header.length - 1]).toBe(0x0a);
    }
    expect(() => npyChunks({ dtype: 'f8', shape: [2, 2], data: new Float64Array(3) })).toThrow(
      /needs 4 elements, not 3/,
    );
  });
});

describe('.npz writer against an archive NumPy wrote (member by member)', () => {
  it('same member names in order, same .npy bytes, valid CRC-32s', () => {
    const numpy = readStoredZip(new Uint8Array(readFileSync(join(FIXTURES, 'archive.npz'))));
    const mine = readStoredZip(
      join8(
        npzChunks({
          values: { dtype: 'f8', shape: [2, 1, 2, 2], data: Float64Array.from({ length: 8 }, (_, i) => i / 3) },
          ts: { dtype: 'f8', shape: [2], data: Float64Array.of(0, 1) },
          status: { dtype: 'i1', shape: [1], data: Uint8Array.of(0) },
          explosionTime: { dtype: 'f8', shape: [1], data: Float64Array.of(-1) },
          settings: npyText('{"seed": 1}'),
        }),
      ),
    );
    expect(mine.map(([n]) => n)).toEqual(['values.npy', 'ts.npy', 'status.npy', 'explosionTime.npy', 'settings.npy']);
    expect(mine.map(([n]) => n)).toEqual(numpy.map(([n]) => n));
    mine.forEach(([n, bytes], i) => expect(Buffer.from(bytes).equals(Buffer.from(numpy[i][1])), n).toBe(true));
    // Power: a member that differs in one value is seen.
    const changed = readStoredZip(
      join8(
        npzChunks({
          values: {
            dtype: 'f8',
            shape: [2, 1, 2, 2],
            data: Float64Array.from({ length: 8 }, (_, i) => (i === 7 ? 2.5 : i / 3)),
          },
        }),
      ),
    );
    expect(Buffer.from(changed[0][1]).equals(Buffer.from(numpy[0][1]))).toBe(false);
  });

  it('CRC-32 of the standard check string is 0xcbf43926', () => {
    expect(crc32([new TextEncoder().encode('123456789')])).toBe(0xcbf43926);
  });

  it("the output format follows --out's extension; an .npz past 4 GiB is refused before computing", () => {
    expect(outputFormat(undefined)).toBe('json');
    expect(outputFormat('-')).toBe('json');
    expect(outputFormat('a/b.NPZ')).toBe('npz');
    expect(() => outputFormat('x.csv')).toThrow(/^--out must end in \.json .* \(got "x\.csv"\)$/);
    expect(() => checkArchiveSize('npz', 6e8, '--paths', 1e8)).toThrow(
      /^--paths gives 600000000 values, more than an \.npz .* write --out FILE\.npy instead \(got 100000000\)$/,
    );
    expect(() => checkArchiveSize('npy', 6e8, '--paths', 1e8)).not.toThrow();
  });
});

const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const numpyMissing = python.error ? 'python3 not found' : python.status !== 0 ? 'python3 has no numpy' : '';

describe('Python round trip', () => {
  if (numpyMissing) console.info(`Python round trip skipped: ${numpyMissing}`);
  it.skipIf(numpyMissing !== '')(
    `np.load(allow_pickle=False) reads what ncsde sde and network wrote, equal to --values${numpyMissing ? ` (skipped: ${numpyMissing})` : ''}`,
    () => {
      const dir = workdir();
      const args = ['--paths', '64', '--steps', '8', '--saves', '2', '--seed', '5', '--threads', '1'];
      for (const out of ['a.npy', 'a.npz', 'a.json'])
        expect(ncsde(['sde', ...args, '--out', out, ...(out.endsWith('json') ? ['--values'] : [])], dir).status).toBe(
          0,
        );
      const net = ['--samples', '20', '--n', '8', '--record', '2', '--seed', '5', '--threads', '1'];
      for (const out of ['n.npz', 'n.json'])
        expect(
          ncsde(['network', ...net, '--out', out, ...(out.endsWith('json') ? ['--values'] : [])], dir).status,
        ).toBe(0);
      const script = `
import json, numpy as np
j = json.load(open('a.json'))
a = np.load('a.npy', allow_pickle=False)
z = np.load('a.npz', allow_pickle=False)
assert a.dtype == np.float64 and a.shape == tuple(j['shape']) == (3, 64, 2, 2), a.shape
assert np.array_equal(a.ravel(), np.array(j['values'])) and np.array_equal(z['values'], a)
assert z['status'].dtype == np.int8 and list(z['status']) == j['status']
assert np.array_equal(z['ts'], j['ts']) and np.array_equal(z['explosionTime'], j['explosionTime'])
assert z['repairs'].dtype == np.int32 and list(z['repairs']) == j['repairs']
s = json.loads(z['settings'].item())
assert s['settings'] == j['settings'] and s['statusNames'] == j['statusNames'], s
n = np.load('n.npz', allow_pickle=False); k = json.load(open('n.json'))
assert n['values'].shape == tuple(k['shape']) and np.array_equal(n['values'].ravel(), k['values'])
assert n['layers'].dtype == np.int32 and list(n['layers']) == k['layers'] and list(n['explosionLayer']) == k['explosionLayer']
assert np.array_equal(n['logits'].ravel(), k['logits']) and json.loads(n['settings'].item())['settings'] == k['settings']
print('ok')
`;
      const r = spawnSync('python3', ['-c', script], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('ok');
    },
  );
});
