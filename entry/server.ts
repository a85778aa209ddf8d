// A static file server for the explorer's own folder and nothing else: GET and HEAD only, no directory
// listing, every path resolved (percent-decoding, `..`, symlinks) and refused unless it lands on a file
// inside the folder, and a Host header other than the bound address refused (DNS rebinding). The same
// files deploy to any static host; this exists so that `ncsde explore` works offline.
import { realpathSync, statSync, createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, sep } from 'node:path';
import { InputError } from '../src/errors.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// Everything the page loads is its own (it works offline); vega compiles expressions with Function,
// hence 'unsafe-eval'. A request to any other origin is blocked and shows up as a console error.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/** A running server: its URL (with a trailing slash) and a way to stop it. */
export interface StaticServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The host names a server bound to `host` answers to: the address itself and, for loopback, localhost. */
export function allowedHosts(host: string, port: number): Set<string> {
  const name = isIP(host) === 6 ? `[${host}]` : host;
  const out = new Set([`${name}:${port}`]);
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost')
    for (const h of ['localhost', '127.0.0.1', '[::1]']) out.add(`${h}:${port}`);
  return out;
}

/** The file under `root` (a real path) that a URL path names, or null: not decodable, outside, or not a file. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.')) return null;
  const wanted = join(root, ...(parts.length === 0 || decoded.endsWith('/') ? [...parts, 'index.html'] : parts));
  let real: string;
  try {
    // Symlinks are followed and the target must still lie inside the folder.
    real = realpathSync(wanted);
    if (!statSync(real).isFile()) return null;
  } catch {
    return null;
  }
  return real.startsWith(root + sep) ? real : null;
}

function refuse(res: ServerResponse, code: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers });
  res.end(`${text}\n`);
}

function handler(root: string, hosts: () => Set<string> | null) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
    const allowed = hosts();
    if (allowed && !allowed.has((req.headers.host ?? '').toLowerCase())) return refuse(res, 403, 'forbidden host');
    const path = (req.url ?? '/').split(/[?#]/)[0];
    const file = resolveInside(root, path);
    if (!file) return refuse(res, 404, 'not found');
    const size = statSync(file).size;
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(size),
      ...SECURITY_HEADERS,
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/** The address to bind: an IP literal or localhost; anything else is refused naming `field`. */
export function checkHost(field: string, host: string): string {
  if (host === 'localhost') return '127.0.0.1';
  if (isIP(host) === 0)
    throw new InputError(field, host, 'must be an IP address of this machine (default 127.0.0.1) or localhost');
  return host;
}

/**
 * Serve `folder` on host:port (port 0: a free port). A busy port or an address this machine does not
 * have is refused as an InputError naming --port or --host.
 */
export async function serveFolder(folder: string, host: string, port: number): Promise<StaticServer> {
  const root = realpathSync(folder);
  const bind = checkHost('--host', host);
  let allowed: Set<string> | null = null;
  const server: Server = createServer(handler(root, () => allowed));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(new InputError('--port', port, 'is in use on this machine; choose another (0 picks a free one)'));
      else if (e.code === 'EACCES')
        reject(new InputError('--port', port, 'needs privileges here; choose one above 1023 (0 picks a free one)'));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT')
        reject(new InputError('--host', host, 'is not an address of this machine'));
      else reject(e);
    });
    server.listen(port, bind, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  // A wildcard bind has no single name to check; the page is then reachable from the network by design.
  const wildcard = bind === '0.0.0.0' || bind === '::';
  allowed = wildcard ? null : allowedHosts(bind, bound);
  const shown = wildcard ? '127.0.0.1' : isIP(bind) === 6 ? `[${bind}]` : bind;
  return {
    url: `http://${shown}:${bound}/`,
    host: bind,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
