// The API's network samplers as the root entry exports them: networks/' samplers with the architecture
// given as a value or as its --architecture text ('resnet:0.5'), which only this layer can parse. Not
// re-exported by architectures/index.ts (it imports that table); the root entry exports it.
import type { NetworkArchitecture } from '../networks/index.js';
import * as networks from '../networks/index.js';
import type { NetworkOptions, NetworkSample, FixedSamplerOptions } from '../networks/index.js';
import { parseArchitecture } from './index.js';
import type { OnThisThread } from '../src/apiOptions.js';

/** sampleNetworks' options with the architecture as a value or its text. */
export type ArchitectureNetworkOptions = Omit<NetworkOptions, 'architecture'> & {
  architecture?: NetworkArchitecture | string | undefined;
};

function resolved<T extends { architecture?: NetworkArchitecture | string | undefined }>(
  options: T,
): T & { architecture?: NetworkArchitecture | undefined } {
  if (options == null || typeof options !== 'object' || typeof options.architecture !== 'string')
    return options as T & { architecture?: NetworkArchitecture };
  return { ...options, architecture: parseArchitecture(options.architecture, 'architecture') };
}

/**
 * Sample finite networks, on worker threads when `threads` > 1; the activation and the architecture may
 * be values or their texts.
 * @example
 * const net = await sampleNetworks({ architecture: 'resnet:0.5', activation: 'tanh:1', n: 128, T: 1,
 *   v0: [[1, 0.5], [0.5, 1]], samples: 1000, seed: 7 });
 */
export function sampleNetworks(options: ArchitectureNetworkOptions): Promise<NetworkSample> {
  return networks.sampleNetworks(resolved(options) as NetworkOptions);
}

/** sampleNetworks on this thread. */
export function sampleNetworksSync(options: OnThisThread<ArchitectureNetworkOptions>): NetworkSample {
  return networks.sampleNetworksSync(resolved(options) as OnThisThread<NetworkOptions>);
}

/** The exact covariance chain (the default sampler), synchronously. */
export function covarianceChain(
  options: Omit<FixedSamplerOptions, 'architecture'> & { architecture?: NetworkArchitecture | string | undefined },
): NetworkSample {
  return networks.covarianceChain(resolved(options) as FixedSamplerOptions);
}

/** The explicit-weight network, synchronously. */
export function explicitNetwork(
  options: Omit<FixedSamplerOptions, 'architecture'> & { architecture?: NetworkArchitecture | string | undefined },
): NetworkSample {
  return networks.explicitNetwork(resolved(options) as FixedSamplerOptions);
}
