// How long a run will take, measured on this machine just before it starts: a pilot runs growing parts
// of the same work on the same threads until one takes long enough to time, so the current load and
// this machine's speed are in the figure. The fixed-rate models only decide whether a pilot is cheap.

/** A part of the run: its size in the run's work units, what it is in words, and the work itself. */
export interface PilotPart {
  readonly units: number;
  readonly what: string;
  readonly run: () => Promise<unknown>;
}

export interface Pilot {
  /** Work units of the whole run (e.g. path-steps, sample-layers). */
  readonly units: number;
  /** Part k (k = 0, 1, ... each about twice the last), or undefined past the whole run. */
  readonly part: (k: number) => PilotPart | undefined;
}

/** A part is timed once it takes this long (shorter ones are mostly start-up and noise). */
const TIMED_SECONDS = 0.3;
/** The pilot's first part may take this long by the fixed-rate model, else no pilot runs. */
const FIRST_PART_SECONDS = 1;

export interface Measured {
  readonly seconds: number;
  readonly what: string;
  readonly took: number;
}

/** The pilot gives up refining past this much time in all (it then takes its best-timed part). */
const PILOT_SECONDS = 3;

/**
 * Run the pilot's parts until one takes TIMED_SECONDS at a rate (seconds per unit) no worse than 1.5
 * times the part before it, and scale it to the whole run. Part 0 starts the workers and is never
 * the one taken when a part 1 exists; the rate check skips a part slowed by a one-off (a compile, a
 * collection, a burst of load). Undefined when even part 0 would take over FIRST_PART_SECONDS by the
 * model `modelSeconds` (the whole run's fixed-rate estimate).
 */
export async function measureWork(pilot: Pilot, modelSeconds: number): Promise<Measured | undefined> {
  const first = pilot.part(0);
  if (!first || (modelSeconds * first.units) / pilot.units > FIRST_PART_SECONDS) return undefined;
  const timed: Array<Measured & { rate: number }> = [];
  // Out of parts or time: the fastest part long enough to time, else the last.
  const best = () =>
    timed.filter((t) => t.took >= TIMED_SECONDS / 4).sort((a, b) => a.rate - b.rate)[0] ?? timed.at(-1);
  let spent = 0;
  for (let k = 0; ; k++) {
    const part = pilot.part(k);
    // Never a tenth of the run or more: past that, the run itself is the better clock.
    if (!part || (k > 0 && part.units * 10 > pilot.units) || spent > PILOT_SECONDS) return best();
    const t0 = performance.now();
    await part.run();
    const took = (performance.now() - t0) / 1000;
    spent += took;
    const rate = took / part.units;
    const previous = timed.at(-1);
    timed.push({ seconds: rate * pilot.units, what: part.what, took, rate });
    if (k > 0 && took >= TIMED_SECONDS && previous && rate <= 1.5 * previous.rate) return timed.at(-1);
  }
}

/** Sizes that grow by doubling one at a time, each from its start to its full value, the first first:
 *  the k-th such list, or undefined past the full sizes. */
export function doubledSizes(
  sizes: ReadonlyArray<{ readonly from: number; readonly to: number }>,
  k: number,
): number[] | undefined {
  const now = sizes.map((s) => Math.min(s.from, s.to));
  for (let step = 0; step < k; step++) {
    const i = now.findIndex((v, j) => v < sizes[j].to);
    if (i < 0) return undefined;
    now[i] = Math.min(2 * now[i], sizes[i].to);
  }
  return now;
}

/** A duration in words, with the unit that reads best. */
export function duration(seconds: number): string {
  if (seconds > 2 * 86400) return `${Math.round(seconds / 86400)} days`;
  if (seconds > 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
