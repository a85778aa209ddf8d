// The explorer's state in Node: URL round trips under the CLI's flag names, the package's one-line
// errors naming the key, and the promise of "copy as CLI command": the two commands it writes print
// exactly the page's `sde` and `network` results (computed here by the page's own stage code).
import { describe, expect, it } from 'vitest';
import { computeStages, type StageMessage } from '../explorer/compute.js';
import {
  ARCHITECTURE_GRAMMAR,
  cliCommands,
  DEFAULTS,
  queryFromTexts,
  readState,
  textsFromQuery,
  typescriptSnippet,
  STATE_KEYS,
} from '../explorer/state.js';
import { ncsde } from './helpers/cli.js';

describe('explorer state', () => {
  it('defaults are the package option defaults and write an empty query; changed keys round-trip in a fixed order', () => {
    expect(queryFromTexts(DEFAULTS)).toBe('');
    expect(readState(DEFAULTS).settings).toMatchObject({
      activation: 'relu:0,-1',
      rho0: 0.5,
      x0: 1,
      T: 1,
      n: 128,
      solver: 'auto',
      seed: 1,
    });
    const texts = { ...DEFAULTS, seed: '7', activation: 'tanh:1.5', rho0: '-0.25' };
    const query = queryFromTexts(texts);
    expect(query).toBe('?activation=tanh%3A1.5&rho0=-0.25&seed=7');
    expect(textsFromQuery(query)).toEqual(texts);
    expect(textsFromQuery('?unknown=1&n=64')).toEqual({ ...DEFAULTS, n: '64' });
    expect(STATE_KEYS).toEqual([
      'architecture',
      'activation',
      'rho0',
      'x0',
      'T',
      'n',
      'paths',
      'samples',
      'steps',
      'solver',
      'seed',
    ]);
  });

  it('a bad value gets the package error naming the query key', () => {
    expect(() => readState({ ...DEFAULTS, rho0: '2' })).toThrow(/^rho0 must be .*\(got "?2"?\)$/);
    expect(() => readState({ ...DEFAULTS, n: 'wide' })).toThrow(/^n must be /);
    expect(() => readState({ ...DEFAULTS, activation: 'relu' })).toThrow(/^activation must be a shaped activation/);
    // The package's own grammar (the architecture table), as `--architecture` reports it.
    const grammar = ARCHITECTURE_GRAMMAR.replace(/[|<>()[\]]/g, (c) => `\\${c}`);
    expect(() => readState({ ...DEFAULTS, architecture: 'cnn' })).toThrow(
      new RegExp(`^architecture must be ${grammar} \\(got "cnn"\\)$`),
    );
  });

  it('the copied CLI commands print the page results exactly, and the TypeScript names the same settings', async () => {
    const texts = {
      ...DEFAULTS,
      activation: 'swish:1',
      n: '24',
      T: '0.5',
      paths: '600',
      samples: '300',
      steps: '12',
      seed: '5',
    };
    const messages: StageMessage[] = [];
    await computeStages(texts, { threads: 1, post: (m) => void messages.push(m) });
    expect(messages.map((m) => m.stage)).toEqual(['sde', 'network', 'point', 'cumulants']);
    const { settings } = readState(texts);
    const [sdeCmd, networkCmd] = cliCommands(settings);
    const run = (cmd: string) => {
      const r = ncsde(cmd.split(' ').slice(1));
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const page = JSON.parse(
      JSON.stringify({
        sde: (messages[0] as { sde: unknown }).sde,
        network: (messages[1] as { network: unknown }).network,
      }),
    );
    expect(run(sdeCmd)).toEqual(page.sde);
    expect(run(networkCmd)).toEqual(page.network);
    const ts = typescriptSnippet(settings);
    expect(ts).toContain('"activation": "swish:1"'.replace('"activation"', 'activation'));
    expect(ts).toContain('runPoint(settings, { pathSaves: 16 })');
  });

  it('the page runs any architecture of the table: its own networks, SDE and theory, or a stated reason', async () => {
    const run = async (architecture: string, solver = DEFAULTS.solver) => {
      const messages: StageMessage[] = [];
      await computeStages(
        { ...DEFAULTS, architecture, solver, paths: '400', samples: '200', n: '32' },
        { threads: 1, post: (m) => void messages.push(m) },
      );
      return messages;
    };
    const resnet = await run('resnet:0.7');
    const sde = resnet.find((m) => m.stage === 'sde');
    expect(sde?.stage === 'sde' && sde.sde.architecture).toBe('resnet(gamma=0.7)');
    // The phase diagram's level curves: P(explode ever) = 1 - exp(-beta X0 / (2 - gamma^2)) for the resnet.
    expect(sde?.stage === 'sde' && sde.everScale.value).toBeCloseTo(1 / (2 - 0.49), 14);
    const cumulants = resnet.find((m) => m.stage === 'cumulants');
    // The residual stream has no exact product theory: no MLP curve is drawn for it, and no pooled estimate.
    expect(
      cumulants?.stage === 'cumulants' && cumulants.rows.every((r) => r.theory === null && r.pooled === null),
    ).toBe(true);
    const attention = await run('attention:0.7,2', 'euler-maruyama');
    const phase = attention.find((m) => m.stage === 'sde');
    expect(
      phase?.stage === 'sde' &&
        phase.everScale.value === null &&
        /no autonomous 1-D reduction/.test(phase.everScale.reason ?? ''),
    ).toBe(true);
    const none = attention.find((m) => m.stage === 'cumulants');
    expect(
      none?.stage === 'cumulants' && none.rows.length === 0 && /^not available for attention/.test(none.kind),
    ).toBe(true);
  });
});
