// The whole batch (validation/batch.ts): with m > 2 inputs every pair's E rho^ab and every input's E log V^aa
// are compared, networks against the SDE, and the family is judged by the Bonferroni p-value of its
// largest |z|. Size: at a point where networks and SDE agree to O(1/n) (c+ + c- = 0, so no O(n^-1/2)
// shaping bias), the family p-value is not small. The O(1/n) bias is real and resolvable: at n = 64 with
// 3000 samples a side the log V^aa family gives z = -3.4 (p = 0.003); its z scales as sqrt(samples) / n, so
// at n = 128 with 1000 a side it is about -0.9, below the resolution. Power: networks at another depth are rejected.
import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import { compareBatch } from '../validation/batch.js';
import { readPointSettings } from '../validation/settings.js';
import { runPointNetworks, runPointSde } from '../validation/point.js';

describe('batch comparison at m = 4', () => {
  const settings = readPointSettings({
    activation: 'relu:1,-1',
    m: 4,
    rho0: 0.3,
    T: 0.5,
    n: 128,
    paths: 1000,
    samples: 1000,
    steps: 16,
    seed: 11,
  });
  const activation = shapedRelu({ cPlus: 1, cMinus: -1 });

  it('agrees where the limit holds: every family p-value above 0.01 (a 1% test of each family, Bonferroni)', async () => {
    expect(settings.v0).toHaveLength(4);
    const sde = await runPointSde(settings, activation, { threads: 1 });
    const net = await runPointNetworks(settings, activation, settings.n, { threads: 1 });
    const b = compareBatch(net, sde);
    expect(b.m).toBe(4);
    expect(b.rho.entries).toHaveLength(6);
    expect(b.logV.entries).toHaveLength(4);
    expect(b.rho.pValue!).toBeGreaterThan(0.01);
    expect(b.logV.pValue!).toBeGreaterThan(0.01);
  });

  it('power: networks at T = 0.75 against the SDE at T = 0.5 are rejected (p < 1e-6)', async () => {
    const sde = await runPointSde(settings, activation, { threads: 1 });
    const net = await runPointNetworks({ ...settings, T: 0.75 }, activation, settings.n, { threads: 1 });
    const b = compareBatch(net, sde);
    expect(Math.min(b.rho.pValue!, b.logV.pValue!)).toBeLessThan(1e-6);
  });
});
