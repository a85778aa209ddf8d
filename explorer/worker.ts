// The compute worker: runs every stage of a state off the page's thread and posts each as it is done.
// Its block kernels run on kernel workers (explorer/kernels.ts), one per core. The page cancels a
// computation by terminating this worker, which ends its kernel workers too.
import { browserPlatform, setPlatform } from '../entry/index.js';
import { computeStages } from './compute.js';
import type { StateTexts } from './state.js';

setPlatform(
  browserPlatform({ worker: () => new Worker(new URL('./kernels.js', import.meta.url), { type: 'module' }) }),
);

export type WorkerRequest = { readonly texts: StateTexts; readonly threads: number } | { readonly drawn: string };
export type WorkerReply =
  | { readonly type: 'stage'; readonly message: unknown }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(reply: WorkerReply): void;
};

// The page answers { drawn } when it has drawn a stage; the next stage starts then.
let drawn: (() => void) | null = null;

scope.onmessage = async ({ data }) => {
  if ('drawn' in data) {
    drawn?.();
    drawn = null;
    return;
  }
  try {
    await computeStages(data.texts, {
      threads: data.threads,
      post: (message) =>
        new Promise<void>((resolve) => {
          drawn = resolve;
          scope.postMessage({ type: 'stage', message });
        }),
    });
    scope.postMessage({ type: 'done' });
  } catch (e) {
    scope.postMessage({ type: 'error', message: (e as Error).message ?? String(e) });
  }
};
