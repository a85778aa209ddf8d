// Progress files: a JSONL header line, then one line per finished point. A kill leaves at most a torn
// last line, which reading reports (its byte offset) so that a resume cuts it off before appending.
import { node } from '../../src/nodeBuiltins.js';
import { InputError } from '../../src/errors.js';
import { SCAN_SCHEMA, type JsonlHeader, type ScanRow } from './types.js';
// Node modules through the platform, so that the ./validation entry bundles for a browser.
const { existsSync, readFileSync, readdirSync } = node.fs;
const { join } = node.path;

/**
 * Read a progress file: the header and every complete row. A last line cut short by a kill is reported
 * (its byte offset) so that the writer can cut it off before appending.
 */
export function readProgress(file: string): { header: JsonlHeader; rows: Map<number, ScanRow>; goodBytes: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, (e as NodeJS.ErrnoException).code ?? String(e), 'cannot be read');
  }
  const firstBreak = text.indexOf('\n');
  let header: JsonlHeader;
  try {
    header = JSON.parse(firstBreak < 0 ? text : text.slice(0, firstBreak)) as JsonlHeader;
  } catch {
    throw new InputError(
      file,
      text.slice(0, 40),
      `is not a scan progress file (its first line is not a ${SCAN_SCHEMA} header)`,
    );
  }
  if (header?.schema !== SCAN_SCHEMA)
    throw new InputError(file, header?.schema, `is not a ${SCAN_SCHEMA} progress file`);
  const rows = new Map<number, ScanRow>();
  let offset = firstBreak + 1;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    if (end < 0) break; // torn tail
    try {
      const { index, row } = JSON.parse(text.slice(offset, end)) as { index: number; row: ScanRow };
      if (!rows.has(index)) rows.set(index, row);
    } catch {
      break; // a damaged line: it and what follows are recomputed
    }
    offset = end + 1;
  }
  return { header, rows, goodBytes: Buffer.byteLength(text.slice(0, Math.min(offset, text.length))) };
}

/** The progress files of a directory: scan.jsonl or its shards. */
export function progressFiles(dir: string): string[] {
  if (!existsSync(dir)) throw new InputError(dir, 'missing', 'is not a directory');
  return readdirSync(dir)
    .filter((f) => /^scan(\.shard-\d+-of-\d+)?\.jsonl$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
