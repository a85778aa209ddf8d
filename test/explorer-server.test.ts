// `ncsde explore` and its static server: the URL as the first stdout line, GET and HEAD only, no
// directory listing, nothing outside its folder (`..` plain or encoded, symlinks), Host checked
// against the bound address, busy port and bad host refused in one line (exit 2), a browser that
// cannot be opened only noted, and a clean stop on SIGINT. Requests go to 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serveFolder } from '../entry/server.js';
import { CLI, ncsde } from './helpers/cli.js';

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A raw request (paths are sent exactly as given: no client-side normalisation of `..`). */
function get(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${port}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Start `ncsde explore` and wait for its first stdout line. */
async function explore(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string; port: number; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, 'explore', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(out.split('\n')[0]);
    });
    child.on('exit', (code) => fail(new Error(`explore exited with ${code}: ${stderr}`)));
  });
  return { child, url, port: Number(new URL(url).port), stderr: () => stderr, exited };
}

const running: ChildProcess[] = [];
afterAll(() => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('ncsde explore', () => {
  it('prints its URL first, serves the page, its scripts and HEAD; refuses other methods with 405', async () => {
    const s = await explore(['--port', '0', '--no-open']);
    running.push(s.child);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(s.port).toBeGreaterThan(0);
    const page = await get(s.port, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('data-status');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    for (const file of ['/main.js', '/worker.js', '/kernels.js', '/style.css', '/index.html?activation=tanh:1'])
      expect((await get(s.port, file)).status, file).toBe(200);
    const head = await get(s.port, '/main.js', { method: 'HEAD' });
    expect([head.status, head.body, Number(head.headers['content-length'])]).toEqual([
      200,
      '',
      statSync('dist/explorer/main.js').size,
    ]);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const r = await get(s.port, '/', { method });
      expect([r.status, r.headers.allow], method).toEqual([405, 'GET, HEAD']);
    }
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain('stopped');
    // Stopped means the port is closed.
    await expect(get(s.port, '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('keeps requests inside its folder: .., encoded .., backslashes and NUL get 404; a missing file 404', async () => {
    const s = await explore(['--port', '0', '--no-open']);
    running.push(s.child);
    for (const path of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2F%2E%2E%2Fpackage.json',
      '/x/../../package.json',
      '/..%5cpackage.json',
      '/%00',
      '/%',
      '//etc/passwd',
      '/../../../../../../etc/passwd',
      '/nothing.js',
    ]) {
      const r = await get(s.port, path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('"name"');
    }
    s.child.kill('SIGINT');
    await s.exited;
  });

  it('answers 403 to a Host header other than its address (DNS rebinding); loopback names are accepted', async () => {
    const s = await explore(['--port', '0', '--no-open']);
    running.push(s.child);
    expect((await get(s.port, '/', { host: 'evil.example' })).status).toBe(403);
    expect((await get(s.port, '/', { host: `evil.example:${s.port}` })).status).toBe(403);
    expect((await get(s.port, '/', { host: `127.0.0.1:${s.port + 1}` })).status).toBe(403);
    expect((await get(s.port, '/', { host: `localhost:${s.port}` })).status).toBe(200);
    s.child.kill('SIGINT');
    await s.exited;
  });

  it('refuses a busy port, a bad host and an out-of-range port in one line with exit 2', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((ok) =>
      blocker.listen(0, '127.0.0.1', () => ok((blocker.address() as { port: number }).port)),
    );
    try {
      const busy = ncsde(['explore', '--port', String(port), '--no-open']);
      expect([busy.status, busy.stdout]).toEqual([2, '']);
      expect(busy.stderr).toMatch(new RegExp(`^ncsde: --port is in use on this machine.*\\(got ${port}\\)\\n$`));
    } finally {
      blocker.close();
    }
    const name = ncsde(['explore', '--host', 'example.com', '--no-open']);
    expect([name.status, name.stdout]).toEqual([2, '']);
    expect(name.stderr).toMatch(/^ncsde: --host must be an IP address of this machine .*\(got "example.com"\)\n$/);
    const foreign = ncsde(['explore', '--host', '192.0.2.1', '--port', '0', '--no-open']);
    expect([foreign.status, foreign.stderr]).toEqual([
      2,
      'ncsde: --host is not an address of this machine (got "192.0.2.1")\n',
    ]);
    const range = ncsde(['explore', '--port', '70000', '--no-open']);
    expect(range.status).toBe(2);
    expect(range.stderr.split('\n').length).toBe(2);
    expect(range.stderr).toContain('--port');
  });

  it('a browser that cannot be opened is a note on stderr, and the server keeps running', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ncsde-nopath-'));
    const s = await explore(['--port', '0'], { PATH: empty });
    running.push(s.child);
    expect((await get(s.port, '/')).status).toBe(200);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(s.stderr()).toMatch(/ncsde: note: could not open a browser .*; open http:\/\/127\.0\.0\.1:\d+\/ yourself/);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });
});

describe('the static server', () => {
  const root = mkdtempSync(join(tmpdir(), 'ncsde-serve-'));
  const site = join(root, 'site');
  mkdirSync(join(site, 'sub'), { recursive: true });
  writeFileSync(join(site, 'index.html'), '<p>home</p>');
  writeFileSync(join(site, 'sub', 'a.txt'), 'inside');
  writeFileSync(join(root, 'secret.txt'), 'outside');
  symlinkSync(join(root, 'secret.txt'), join(site, 'out.txt'));
  symlinkSync(root, join(site, 'updir'));
  symlinkSync(join(site, 'sub', 'a.txt'), join(site, 'in.txt'));

  it('follows no symlink out of its folder and lists no directory', async () => {
    const server = await serveFolder(site, '127.0.0.1', 0);
    try {
      expect((await get(server.port, '/sub/a.txt')).body).toBe('inside');
      expect((await get(server.port, '/in.txt')).body).toBe('inside');
      for (const path of ['/out.txt', '/updir/secret.txt', '/sub/', '/sub', '/updir/', '/%2e%2e/secret.txt']) {
        const r = await get(server.port, path);
        expect(r.status, path).toBe(404);
        expect(r.body).not.toContain('outside');
        expect(r.body).not.toContain('a.txt');
      }
    } finally {
      await server.close();
    }
  });
});
