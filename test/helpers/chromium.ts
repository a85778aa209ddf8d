// Debian's Chromium driven by playwright-core (no browser download: CDNs are unreachable in CI), and
// `ncsde explore` started on a free port, for the explorer's browser tests and its bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is missing (CI installs Debian's chromium: apt-get install -y --no-install-recommends chromium)`;
}

/** A fresh profile in a temporary directory, removed by close(). */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'ncsde-chromium-'));
  // playwright takes the profile as userDataDir (it refuses --user-data-dir among the args).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1300, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** `ncsde explore --port 0 --no-open` from dist; its URL is the first line on stdout. */
export async function startExplorer(): Promise<{ url: string; child: ChildProcess; stop(): Promise<number | null> }> {
  const child = spawn(process.execPath, [resolve('dist/entry/cli.js'), 'explore', '--port', '0', '--no-open'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(out.split('\n')[0]);
    });
    child.on('exit', (code) => fail(new Error(`ncsde explore exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
