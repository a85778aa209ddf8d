// The head every study report opens with: its schema tag, the package that wrote it and the settings as
// read, with the kernels that ran (js or wasm; the same bits either way). One builder for every study.
import { kernelsInUse, type KernelsName } from '../src/kernels/index.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/version.js';

/** The fields a study report starts with. */
export interface ReportHeader<Schema extends string, Settings> {
  readonly schema: Schema;
  readonly package: { readonly name: string; readonly version: string };
  /** The settings as read, and which kernels ran (js or wasm; the same bits either way). */
  readonly settings: Settings & { readonly kernels: KernelsName };
}

function architectureText(settings: object): { architecture?: string } {
  const a = (settings as { architecture?: unknown }).architecture;
  return a !== null && typeof a === 'object' && typeof (a as { text?: unknown }).text === 'string'
    ? { architecture: (a as { text: string }).text }
    : {};
}

/** The head of a report with this schema and these settings. */
export function reportHeader<Schema extends string, Settings extends object>(
  schema: Schema,
  settings: Settings,
): ReportHeader<Schema, Settings> {
  return {
    schema,
    package: { name: PACKAGE_NAME, version: PACKAGE_VERSION },
    // An architecture value (a composition with the caller's own block) is recorded by its text.
    settings: { ...settings, ...architectureText(settings), kernels: kernelsInUse() },
  };
}
