// The one per-network skeleton every sampler runs in: network p draws from the stream (seed, purpose, p),
// records V at the requested layers, stops at the layer where max_a V^aa crosses the threshold (keeping
// its last finite state), accumulates the layer factors, and draws the output logits. A sampler
// (networks/sampler.ts) supplies only the layer update.
import { activationFromSpec, type Activation } from '../src/activations/index.js';
import { resolveRef } from '../src/modules.js';
import { PATH_EXPLODED } from '../src/results.js';
import { openStream } from '../src/random/streams.js';
import { FACTOR_FIELDS, factorEntries, factorWidth, stateSide, type NetworkChunk, type NetworkJob } from './job.js';
import type { SamplerFactory } from './sampler.js';

/** Networks per block: one stream per network (its work dwarfs seeding). */
export const NETWORK_BLOCK = 1;

/** The worker's kernel: rebuild the sampler factory from its reference, then sample. */
export async function sampleRangeByRef(job: NetworkJob, start: number, count: number): Promise<NetworkChunk> {
  if (!job.sampler || !job.activation)
    throw new Error('sampleRangeByRef: the job has no module reference (it runs on one thread)');
  return sampleRange(
    job,
    start,
    count,
    activationFromSpec(job.activation),
    await resolveRef<SamplerFactory>(job.sampler),
  );
}

/** Sample networks [start, start + count) of a job with the sampler a factory builds. */
export function sampleRange(
  job: NetworkJob,
  start: number,
  count: number,
  activation: Activation,
  factory: SamplerFactory,
): NetworkChunk {
  const act = activation.atWidth(job.n);
  const sampler = factory.build(job, act);
  const side = stateSide(job);
  const ss = side * side;
  const records = job.recordLayers;
  const out: NetworkChunk = {
    values: new Float64Array(records.length * count * ss),
    logits: new Float64Array(count * job.outputs * side),
    status: new Uint8Array(count),
    explosionLayer: new Int32Array(count).fill(-1),
    factors: new Float64Array(count * factorWidth(job)),
  };
  const v = new Float64Array(ss);
  const previous = new Float64Array(ss);
  const logits = new Float64Array(job.outputs * side);
  const entries = factorEntries(job);
  const width = factorWidth(job);
  for (let q = 0; q < count; q++) {
    const rng = openStream(job.seed, job.purpose, start + q, job.generator);
    v.set(job.v0);
    let next = 0;
    while (next < records.length && records[next] === 0) out.values.set(v, (next++ * count + q) * ss);
    sampler.start(rng, v);
    for (let layer = 1; layer <= job.depth; layer++) {
      previous.set(v);
      const maxDiag = sampler.layer(rng, v);
      if (!(maxDiag <= job.threshold)) {
        if (Number.isNaN(maxDiag)) v.set(previous);
        out.status[q] = PATH_EXPLODED;
        out.explosionLayer[q] = layer;
        break;
      }
      while (next < records.length && records[next] === layer) out.values.set(v, (next++ * count + q) * ss);
      for (let c = 0; c < entries.length; c++) {
        const e = entries[c];
        if (!(previous[e] > 0)) continue;
        const chi = v[e] / previous[e];
        const at = q * width + c * FACTOR_FIELDS;
        out.factors[at]++;
        out.factors[at + 1] += chi;
        out.factors[at + 2] += chi * chi;
        out.factors[at + 3] += chi * chi * chi;
        out.factors[at + 4] += chi * chi * chi * chi;
      }
    }
    // An exploded network's later records hold its state at detection (flagged by status).
    while (next < records.length) out.values.set(v, (next++ * count + q) * ss);
    sampler.logits(rng, v, logits);
    out.logits.set(logits, q * job.outputs * side);
  }
  return out;
}
