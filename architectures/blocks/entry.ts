// The grammar of block text and the spec tree (docs/maths.md, section 17): each block file exports one
// BlockEntry (its grammar, its parse and its rebuild from JSON), and blocks/index.ts lists them; the
// combinators parse their sub-blocks through the callbacks, so no file names another's block.
import { InputError } from '../../src/errors.js';
import type { Block, BlockSpec } from './block.js';

/** One kind of block in the table. */
export interface BlockEntry {
  /** The name that opens its text ('dense', 'residual', ...) and its spec's `block`. */
  readonly name: string;
  /** e.g. 'residual(<block>,<gamma>)' */
  readonly grammar: string;
  /** From the top-level comma-separated arguments inside its parentheses (null: written without them);
   *  `sub` parses a sub-block's text. InputError naming `field` on bad input. */
  parse(args: readonly string[] | null, field: string, sub: (text: string) => Block): Block;
  /** From its spec; `sub` rebuilds a sub-block's spec. */
  fromSpec(spec: BlockSpec, field: string, sub: (spec: unknown, at: string) => Block): Block;
}

/** Split `a,b(c,d),e` at its top-level commas; null when the parentheses do not balance. */
export function splitTopLevel(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return null;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(text.slice(from));
  return parts;
}

/** The grammar of block text, from the table. */
export function blockGrammar(table: Readonly<Record<string, BlockEntry>>): string {
  return Object.values(table)
    .map((e) => e.grammar)
    .join(' | ');
}

/** Parse block text: `name` or `name(args)`; errors name `field` and quote the whole text. */
export function parseBlockText(table: Readonly<Record<string, BlockEntry>>, text: string, field: string): Block {
  const usage = `must be a block: ${blockGrammar(table)}`;
  const parse = (t: string): Block => {
    const s = t.trim();
    const match = /^([A-Za-z]+)(?:\((.*)\))?$/s.exec(s);
    const entry = match && Object.hasOwn(table, match[1]) ? table[match[1]] : undefined;
    if (!match && splitTopLevel(s) === null) throw new InputError(field, text, `${usage} (unbalanced parentheses)`);
    if (!match || !entry) throw new InputError(field, text, usage);
    const args = match[2] === undefined ? null : splitTopLevel(match[2]);
    if (match[2] !== undefined && args === null) throw new InputError(field, text, `${usage} (unbalanced parentheses)`);
    try {
      return entry.parse(args, field, parse);
    } catch (e) {
      // A sub-block's own message already quotes the whole text; a parameter's names the block.
      if (e instanceof InputError && !(e.field === field && e.value === text))
        throw new InputError(field, text, `${entry.grammar} needs ${e.field} ${e.requirement}`);
      throw e;
    }
  };
  return parse(text);
}

/** Rebuild a block from its spec tree; errors name the path (`architecture.block.branch.gamma`). */
export function blockFromSpecTree(table: Readonly<Record<string, BlockEntry>>, spec: unknown, field: string): Block {
  const build = (s: unknown, at: string): Block => {
    const name = s !== null && typeof s === 'object' ? (s as { block?: unknown }).block : undefined;
    const entry = typeof name === 'string' && Object.hasOwn(table, name) ? table[name] : undefined;
    if (!entry) throw new InputError(`${at}.block`, name, `must be one of ${Object.keys(table).join(', ')}`);
    return entry.fromSpec(s as BlockSpec, at, build);
  };
  return build(spec, field);
}

/** A number argument of block text (plain decimal). */
export function numberArg(text: string | undefined, what: string): number {
  if (text === undefined || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(text.trim()))
    throw new InputError(what, text ?? '(missing)', 'must be a plain decimal number');
  return Number(text);
}
