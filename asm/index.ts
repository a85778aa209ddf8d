// The package's WebAssembly kernels (built by scripts/build-wasm.mjs into src/kernels/bytes.ts). Each is a
// byte-identical twin of a TypeScript reference kernel; the loader is src/kernels/.
export { setTables, fillNormalsFinished, fillWords } from './normals';
export { chainLayer, pairLayer } from './chain';
export { mathMap } from './math';
export { diagonalNoise2x, eulerRelu2x, splitRelu2x } from './sde';
export { mathMap2 } from './simd';
export {
  choleskyColumnSums2x,
  diffusionGroups,
  driftRelu2x,
  eulerGroups,
  flowRelu2x,
  flowsTile2x,
  gramTile2x,
  noiseTile2x,
  settleGroups,
  splitBlock,
} from './dense';
