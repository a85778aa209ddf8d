// networks/: finite shaped MLPs of width n and depth d = T n, by explicit weights or the exact chain.
export { sampleNetworks, sampleNetworksSync, covarianceChain, explicitNetwork, buildNetworkJob, NETWORK_THRESHOLD_FACTOR } from './sample.js';
export type { NetworkOptions, NetworkSample } from './sample.js';
export { NETWORK_METHODS } from './job.js';
export type { NetworkJob, NetworkMethod } from './job.js';
export { NETWORK_BLOCK } from './range.js';
