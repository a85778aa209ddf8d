// Shaped attention and the shaped Transformer with every weight drawn (WQ_h, WK_h: n x nk; WV_h and the
// MLP's W: n x n, drawn a row at a time and never stored whole): O(m n (H (2 nk + n))) per layer, the
// ground truth that the chain sampler reproduces in law. The state is z = X^T (n x m).
import { applyFeatures, gaussianMatmul, gramInto } from '../../networks/index.js';
import { inputStream, residualSkip, residualUpdate } from '../resnet/stream.js';
import { blockScratch } from './block.js';
import type { AttentionParams } from './params.js';
import { shapedAttention } from './softmax.js';
import { tokenLogits, type FiniteBlocks, type TokenJob, type TokenSampler } from './chain.js';

export function attentionExplicitSampler(job: TokenJob, p: AttentionParams, blocks: FiniteBlocks, keyWidth: number = job.n): TokenSampler {
  const { m, n } = job;
  const nk = keyWidth;
  const lambda = residualSkip(p.gamma);
  const scratch = blockScratch(m, nk, true);
  const lv = new Float64Array(m * m);
  const z = new Float64Array(n * m);
  const u = new Float64Array(n * m);
  const branch = new Float64Array(n * m);
  const w = new Float64Array(Math.max(n, nk));
  const acc = new Float64Array(m);
  const q = scratch.g;
  const k = scratch.gk;
  const headGain = 1 / Math.sqrt(p.heads);
  return {
    start(rng, v0 = job.v0) {
      inputStream(rng, v0, n, m, z, lv);
    },
    layer(rng, v) {
      branch.fill(0);
      for (let h = 0; h < p.heads; h++) {
        // Q^T = WQ^T z / sqrt(n) and K^T likewise (nk x m); S = Q K^T / (tau0 sqrt(n nk)).
        gaussianMatmul(rng, w, z, n, m, nk, 1 / Math.sqrt(n), q, acc);
        gaussianMatmul(rng, w, z, n, m, nk, 1 / Math.sqrt(n), k, acc);
        const s = scratch.s;
        s.fill(0);
        for (let c = 0; c < nk; c++) for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) s[a * m + b] += q[c * m + a] * k[c * m + b];
        const scale = 1 / (p.tau0 * Math.sqrt(n * nk));
        for (let x = 0; x < m * m; x++) s[x] *= scale;
        shapedAttention(s, m, scratch.a);
        // (A X WV / sqrt(n))^T = (WV^T z / sqrt(n)) A^T.
        gaussianMatmul(rng, w, z, n, m, n, 1 / Math.sqrt(n), u, acc);
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < m; a++) {
            let acc = 0;
            for (let b = 0; b < m; b++) acc += u[i * m + b] * scratch.a[a * m + b];
            branch[i * m + a] += headGain * acc;
          }
        }
      }
      residualUpdate(z, branch, n * m, lambda, p.gamma);
      if (blocks.kind === 'transformer') {
        // z <- lambda z + gamma sqrt(c/n) W phi(z).
        u.set(z);
        applyFeatures(u, n, m, false, blocks.act);
        gaussianMatmul(rng, w, u, n, m, n, Math.sqrt(blocks.act.c / n), branch, acc);
        residualUpdate(z, branch, n * m, lambda, p.gamma);
      }
      return gramInto(z, n, m, 1 / n, v);
    },
    logits(rng, v, out) {
      tokenLogits(rng, v, m, job.outputs, lv, out);
    },
  };
}
