// Coverage of the intervals the criterion / explosion point, the cumulant study and the collapse study
// print, over replicate seeds at small sizes. Truths are exact where the maths gives them (the Kolmogorov
// value, the product theory) and otherwise a reference run 40-100 times larger on its own streams.
import { describe, expect, it } from 'vitest';
import { shapedRelu, shapedSmooth } from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { sampleNetworks } from '../networks/index.js';
import { runCollapsePoint } from '../validation/collapse.js';
import { measureCumulants } from '../validation/cumulants.js';
import { readExplosionSettings, runExplosionPoint } from '../validation/explosion.js';
import { momentTheory } from '../validation/theory.js';
import { isMissing } from '../validation/point.js';
import { coverageRows, coverageTable, SCALE, type RowCoverage, type Truth } from './helpers/calibration.js';

const proportion = (k: number, n: number, basis: string): Truth => ({
  value: k / n,
  se: Math.sqrt(((k / n) * (1 - k / n)) / n),
  basis,
});
const difference = (a: Truth, b: Truth): Truth => ({
  value: a.value - b.value,
  se: Math.hypot(a.se, b.se),
  basis: `${a.basis} - ${b.basis}`,
});

function check(title: string, rows: readonly RowCoverage[], unreliable: Readonly<Record<string, string>> = {}): void {
  const table = coverageTable(title, rows, unreliable);
  if (SCALE > 1) console.info(table);
  for (const r of rows)
    if (!unreliable[r.row]) expect(r.calibrated, `${r.row}: ${r.covered}/${r.replicates}\n${table}`).toBe(true);
}

describe('coverage of the criterion, cumulant and collapse intervals over replicate seeds', () => {
  it('explosion point (criterion network table): SDE with the bridge against the exact value, networks against a reference run', async () => {
    const base = { activation: 'swish:1', T: 1, threshold: 10, n: 64, paths: 400, samples: 400, steps: 64 };
    // The networks' reference: 40,000 one-input networks (8,000 in the test suite) on their own stream family.
    const ref = await sampleNetworks({
      activation: shapedSmooth('swish', { a: 1 }),
      n: 64,
      depth: 64,
      v0: [[1]],
      samples: SCALE > 1 ? 40_000 : 8_000,
      seed: 424_242,
      explosion: { threshold: 10 },
      streams: { purpose: 'network/reference' },
    });
    let k = 0;
    for (const s of ref.status) if (s === PATH_EXPLODED) k++;
    const network = proportion(k, ref.samples, `reference run of ${ref.samples}`);
    const first = await runExplosionPoint(readExplosionSettings({ ...base, paths: 2, samples: 2 }));
    const sde: Truth = { value: first.exact, se: 0, basis: 'exact (Kolmogorov)' };
    const truths = {
      'P(cross by T): SDE': sde,
      'P(cross by T): networks': network,
      'P(cross by T): difference': difference(network, sde),
    };
    const rows = await coverageRows(20, truths, async (r) => {
      const p = await runExplosionPoint(readExplosionSettings({ ...base, seed: 70_000 + r }));
      return {
        'P(cross by T): SDE': p.sde,
        'P(cross by T): networks': p.network,
        'P(cross by T): difference': p.difference,
      };
    });
    check(
      `criterion / explosion point: swish:1, X0 = 1, threshold 10 X0, T = 1, n = 64, 64 steps, ${base.paths} paths and ${base.samples} networks per replicate`,
      rows,
    );
  });

  it('cumulants: shaped ReLU at n = 32, L = 32 (L/n = 1), direct (BCa) and pooled estimators of the output and the derivative', async () => {
    const spec = { family: 'relu-like', cPlus: 0, cMinus: -1 } as const;
    const exact: Truth = {
      value: momentTheory(spec, 32, 32, 1).kurtosis.exact!,
      se: 0,
      basis: 'exact (1 + k/n)^L - 1',
    };
    const names = ['output (BCa)', 'output (pooled)', 'derivative (BCa)', 'derivative (pooled)'];
    const truths = Object.fromEntries(names.map((n) => [`kurtosis ratio, ${n}`, exact]));
    const rows = await coverageRows(20, truths, async (r) => {
      const m = await measureCumulants({
        activation: shapedRelu({ cPlus: 0, cMinus: -1 }),
        n: 32,
        layers: [32],
        samples: 400,
        seed: 80_000 + r,
      });
      return {
        'kurtosis ratio, output (BCa)': m.output[0],
        'kurtosis ratio, output (pooled)': m.pooled![0],
        'kurtosis ratio, derivative (BCa)': m.derivative[0],
        'kurtosis ratio, derivative (pooled)': m.derivativePooled![0],
      };
    });
    check('cumulants: relu:0,-1, n = 32, L = 32, 400 networks per replicate', rows, {
      'kurtosis ratio, output (BCa)':
        'the direct ratio of a log-normal-like V; the report prints the pooled estimator beside it',
      'kurtosis ratio, derivative (BCa)': 'the same for the derivative',
    });
  });

  it('collapse: token correlation (CLT), P(collapsed) and P(exploded) (Wilson) on both sides and their differences', async () => {
    const base = {
      architecture: 'attention:1,1',
      m: 4,
      rho0: 0.3,
      T: 1,
      stepsPerUnit: 64,
      n: 16,
      samples: 200,
      paths: 200,
      threshold: 100,
      level: 0.9,
    };
    // The truths: one run 50 times larger of each side, on a seed no replicate uses.
    const size = SCALE > 1 ? 10_000 : 4_000;
    const ref = await runCollapsePoint({ ...base, paths: size, samples: size, seed: 999_999 });
    const truthOf = (side: 'sde' | 'network', basis: string) => {
      const s = ref[side];
      if (isMissing(s.correlation) || isMissing(s.collapsed)) throw new Error('reference run: every path exploded');
      return {
        correlation: { value: s.correlation.value, se: s.correlation.se, basis },
        collapsed: proportion(s.collapsed.k, s.collapsed.total, basis),
        exploded: proportion(s.exploded.k, s.exploded.total, basis),
      };
    };
    const sde = truthOf('sde', `reference run of ${size}`);
    const net = truthOf('network', `reference run of ${size}`);
    const truths: Record<string, Truth> = {};
    for (const stat of ['correlation', 'collapsed', 'exploded'] as const) {
      truths[`${stat}: SDE`] = sde[stat];
      truths[`${stat}: networks`] = net[stat];
    }
    truths['collapsed: difference'] = difference(net.collapsed, sde.collapsed);
    truths['exploded: difference'] = difference(net.exploded, sde.exploded);
    const rows = await coverageRows(20, truths, async (r) => {
      const c = await runCollapsePoint({ ...base, seed: 90_000 + r });
      return {
        'correlation: SDE': c.sde.correlation,
        'correlation: networks': c.network.correlation,
        'collapsed: SDE': c.sde.collapsed,
        'collapsed: networks': c.network.collapsed,
        'exploded: SDE': c.sde.exploded,
        'exploded: networks': c.network.exploded,
        'collapsed: difference': c.collapsedDifference,
        'exploded: difference': c.explodedDifference,
      };
    });
    check(
      `collapse: attention:1,1, m = 4, rho0 = 0.3, T = 1, n = 16, level 0.9, ${base.paths} paths and ${base.samples} networks per replicate`,
      rows,
    );
  });
});
