// The explorer page: controls whose state lives in the URL (keys are the CLI's flag names), a compute
// worker per computation (cancelled by terminating it when a control changes), vega charts drawn as
// each stage lands, the numbers table, and the hooks tests and users share: <html data-status> and
// window.ncsdeResults (the `sde` and `network` summaries in the CLI's JSON schema).
import type { TopLevelSpec } from 'vega-lite';
import { parseActivationSpec, SMOOTH_NAMES, SOLVER_NAMES, AUTO_SOLVER } from '../entry/index.js';
import { isMissing, type Interval, type Missing, type PointSettings } from '../entry/validation.js';
import {
  DENSITY_OBSERVABLES,
  STAGES,
  type DensityRow,
  type FanRow,
  type StageMessage,
  type TableRow,
} from './compute.js';
import { cumulantSpec, densitySpec, fanSpec, phaseSpec } from './plots.js';
import {
  ARCHITECTURE_GRAMMAR,
  cliCommands,
  DEFAULTS,
  queryFromTexts,
  readState,
  textsFromQuery,
  typescriptSnippet,
  type StateKey,
  type StateTexts,
} from './state.js';
import type { View } from './render.js';
import type { WorkerReply } from './worker.js';

// vega is fetched and parsed while the first computation runs (see render.ts).
const renderer = import('./render.js');

type Status = 'computing' | 'done' | 'error';
interface Results {
  state?: StateTexts;
  settings?: PointSettings;
  sde?: unknown;
  network?: unknown;
  table?: TableRow[];
  cumulants?: unknown;
}
declare global {
  interface Window {
    ncsdeResults: Results;
    ncsdeTimings: Record<string, number>;
  }
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const FAMILIES = ['relu', ...SMOOTH_NAMES] as const;
// Threads: the cores, or ?threads= (the CLI's flag; results do not depend on it, tests compare 1 and 2).
const THREADS = (() => {
  const asked = Number(new URLSearchParams(location.search).get('threads'));
  return Number.isInteger(asked) && asked >= 1
    ? Math.min(asked, 64)
    : Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 8));
})();

// ---- controls -------------------------------------------------------------------------------------

interface Field {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly choices?: readonly string[];
  readonly step?: string;
  /** A text field (the CLI's grammar) rather than a number. */
  readonly text?: boolean;
}
const FIELDS: readonly Field[] = [
  { id: 'architecture', label: 'Architecture', help: `network architecture: ${ARCHITECTURE_GRAMMAR}`, text: true },
  { id: 'family', label: 'Activation', help: 'shaped activation family', choices: FAMILIES },
  { id: 'cplus', label: 'c₊', help: 'relu: slope offset for x > 0 (slope 1 + c₊/√n)', step: 'any' },
  { id: 'cminus', label: 'c₋', help: 'relu: slope offset for x < 0 (slope 1 + c₋/√n)', step: 'any' },
  { id: 'a', label: 'a', help: 'smooth: shaping scale, φ(x) = s·f(x/s) with s = a√n', step: 'any' },
  { id: 'rho0', label: 'ρ0', help: 'initial correlation of the two inputs', step: 'any' },
  { id: 'x0', label: 'X0', help: 'input variance (the diagonal of V0)', step: 'any' },
  { id: 'T', label: 'T', help: 'final time = depth / width', step: 'any' },
  { id: 'n', label: 'n (width)', help: 'network width', step: '1' },
  { id: 'paths', label: 'SDE paths', help: 'number of SDE paths', step: '1' },
  { id: 'samples', label: 'networks', help: 'number of sampled networks', step: '1' },
  { id: 'steps', label: 'steps', help: 'SDE steps over [0, T]', step: '1' },
  {
    id: 'solver',
    label: 'solver',
    help: 'SDE solver (auto: the splitting scheme where the SDE has exact sub-flows)',
    choices: [AUTO_SOLVER, ...SOLVER_NAMES],
  },
  { id: 'seed', label: 'seed', help: 'seed of every stream', step: '1' },
];

function buildControls(): void {
  const form = $('controls');
  for (const f of FIELDS) {
    const wrap = document.createElement('div');
    wrap.className = 'field';
    wrap.dataset.field = f.id;
    const label = document.createElement('label');
    label.htmlFor = f.id;
    label.textContent = f.label;
    label.title = f.help;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.choices) {
      input = document.createElement('select');
      for (const c of f.choices) input.append(new Option(c, c));
    } else if (f.text) {
      input = document.createElement('input');
      input.type = 'text';
      input.spellcheck = false;
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.step = f.step ?? 'any';
      input.inputMode = 'decimal';
    }
    input.id = f.id;
    input.name = f.id;
    input.setAttribute('aria-describedby', `${f.id}-help`);
    const help = document.createElement('small');
    help.id = `${f.id}-help`;
    help.textContent = f.help;
    wrap.append(label, input, help);
    form.append(wrap);
  }
}

