// The collapse study (validation/collapse.ts): one row per (gamma, tau0, H), one cell per T, intervals
// that are probabilities or correlations, and the same numbers for any thread count (independent
// streams per side and per architecture); the mean token correlation of simple matrices.
import { describe, expect, it } from 'vitest';
import { collapseReport, meanTokenCorrelation } from '../validation/collapse.js';

describe('the collapse study', () => {
  it('mean token correlation: identity 0, all-equal tokens 1, a zero-norm token counts as collapsed', () => {
    expect(meanTokenCorrelation([1, 0, 0, 0, 1, 0, 0, 0, 1], 3)).toBe(0);
    expect(meanTokenCorrelation([2, 2, 2, 2], 2)).toBeCloseTo(1, 15);
    expect(meanTokenCorrelation([1, 0.5, 0.5, 0.25], 2)).toBeCloseTo(1, 15);
    expect(meanTokenCorrelation([1, 0, 0, 0], 2)).toBe(1);
  });

  it('grid shape, ranges, and the same report on 1 and 2 threads', async () => {
    const settings = { gamma: [1], tau0: [0.7], heads: [1, 2], T: [0.25, 0.5], paths: 300, samples: 40, n: 16, m: 3 };
    const one = await collapseReport(settings, { threads: 1 });
    const two = await collapseReport(settings, { threads: 2 });
    expect(JSON.stringify(two.rows)).toBe(JSON.stringify(one.rows));
    expect(one.rows.map((r) => r.label)).toEqual(['attention(gamma=1, tau0=0.7, H=1)', 'attention(gamma=1, tau0=0.7, H=2)']);
    for (const row of one.rows) {
      expect(row.cells.map((c) => c.T)).toEqual([0.25, 0.5]);
      for (const c of row.cells) {
        for (const side of [c.sde, c.network]) {
          expect(side.exploded.value).toBeGreaterThanOrEqual(0);
          expect(side.exploded.value).toBeLessThanOrEqual(1);
          if (!('missing' in side.correlation)) expect(Math.abs(side.correlation.value)).toBeLessThanOrEqual(1);
        }
      }
      // Explosion by T can only grow with T (the same paths, read later).
      expect(row.cells[1].sde.exploded.k).toBeGreaterThanOrEqual(row.cells[0].sde.exploded.k);
      expect(row.cells[1].network.exploded.k).toBeGreaterThanOrEqual(row.cells[0].network.exploded.k);
    }
  });

  it('the transformer runs with its activation; bad settings are refused naming the option', async () => {
    const r = await collapseReport({ blocks: 'transformer', activation: 'relu:0,-1', gamma: [0.7], tau0: [1], heads: [1], T: [0.25], paths: 100, samples: 20, n: 16, m: 2 }, { threads: 1 });
    expect(r.rows[0].label).toBe('transformer(gamma=0.7, tau0=1, H=1)');
    await expect(collapseReport({ tau0: [0] })).rejects.toThrow(/tau0/);
  });
});
