// networks/: finite shaped MLPs of width n and depth d = T n, by explicit weights or the exact chain.
export { sampleNetworks, sampleNetworksSync, covarianceChain, explicitNetwork, buildNetworkJob, runNetworkChunk } from './sample.js';
export type { NetworkOptions, NetworkSample } from './sample.js';
export type { NetworkJob } from './job.js';
