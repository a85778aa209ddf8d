// Long computations on the calling thread that can pause: written once as a generator that yields where
// pausing is safe, drained at once by a synchronous caller, or run by an asynchronous one in slices that
// give the event loop a turn every few tens of milliseconds, so that a stop request (Ctrl-C, SIGTERM) or a
// page's events are handled while statistics such as bootstraps run between the blocks of work.

/** A computation of a T that yields where it may pause. */
export type Steps<T> = Generator<void, T, void>;

/** Run steps to their end without pausing (the synchronous API). */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** How long a slice runs before the event loop gets a turn: short against the 2 s within which a stop
 *  must be honoured, long against the turn's own cost (a few microseconds). */
export const SLICE_MS = 50;

/** A turn of the event loop: its poll phase runs (signals, I/O, messages) before this resolves. */
export function pause(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** Run steps to their end, giving the event loop a turn every `sliceMs` (the asynchronous API). */
export async function cooperate<T>(steps: Steps<T>, sliceMs = SLICE_MS): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() >= until) {
      await pause();
      until = performance.now() + sliceMs;
    }
  }
}
