// Test driver for the resnet layer samplers before they run through the package's network skeleton:
// network q draws from stream (seed, purpose, q), runs `depth` layers and returns its final V (or the
// last finite one) with the layer at which max diag V crossed `threshold` (-1 if none).
import type { FiniteActivation } from '../../src/activations/index.js';
import { openStream } from '../../src/random/streams.js';
import type { NetworkJob } from '../../networks/job.js';
import type { LayerSampler } from '../../networks/range.js';

export function resnetJob(options: { n: number; depth: number; v0: number[]; m?: number; derivatives?: boolean; threshold?: number; outputs?: number }): NetworkJob {
  const m = options.m ?? Math.round(Math.sqrt(options.v0.length) / (options.derivatives ? 2 : 1));
  return {
    method: 'chain',
    activation: null,
    m,
    derivatives: options.derivatives ?? false,
    v0: options.v0,
    inputs: null,
    inputDim: 0,
    n: options.n,
    depth: options.depth,
    recordLayers: [options.depth],
    outputs: options.outputs ?? 1,
    threshold: options.threshold ?? Infinity,
    factorMoments: false,
    seed: 0,
    purpose: 'network',
    generator: 'xoshiro128++',
  };
}

export function runResnets(
  job: NetworkJob,
  act: FiniteActivation,
  build: (job: NetworkJob, act: FiniteActivation) => LayerSampler,
  count: number,
  seed: number,
  purpose: string,
): { v: Float64Array[]; logits: Float64Array[]; explosionLayer: Int32Array } {
  const side = job.derivatives ? 2 * job.m : job.m;
  const sampler = build(job, act);
  const vs: Float64Array[] = [];
  const logits: Float64Array[] = [];
  const explosionLayer = new Int32Array(count).fill(-1);
  for (let q = 0; q < count; q++) {
    const rng = openStream(seed, purpose, q);
    const v = Float64Array.from(job.v0);
    const previous = new Float64Array(side * side);
    sampler.start(rng);
    for (let layer = 1; layer <= job.depth; layer++) {
      previous.set(v);
      const maxDiag = sampler.layer(rng, v);
      if (!(maxDiag <= job.threshold)) {
        if (Number.isNaN(maxDiag)) v.set(previous);
        explosionLayer[q] = layer;
        break;
      }
    }
    const out = new Float64Array(job.outputs * side);
    sampler.logits(rng, v, out);
    vs.push(v);
    logits.push(out);
  }
  return { v: vs, logits, explosionLayer };
}
