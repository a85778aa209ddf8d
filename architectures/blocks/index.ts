// architectures/blocks/: the block as the unit (docs/maths.md, section 17). A block owns its finite layer
// and its limit contribution; combinators compose both; composition() makes any block an Architecture.
// BLOCKS is the table of block kinds for text and spec trees: a new block is one file and one line here.
import type { Block } from './block.js';
import { DENSE_ENTRY } from './dense.js';
import { blockFromSpecTree, blockGrammar, parseBlockText, type BlockEntry } from './entry.js';
import { PARALLEL_ENTRY } from './parallel.js';
import { RESIDUAL_ENTRY } from './residual.js';
import { SERIAL_ENTRY } from './serial.js';
import { SHAPED_ATTENTION_ENTRY } from './shapedAttention.js';

export type { Block, BlockLimit, BlockSpec, Clocked, DriftPart, FiniteLayer, NoisePart, StreamShape } from './block.js';
export type { BlockEntry } from './entry.js';
export { dense, mlpDriftPart } from './dense.js';
export { shapedAttention } from './shapedAttention.js';
export type { ShapedAttentionOptions } from './shapedAttention.js';
export { residual, residualLimit, residualNoiseClock } from './residual.js';
export { serial, serialLimit } from './serial.js';
export { parallel, parallelLimit } from './parallel.js';
export { WISHART, limitMaths, limitDrift, limitCovariance, mergeParts, scaleParts, wishartClock } from './limit.js';
export { limitSde, mlpForm } from './sde.js';
export { composition } from './compose.js';
export { freshLayer } from './fresh.js';
export { checkBlock } from './check.js';
export type { BlockCheck, MomentCheck, CheckOptions } from './check.js';

/** Every block kind by the name that opens its text and its spec's `block`. */
export const BLOCKS: Readonly<Record<string, BlockEntry>> = {
  dense: DENSE_ENTRY,
  shapedAttention: SHAPED_ATTENTION_ENTRY,
  residual: RESIDUAL_ENTRY,
  serial: SERIAL_ENTRY,
  parallel: PARALLEL_ENTRY,
};

/** The grammar of block text. */
export const BLOCK_GRAMMAR = (): string => blockGrammar(BLOCKS);

/** Parse block text ('residual(dense,0.7)'); errors name `field`. */
export function parseBlock(text: string, field = 'architecture'): Block {
  return parseBlockText(BLOCKS, text, field);
}

/** Rebuild a block from its spec tree; errors name the path under `field`. */
export function blockFromSpec(spec: unknown, field = 'architecture.block'): Block {
  return blockFromSpecTree(BLOCKS, spec, field);
}