const control = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id);

/** The activation text of the controls (the CLI's grammar). */
function activationText(): string {
  const family = control('family').value;
  return family === 'relu'
    ? `relu:${control('cplus').value},${control('cminus').value}`
    : `${family}:${control('a').value}`;
}

function showFamily(): void {
  const relu = control('family').value === 'relu';
  for (const id of ['cplus', 'cminus']) ($(id).parentElement as HTMLElement).hidden = !relu;
  ($('a').parentElement as HTMLElement).hidden = relu;
}

function readControls(): StateTexts {
  const out = { ...DEFAULTS } as Record<StateKey, string>;
  for (const key of Object.keys(out) as StateKey[]) if (key !== 'activation') out[key] = control(key).value.trim();
  out.activation = activationText();
  return out;
}

function writeControls(texts: StateTexts): void {
  for (const key of Object.keys(texts) as StateKey[]) if (key !== 'activation') control(key).value = texts[key];
  control('cplus').value = '0';
  control('cminus').value = '-1';
  control('a').value = '1';
  try {
    const spec = parseActivationSpec(texts.activation, 'activation');
    if (spec.family === 'relu-like') {
      control('family').value = 'relu';
      control('cplus').value = String(spec.cPlus);
      control('cminus').value = String(spec.cMinus);
    } else if (spec.family === 'smooth') {
      control('family').value = spec.f;
      control('a').value = String(spec.a);
    }
  } catch {
    // readState reports it with the package's message.
  }
  showFamily();
}

// ---- status, progress and results -----------------------------------------------------------------

function setStatus(status: Status, text: string): void {
  document.documentElement.dataset.status = status;
  $('stage').textContent = text;
}

const views = new Map<string, View>();

async function draw(id: string, spec: TopLevelSpec): Promise<void> {
  const { drawSpec } = await renderer;
  views.set(id, await drawSpec($(id), spec, views.get(id)));
}

function intervalText(x: Interval | Missing): string {
  if (isMissing(x)) return x.missing;
  if (!Number.isFinite(x.value)) return '—';
  const f = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4));
  return `${f(x.value)} [${f(x.lower)}, ${f(x.upper)}]`;
}

