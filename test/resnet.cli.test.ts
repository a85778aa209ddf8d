// --architecture resnet:<gamma> on the command line: bad values give one line naming the flag and the
// value, exit 2 and write nothing; good ones run and name the architecture in their JSON.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listing, ncsde, workdir } from './helpers/cli.js';

describe('--architecture resnet:<gamma>', () => {
  for (const [command, extra] of [
    ['sde', ['--paths', '8', '--steps', '4']],
    ['network', ['--n', '8', '--samples', '4']],
    ['validate', []],
    ['criterion', ['--activation', 'swish:1']],
  ] as const) {
    for (const bad of ['resnet:1.5', 'resnet:0', 'resnet:-0.5', 'resnet:abc', 'resnet:', 'resnet:0.5,2', 'resnet']) {
      it(`${command} --architecture ${bad}: one line, exit 2, nothing written`, () => {
        const dir = workdir();
        // criterion writes only with --report (and refuses --out); the others get an output file they must not create.
        const run = ncsde([command, '--architecture', bad, ...extra, ...(command === 'criterion' ? [] : ['--out', 'x.json'])], dir);
        expect(run.status).toBe(2);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
        expect(run.stderr).toContain('--architecture must be resnet:<gamma> with gamma in (0, 1]');
        // 'resnet' and 'resnet:' both reach the entry with no parameters, quoted as 'resnet'.
        expect(run.stderr).toContain(`(got "${bad === 'resnet:' ? 'resnet' : bad}")`);
        expect(listing(dir)).toEqual([]);
      });
    }
  }

  it('a config file names the key as written: architecture', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ architecture: 'resnet:2' }));
    const run = ncsde(['sde', '--config', 'c.json', '--paths', '8', '--steps', '4'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^ncsde: c\.json: architecture must be resnet:<gamma> with gamma in \(0, 1\] \(got "resnet:2"\)\n$/);
  });

  it('sde and network run and name the architecture in their JSON; the chain is the default method', () => {
    const sde = ncsde(['sde', '--architecture', 'resnet:0.5', '--paths', '16', '--steps', '4', '--threads', '1', '--json', '--out', '-']);
    expect(sde.status).toBe(0);
    const s = JSON.parse(sde.stdout);
    expect(s.architecture).toBe('resnet(gamma=0.5)');
    expect(s.sde).toMatch(/drift on clock 0\.25, noise on clock 0\.4375/);
    for (const method of ['chain', 'explicit']) {
      const net = ncsde(['network', '--architecture', 'resnet:0.5', '--n', '8', '--samples', '8', '--method', method, '--threads', '1', '--json', '--out', '-']);
      expect(net.status).toBe(0);
      const out = JSON.parse(net.stdout);
      expect(out.architecture).toBe('resnet(gamma=0.5)');
      expect(out.settings.method).toBe(method);
    }
    const help = ncsde(['network', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/resnet:<gamma>/);
  });
});
