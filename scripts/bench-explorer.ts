// Explorer speed in a real Chromium (not a timed test): time from navigation to the first result drawn
// at the default settings, and from a committed control change to the SDE side redrawn at 20,000
// paths, each repeated; prints medians and ranges with the machine's load. Needs dist built
// (npm run build) and /usr/bin/chromium. Run: npx tsx scripts/bench-explorer.ts [repeats]
import { availableParallelism, cpus, loadavg } from 'node:os';
import { chromiumMissing, launchChromium, startExplorer } from '../test/helpers/chromium.js';

const repeats = Number(process.argv[2] ?? 5);
const missing = chromiumMissing();
if (missing) {
  console.error(`bench-explorer: ${missing}`);
  process.exit(1);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs: number[]) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n = ${xs.length})`;

const server = await startExplorer();
const { context, close } = await launchChromium();
const load = loadavg();
const firstDrawn: number[] = [];
const allDone: number[] = [];
for (let i = 0; i < repeats; i++) {
  const page = await context.newPage();
  await page.goto(server.url);
  await page.waitForFunction("(document.documentElement.dataset.stages ?? '').includes('sde')", null, {
    polling: 'raf',
    timeout: 120_000,
  });
  // performance.now() counts from the navigation's start.
  firstDrawn.push((await page.evaluate('window.ncsdeTimings.sde')) as number);
  if (process.env.BENCH_DETAIL) console.log(JSON.stringify(await page.evaluate('window.ncsdeTimings')));
  await page.waitForFunction("document.documentElement.dataset.status !== 'computing'", null, { timeout: 300_000 });
  allDone.push((await page.evaluate('window.ncsdeTimings.cumulants')) as number);
  await page.close();
}

const page = await context.newPage();
await page.goto(`${server.url}?paths=20000`);
await page.waitForFunction("document.documentElement.dataset.status === 'done'", null, { timeout: 300_000 });
const change: number[] = [];
const changeDone: number[] = [];
for (let i = 0; i < repeats; i++) {
  // A committed change of the seed (what Enter or leaving the field does), timed from the change event.
  const t0 = (await page.evaluate(
    `(() => { const s = document.getElementById('seed'); s.value = String(${100 + i}); const t = performance.now(); s.dispatchEvent(new Event('change', { bubbles: true })); return t; })()`,
  )) as number;
  await page.waitForFunction(
    "(document.documentElement.dataset.stages ?? '').includes('sde') && window.ncsdeResults.settings.seed === " +
      (100 + i),
    null,
    { polling: 'raf', timeout: 120_000 },
  );
  change.push(((await page.evaluate('window.ncsdeTimings.sde')) as number) - t0);
  if (process.env.BENCH_DETAIL) console.log(t0, JSON.stringify(await page.evaluate('window.ncsdeTimings')));
  await page.waitForFunction("document.documentElement.dataset.status !== 'computing'", null, { timeout: 300_000 });
  changeDone.push(((await page.evaluate('window.ncsdeTimings.cumulants')) as number) - t0);
}
await close();
await server.stop();

console.log(
  `machine: ${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} cores, load average ${load.map((x) => x.toFixed(2)).join(' ')} at start, ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')} at end`,
);
console.log(
  `first result drawn after load (defaults: 4000 paths, 4000 networks, n = 128): ${summary(firstDrawn)}; target 1000 ms`,
);
console.log(`  every stage done after load: ${summary(allDone)}`);
console.log(`control change to SDE side redrawn, 20000 paths, 2 worker threads: ${summary(change)}; target 300 ms`);
console.log(`  every stage done after the change: ${summary(changeDone)}`);