function drawTable(rows: readonly TableRow[]): void {
  const body = $('numbers-body');
  body.replaceChildren(
    ...rows.map((r) => {
      const tr = document.createElement('tr');
      for (const text of [r.quantity, intervalText(r.network), intervalText(r.sde), r.reference]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

// ---- computation ------------------------------------------------------------------------------------

let worker: Worker | null = null;
let busy = false;
let job = 0;

function newWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

function start(texts: StateTexts): void {
  const id = ++job;
  window.ncsdeResults = { state: texts };
  let settings: PointSettings;
  try {
    settings = readState(texts).settings;
  } catch (e) {
    if (worker && busy) {
      worker.terminate();
      worker = null;
      busy = false;
    }
    setStatus('error', (e as Error).message);
    $('error').textContent = (e as Error).message;
    return;
  }
  $('error').textContent = '';
  window.ncsdeResults.settings = settings;
  $('cli').textContent = cliCommands(settings).join('\n');
  // A running computation is cancelled: its worker (and the kernel workers it started) are ended.
  if (worker && busy) {
    worker.terminate();
    worker = null;
  }
  worker ??= newWorker();
  busy = true;
  const progress = $<HTMLProgressElement>('progress');
  progress.value = 0;
  setStatus('computing', `computing: ${STAGES[0]}`);
  document.documentElement.dataset.stages = '';
  const started = performance.now();
  // When the computation started and each stage was drawn (performance.now() ms; the bench reads them).
  window.ncsdeTimings = { start: started };
  let sdeFan: FanRow[] = [];
  let sdeDensity: DensityRow[] = [];
  const measured: { sde?: number; network?: number } = {};
  let beta = 0;
  let everScale: { readonly value: number | null; readonly reason?: string } = { value: 1 };
  const drawn: string[] = [];
  worker.onmessage = async ({ data }: MessageEvent<WorkerReply>) => {
    if (id !== job) return;
    if (data.type === 'error') {
      busy = false;
      setStatus('error', data.message);
      $('error').textContent = data.message;
      return;
    }
    if (data.type === 'done') return;
    const m = data.message as StageMessage;
    window.ncsdeTimings[`${m.stage}-received`] = performance.now();
    const draws: Array<Promise<void>> = [];
    switch (m.stage) {
      case 'sde':
        window.ncsdeResults.sde = m.sde;
        sdeFan = m.fan;
        sdeDensity = m.density;
        beta = m.beta;
        everScale = m.everScale;
        measured.sde = m.sde.counts.exploded / m.sde.shape[1];
        for (const o of DENSITY_OBSERVABLES)
          draws.push(draw(`density-${o}`, densitySpec(m.density, o)), draw(`fan-${o}`, fanSpec(m.fan, o)));
        draws.push(draw('phase', phaseSpec(beta, settings.x0, measured, everScale)));
        break;
      case 'network':
        window.ncsdeResults.network = m.network;
        measured.network = m.network.counts.exploded / m.network.shape[1];
        for (const o of DENSITY_OBSERVABLES)
          draws.push(
            draw(`density-${o}`, densitySpec(m.density.length ? m.density : sdeDensity, o)),
            draw(`fan-${o}`, fanSpec([...sdeFan, ...m.fan], o)),
          );
        draws.push(draw('phase', phaseSpec(beta, settings.x0, measured, everScale)));
        break;
      case 'point':
        window.ncsdeResults.table = m.table;
        drawTable(m.table);
        break;
      case 'cumulants':
        window.ncsdeResults.cumulants = { kind: m.kind, rows: m.rows };
        draws.push(draw('cumulants', cumulantSpec(m.rows, m.curve, m.kind)));
        break;
    }
    try {
      await Promise.all(draws);
    } catch (e) {
      if (id === job) setStatus('error', `drawing failed: ${(e as Error).message}`);
      return;
    }
    if (id !== job) return;
    worker?.postMessage({ drawn: m.stage });
    drawn.push(m.stage);
    document.documentElement.dataset.stages = drawn.join(' ');
    window.ncsdeTimings = { ...window.ncsdeTimings, [m.stage]: performance.now() };
    progress.value = drawn.length;
    const ms = Math.round(performance.now() - started);
    if (drawn.length === STAGES.length) {
      busy = false;
      // The time goes in the tooltip, so that the text (and docs/explorer.png) does not change run to run.
      setStatus('done', `done on ${THREADS} thread${THREADS > 1 ? 's' : ''}`);
      $('stage').title = `every stage drawn ${ms} ms after the change`;
    } else setStatus('computing', `computing: ${STAGES[drawn.length]} (${m.stage} drawn at ${ms} ms)`);
  };
  worker.postMessage({ texts, threads: THREADS });
}

// ---- wiring ------------------------------------------------------------------------------------------

function update(): void {
  const texts = readControls();
  const query = new URLSearchParams(queryFromTexts(texts));
  const threads = new URLSearchParams(location.search).get('threads');
  if (threads !== null) query.set('threads', threads);
  const text = query.toString();
  history.replaceState(null, '', `${location.pathname}${text ? `?${text}` : ''}`);
  start(texts);
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    $('copied').textContent = `${what} copied`;
  } catch {
    // No clipboard permission: the text is shown for selecting by hand.
    $('copied').textContent = `${what} (copy by hand):\n${text}`;
  }
}

function main(): void {
  buildControls();
  writeControls(textsFromQuery(location.search));
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Typing waits for a pause; a committed change (a select, Enter, leaving a field) recomputes at once.
  $('controls').addEventListener('input', (e) => {
    if ((e.target as HTMLElement).id === 'family') showFamily();
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  $('controls').addEventListener('change', () => {
    clearTimeout(timer);
    if (queryFromTexts(readControls()) !== queryFromTexts(textsFromQuery(location.search))) update();
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
  // A link reproduces its view: the URL's texts are computed as given (a bad one shows its error).
  window.addEventListener('popstate', () => {
    writeControls(textsFromQuery(location.search));
    start(textsFromQuery(location.search));
  });
  $('copy-cli').addEventListener('click', () => {
    const s = window.ncsdeResults.settings;
    if (s) void copy(cliCommands(s).join('\n'), 'CLI commands');
  });
  $('copy-ts').addEventListener('click', () => {
    const s = window.ncsdeResults.settings;
    if (s) void copy(typescriptSnippet(s), 'TypeScript');
  });
  $('download-json').addEventListener('click', () =>
    download('ncsde-explorer.json', 'application/json', JSON.stringify(window.ncsdeResults, null, 1)),
  );
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-svg]')) {
    button.addEventListener('click', async () => {
      const view = views.get(button.dataset.svg as string);
      if (view) download(`ncsde-${button.dataset.svg}.svg`, 'image/svg+xml', await view.toSVG());
    });
  }
  start(textsFromQuery(location.search));
}

main();
