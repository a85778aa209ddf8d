// The shaped Transformer's limit against its finite networks (docs/maths.md, 14.5): the attention drift
// plus gamma^2 times the MLP's, and two linear noises. At n = 128 (token chain, 1200 networks) and from the
// SDE (Euler-Maruyama, 128 steps per unit time, 4000 paths), the mean token correlation at T = 1 given no
// explosion must agree (two-sample z-test, p > 1e-3), while the same networks reject the attention-only
// SDE and an SDE with the MLP drift on clock 1 instead of gamma^2 (p < 1e-3): the MLP block and its clock
// are both resolved. Shaped ReLU c+ = 0, c- = -2 (a strong MLP drift), m = 3, rho0 = 0.2.
import { describe, expect, it } from 'vitest';
import { shapedRelu } from '../src/activations/index.js';
import { PATH_EXPLODED } from '../src/results.js';
import { meanEstimate, type Estimate } from '../src/stats/index.js';
import { normalCdf } from '../src/special.js';
import { sampleNetworks } from '../networks/index.js';
import {
  brownianSampling,
  constantSteps,
  saveAt,
  eulerMaruyama,
  explosionDetection,
  solve,
  type Sde,
} from '../sde/index.js';
import { limitMaths } from '../architectures/index.js';
import { attention, transformer } from '../architectures/attention/index.js';
import { matrixTerm } from '../sde/index.js';
import { meanTokenCorrelation } from '../validation/collapse.js';

const activation = shapedRelu({ cPlus: 0, cMinus: -2 });
const p = { gamma: 0.8, tau0: 2, heads: 2 };
const m = 3;
const v0 = Array.from({ length: m }, (_, a) => Array.from({ length: m }, (_, b) => (a === b ? 1 : 0.2)));
const threshold = 20;

async function sdeCorrelation(sde: Sde, purpose: string, threads = 2): Promise<Estimate> {
  const s = await solve({
    sde,
    solver: eulerMaruyama(),
    T: 1,
    saveAt: saveAt({ t1: true }),
    v0,
    stepping: constantSteps(128),
    paths: 4000,
    seed: 31,
    explosion: explosionDetection({ threshold }),
    brownian: brownianSampling({ purpose }),
    threads,
  });
  const xs: number[] = [];
  for (let q = 0; q < s.paths; q++)
    if (s.status[q] !== PATH_EXPLODED) xs.push(meanTokenCorrelation(s.values.data as Float64Array, m, q * m * m));
  return meanEstimate(xs);
}

const pValue = (a: Estimate, b: Estimate) => 2 * normalCdf(-Math.abs(a.value - b.value) / Math.hypot(a.se, b.se));

describe('the shaped Transformer: SDE against networks at n = 128', () => {
  it('agree on the mean token correlation; the attention-only SDE and the MLP drift on the wrong clock are rejected', async () => {
    const arch = transformer(p);
    const n = 128;
    const net = await sampleNetworks({
      architecture: arch,
      activation,
      n,
      depth: n,
      v0,
      samples: 1200,
      seed: 31,
      explosion: { threshold },
      threads: 2,
    });
    const xs: number[] = [];
    for (let q = 0; q < net.samples; q++)
      if (net.status[q] !== PATH_EXPLODED) xs.push(meanTokenCorrelation(net.values.data as Float64Array, m, q * m * m));
    const network = meanEstimate(xs);
    const right = await sdeCorrelation(arch.sde(activation), 'sde/transformer');
    expect(pValue(network, right)).toBeGreaterThan(1e-3);
    const attentionOnly = await sdeCorrelation(attention(p).sde(activation), 'sde/attention');
    expect(pValue(network, attentionOnly)).toBeLessThan(1e-3);
    // The MLP block's drift on clock 1 (b) instead of gamma^2 (gamma^2 b); no module reference, so one thread.
    const limit = arch.block.limit(activation);
    const wrong = {
      drifts: limit.drifts.map((d) => (d.part.mlp ? { clock: 1, part: d.part } : d)),
      noises: limit.noises,
    };
    const base = arch.sde(activation);
    const wrongClock: Sde = {
      ...base,
      ref: null,
      term: (lanes, init, side, th) =>
        matrixTerm({
          maths: limitMaths(wrong),
          v0: Float64Array.from(init),
          m: side,
          lanes,
          threshold: th,
        }),
    };
    expect(pValue(network, await sdeCorrelation(wrongClock, 'sde/wrong-clock', 1))).toBeLessThan(1e-3);
  });
});
