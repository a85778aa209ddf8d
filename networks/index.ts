// networks/: finite shaped networks of width n and depth d = T n: the sampler contract, the one
// per-network skeleton, and the MLP's samplers (explicit weights and the exact covariance chain).
export {
  sampleNetworks,
  sampleNetworksSync,
  covarianceChain,
  explicitNetwork,
  buildNetworkJob,
  networkOptions,
  NETWORK_THRESHOLD_FACTOR,
  NETWORK_KEYS,
} from './sample.js';
export type { NetworkOptions, NetworkSample, FixedSamplerOptions } from './sample.js';
export type { NetworkJob, NetworkMethod, NetworkChunk } from './job.js';
export { stateSide, FACTOR_FIELDS } from './job.js';
export { NETWORK_BLOCK, sampleRange } from './skeleton.js';
export type { LayerSampler, SamplerFactory, NetworkArchitecture } from './sampler.js';
export { MLP_SAMPLERS, MLP_NETWORK, mlpSampler } from './samplers.js';
export { correlateRows } from './chain.js';
export { applyFeatures, gramInto, storeGram2 } from './features.js';
export { gaussianMatmul } from './explicit.js';
export {
  inputStream,
  branchCovariance,
  gaussianRows,
  residualGaussianStep,
  residualGaussianStepGram4,
  residualSkip,
  residualUpdate,
  streamGram,
  requireGamma,
} from './stream.js';
/** The MLP's sampler names (the default architecture's --method choices). */
/** @deprecated The package's presets' sampler names; an architecture's own table (`architecture.samplers`) is what `sampler` is checked against. */
export const NETWORK_METHODS: readonly string[] = ['chain', 'explicit'];
