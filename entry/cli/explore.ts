// `ncsde explore`: serve the explorer page (built into dist/explorer by `npm run build`) on this
// machine, print its URL as the first line on stdout, open a browser unless --no-open, and stop
// cleanly on Ctrl-C. The page runs the package itself in the browser; the server only hands out files.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { readOptions, type OptionSpec } from '../../src/options.js';
import { serveFolder } from '../server.js';
import { addOptions, flagTexts, note } from './common.js';

export const EXPLORE_OPTIONS: readonly OptionSpec[] = [
  {
    key: 'port',
    kind: { type: 'integer', min: 0, max: 65535 },
    help: 'port to listen on (0: a free port)',
    default: 8765,
  },
  {
    key: 'host',
    kind: { type: 'text', pattern: 'an IP address or localhost' },
    help: 'address to listen on',
    default: '127.0.0.1',
  },
];

/** The built page: dist/explorer next to dist/entry. */
export function explorerFolder(): string {
  return fileURLToPath(new URL('../../explorer/', import.meta.url));
}

/** Open a URL in the desktop's browser; failure is a note, not an error (a server has no desktop). */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', (e: NodeJS.ErrnoException) =>
    note(`could not open a browser (${command}: ${e.code ?? e.message}); open ${url} yourself`),
  );
  child.on('exit', (code) => {
    if (code) note(`could not open a browser (${command} exited with ${code}); open ${url} yourself`);
  });
  child.unref();
}

export function exploreCommand(program: Command): void {
  const cmd = program
    .command('explore')
    .description('Serve the explorer (the package live in your browser) on this machine; Ctrl-C stops it');
  addOptions(cmd, EXPLORE_OPTIONS);
  cmd.option('--no-open', 'do not open a browser');
  cmd.action(async () => {
    const v = readOptions(EXPLORE_OPTIONS, { flags: flagTexts(cmd, EXPLORE_OPTIONS) });
    const folder = explorerFolder();
    if (!existsSync(`${folder}index.html`))
      throw new Error(`the explorer is not built (${folder}index.html is missing); run npm run build`);
    const server = await serveFolder(folder, v.host as string, v.port as number);
    process.stdout.write(`${server.url}\n`);
    process.stderr.write('ncsde: serving the explorer; Ctrl-C stops it\n');
    if (cmd.opts().open !== false) openBrowser(server.url);
    // Ctrl-C: stop accepting, drop open connections, exit 0 (the global handler would exit 130).
    const stop = () => {
      void server.close().then(() => {
        process.stderr.write('ncsde: stopped\n');
        process.exit(0);
      });
    };
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await new Promise<never>(() => {});
  });
}
