// Running the built `ncsde` in a directory of its own, and reading back what it did.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CLI = resolve('dist/entry/cli.js');

export function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'ncsde-cli-'));
}

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function ncsde(args: readonly string[], cwd = workdir(), env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start the CLI in the background (for kills and concurrency). */
export function start(args: readonly string[], cwd: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }>((ok) =>
    child.on('close', (status, signal) => ok({ status, signal, stderr })),
  );
  return { child, done };
}

/** Every path under dir (relative), sorted. */
export function listing(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? [`${prefix}${e.name}/`, ...listing(dir, `${prefix}${e.name}/`)] : [`${prefix}${e.name}`],
    )
    .sort();
}
