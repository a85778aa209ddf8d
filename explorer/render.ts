// Drawing with vega, loaded by the page as its own chunk after the computation has started, so that
// parsing vega (most of the page's bytes) overlaps the first stage's work in the compute worker.
import { parse as parseVega, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Draw a vega-lite spec as SVG into `container`; the previous view there is finalized once the new one shows. */
export async function drawSpec(container: HTMLElement, spec: TopLevelSpec, previous: View | undefined): Promise<View> {
  const view = new View(parseVega(compile(spec).spec), { renderer: 'svg', container, hover: true });
  await view.runAsync();
  previous?.finalize();
  return view;
}

export type { View };
