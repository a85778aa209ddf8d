// Long work you can watch and stop: every long command reports through one Progress (a bar with an
// ETA on stderr when it is a terminal, one `[t s] stage` line per stage otherwise), and Ctrl-C or
// SIGTERM ends any run the same way: the bar is cleared, one line says what stopped, exit 130 or 143.

export interface Progress {
  /** Units done of `total` (blocks, points, stages): moves the bar; prints nothing off a terminal. */
  update(done: number, total: number): void;
  /** A stage begins or ends: the bar's caption on a terminal, else one line `[12.3 s] text`. */
  stage(text: string): void;
  /** The work is over: the bar is finished (a later stage line still prints). */
  stop(): void;
}

interface Shown {
  clear(): void;
  /** What a stop leaves behind, said in the stop line. */
  readonly leaves: string;
}

// The bars on screen now, so that a signal can clear them before its line (process-wide, like stderr).
const shown = new Set<Shown>();

const NOTHING_WRITTEN = 'nothing was written';

/**
 * A Progress for one command's work. `leaves` is what a stop at this point leaves behind (default:
 * nothing; a scan keeps its finished points). The elapsed time counts from this call.
 */
export async function startProgress(
  label: string,
  options: { leaves?: string; stream?: NodeJS.WriteStream } = {},
): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  const started = performance.now();
  const line = (text: string) => stream.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);
  const entry: Shown = { clear() {}, leaves: options.leaves ?? NOTHING_WRITTEN };
  shown.add(entry);
  if (!stream.isTTY) return { update() {}, stage: line, stop: () => void shown.delete(entry) };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {stage}`,
      stream,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
      // Before any unit is done the ETA is unknown ('NULL' or 'INF'), not a number of seconds.
      formatTime: (t, o, r) =>
        typeof t === 'number' && Number.isFinite(t) ? cliProgress.Format.TimeFormat(t, o, r) : '?',
    },
    cliProgress.Presets.shades_classic,
  );
  let drawn = false;
  let caption = '';
  let last: [number, number] = [0, 1];
  // The bar appears with the first update, when its length is known.
  const ensure = () => {
    if (!drawn) bar.start(last[1], last[0], { stage: caption });
    drawn = true;
  };
  entry.clear = () => {
    if (drawn) bar.stop();
    drawn = false;
  };
  return {
    update(done, total) {
      last = [done, total];
      ensure();
      bar.setTotal(total);
      bar.update(done, { stage: caption });
    },
    stage(text) {
      caption = `| ${text}`;
      if (drawn) bar.update(last[0], { stage: caption });
    },
    stop() {
      entry.clear();
      shown.delete(entry);
    },
  };
}

function stop(why: string, code: number): never {
  const leaves = [...shown].at(-1)?.leaves ?? NOTHING_WRITTEN;
  for (const s of shown) s.clear();
  process.stderr.write(`ncsde: stopped by ${why}; ${leaves}\n`);
  process.exit(code);
}

/** How often a run started by `npx` looks whether the shell npm started it under is still there. */
const PARENT_POLL_MS = 250;

/**
 * Install the stop on SIGINT (exit 130) and SIGTERM (143): outputs are only renamed into place at the
 * end, and the exit hooks of src/files.ts remove temporaries and locks, so a stop leaves no partial
 * file. Under `npx` / `npm exec` (npm_command=exec) ncsde runs below an `sh` that npm forwards signals
 * to: SIGTERM kills that sh without passing it on, so the loss of the parent is taken as that SIGTERM.
 * (A SIGINT sent to npx alone stays with the sh, which waits for ncsde; a terminal's Ctrl-C reaches
 * ncsde itself, since it goes to the whole process group.)
 */
export function stopOnSignals(): void {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.on(signal, () => stop(signal, code));
  }
  if (process.env.npm_command === 'exec') {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) stop('SIGTERM to npx (its shell is gone)', 143);
    }, PARENT_POLL_MS).unref();
  }
}
