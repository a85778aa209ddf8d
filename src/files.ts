// Writing results so that a crash never leaves a torn or mixed file: outputs are checked before any
// computing starts, every file goes to a temporary name and is renamed into place, a multi-file report
// is built in a temporary directory and swapped in whole, and a lock file (with its owner's pid) keeps
// two processes from writing the same scan.
import { OutputError } from './errors.js';
import { node } from './nodeBuiltins.js';

const {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} = node.fs;
const { hostname } = node.os;
const { basename, dirname, join, resolve } = node.path;

/** The name of the file that marks a directory as a report written by this package. */
export const MANIFEST = 'manifest.json';

function errnoText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ?? err.message ?? String(e);
}

/** A directory we may write into: created if missing, refused if a file is in the way or it is read-only. */
export function prepareOutputDir(field: string, path: string): void {
  if (existsSync(path) && !statSync(path).isDirectory())
    throw new OutputError(field, path, 'must be a directory, but a file is there');
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new OutputError(field, path, `cannot be created (${errnoText(e)})`);
  }
  const probe = join(path, `.ncsde-probe-${process.pid}`);
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new OutputError(field, path, `is not writable (${errnoText(e)})`);
  }
  removeStaleTemporaries(path);
}

/** A file we may write: its directory must exist or be creatable and writable, and the path must not be a directory. */
export function prepareOutputFile(field: string, path: string): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new OutputError(field, path, 'must be a file path, but a directory is there');
  const parent = dirname(resolve(path));
  let cursor = parent;
  while (!existsSync(cursor)) cursor = dirname(cursor);
  if (!statSync(cursor).isDirectory())
    throw new OutputError(field, path, `cannot be written: ${cursor} is a file, not a directory`);
  prepareOutputDir(field, parent);
}

/** Write a file by a temporary name in the same directory, flushed, then renamed over the target (chunks: in order, not joined). */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  const fd = openSync(temp, 'w');
  try {
    const chunks = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
    for (const chunk of chunks) {
      // writeSync may write less than asked (large buffers): continue from where it stopped.
      for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
}

/**
 * Check, before computing, that a report can go to `dir`: a new or empty directory, or an earlier report
 * of this package (marked by its manifest), which the new one will replace whole.
 */
export function prepareReportDir(field: string, dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new OutputError(field, dir, 'must be a directory, but a file is there');
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MANIFEST)) {
      throw new OutputError(
        field,
        dir,
        `holds files that are not an ncsde report (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', ...' : ''}); give a new or empty directory`,
      );
    }
  }
  // Also removes the temporaries of a run killed mid-swap beside it.
  prepareOutputDir(field, dirname(resolve(dir)));
}

/** Temporary files (writeFileAtomic's), temporary and retired report directories of processes that are
 *  gone are removed: only a SIGKILL or a crash mid-write leaves them (a signal ncsde handles waits for
 *  the synchronous write to end). */
function removeStaleTemporaries(parent: string): void {
  for (const name of readdirSync(parent)) {
    const match = /^\..+\.(?:ncsde-(?:tmp|old)-(\d+)|tmp-(\d+)-[a-z0-9]+)$/.exec(name);
    if (match && !processAlive(Number(match[1] ?? match[2])))
      rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Write a report's files so that the directory holds all of them or none: they are written into a
 * temporary directory beside `dir` (the manifest last), which then replaces `dir` by renames.
 */
export function writeReportDir(
  dir: string,
  files: ReadonlyArray<readonly [string, string | Uint8Array]>,
  manifest: Readonly<Record<string, unknown>>,
): void {
  const target = resolve(dir);
  const parent = dirname(target);
  const temp = join(parent, `.${basename(target)}.ncsde-tmp-${process.pid}`);
  const old = join(parent, `.${basename(target)}.ncsde-old-${process.pid}`);
  // A process that exits (a signal) while writing leaves no temporary directory behind.
  const cleanup = () => rmSync(temp, { recursive: true, force: true });
  process.on('exit', cleanup);
  try {
    cleanup();
    mkdirSync(temp);
    for (const [name, data] of files) writeFileAtomic(join(temp, name), data);
    writeFileAtomic(
      join(temp, MANIFEST),
      JSON.stringify({ ...manifest, files: files.map(([name]) => name) }, null, 1) + '\n',
    );
    if (existsSync(target)) {
      if (readdirSync(target).length === 0) rmSync(target, { recursive: true });
      else renameSync(target, old);
    }
    renameSync(temp, target);
    rmSync(old, { recursive: true, force: true });
  } finally {
    process.off('exit', cleanup);
  }
}

/** Whether a process with this pid runs on this machine (EPERM means it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Lock {
  release(): void;
}

/**
 * Take the lock file at `path` (created exclusively, holding pid and host). A lock whose owner on this
 * host is gone is taken over; one held by a live process, or by another host, is refused in one line.
 */
export function acquireLock(field: string, path: string, what: string): Lock {
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }) + '\n';
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, mine);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
      // Released on any exit, a signal's included; only a SIGKILL leaves it, and the next run takes it over.
      process.on('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new OutputError(field, path, `cannot be locked (${errnoText(e)})`);
    }
    let owner: { pid?: number; host?: string } = {};
    try {
      owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number; host?: string };
    } catch {
      // A lock torn by a kill between create and write: its owner died at once.
    }
    const sameHost = owner.host === undefined || owner.host === hostname();
    if (sameHost && (owner.pid === undefined || !processAlive(owner.pid))) {
      rmSync(path, { force: true });
      continue;
    }
    throw new OutputError(
      field,
      dirname(path),
      `is in use: ${what} (pid ${owner.pid} on ${owner.host}) holds ${basename(path)}; wait for it, or remove the file if that process is gone`,
    );
  }
  throw new OutputError(field, dirname(path), `could not take ${basename(path)}`);
}
