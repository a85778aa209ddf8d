// Activations: one object per shaped family that knows its finite-width map and its limiting drift,
// the unshaped baselines, and the JSON and string forms that name them from outside code.
export * from './types.js';
export {
  shapedRelu,
  reluLikeNu,
  reluLikeSlopes,
  reluLikeFourthMomentConstant,
  arcCosineKernel,
  reluPairFlow,
  piecewiseLinearAtWidth,
} from './reluLike.js';
export { shapedSmooth, customSmooth, smoothBeta, smoothScaleForBeta, SMOOTH_FUNCTIONS } from './smooth.js';
export type { SmoothFunction } from './smooth.js';
export { unshaped } from './unshaped.js';
export { activationFromSpec, parseActivation, parseActivationSpec, activationLabel, DECIMAL } from './parse.js';
