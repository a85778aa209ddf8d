#!/usr/bin/env bash
# CI's check that the package a user installs works: pack it (which builds it), look inside the
# tarball, install it into an empty project, run the CLI and the main job there, import both entry
# points, type-check a strict TypeScript consumer that calls the solver and the chain, and run the
# README's commands and code blocks against the installed tarball (scripts/readme-check.mjs).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -1)"
listing="$(tar tzf "$tarball")"
for must in package/dist/wasm/kernels.wasm package/dist/entry/index.js package/dist/entry/index.d.ts package/dist/entry/cli.js package/dist/entry/worker.js package/dist/explorer/index.html package/dist/explorer/main.js package/dist/explorer/worker.js package/dist/explorer/kernels.js package/LICENSE package/CHANGELOG.md package/docs/maths.md package/README.md; do
  grep -qx "$must" <<<"$listing" || { echo "check-package: the tarball lacks $must" >&2; exit 1; }
done
if grep -E '^package/(dist/(test|bench)|test|bench|scripts)/|\.map$' <<<"$listing"; then echo "check-package: the tarball ships tests, benchmarks, scripts or source maps" >&2; exit 1; fi
echo "check-package: $(wc -l <<<"$listing") files in $(basename "$tarball")"

cd "$work"
mkdir consumer && cd consumer
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$tarball"
npx ncsde --version
npx ncsde sde --paths 64 --steps 4 --threads 1 --solver ninomiya-victoir > sde.json
node -e "const s = require('./sde.json'); if (s.shape.join() !== '2,64,2,2') { console.error('check-package: unexpected sde output', s.shape); process.exit(1); }"
# The explorer is served from the installed package, offline: its page and scripts come from dist/explorer.
node --input-type=module -e "
import { spawn } from 'node:child_process';
const cli = spawn(process.execPath, ['node_modules/neural-covariance-sde/dist/entry/cli.js', 'explore', '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((ok) => cli.stdout.once('data', (d) => ok(String(d).split('\\n')[0])));
const page = await (await fetch(url)).text();
const main = await fetch(new URL('main.js', url));
cli.kill('SIGINT');
if (!page.includes('data-status') || main.status !== 200) { console.error('check-package: ncsde explore did not serve the page'); process.exit(1); }
console.log('check-package: ncsde explore serves the explorer at ' + url);
"
echo '{ "n": 8, "paths": 200, "samples": 200, "steps": 4, "widths": [2, 4, 6, 8] }' > small.json
npx ncsde validate --config small.json --out report --threads 1 > /dev/null
for f in validation.json validation.md validation.html manifest.json; do [ -s "report/$f" ] || { echo "check-package: validate did not write report/$f" >&2; exit 1; }; done
node --input-type=module -e "
import { shapedRelu, covarianceSde, ninomiyaVictoir, constantSteps, solveSync, covarianceChain } from 'neural-covariance-sde';
import { compareSamples } from 'neural-covariance-sde/validation';
import { fmt } from 'neural-covariance-sde/reports';
const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
const sol = solveSync({ sde: covarianceSde(activation), solver: ninomiyaVictoir(), T: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(8), paths: 128, seed: 1 });
const net = covarianceChain({ activation, n: 16, T: 1, v0: [[1, 0.5], [0.5, 1]], samples: 64, seed: 1 });
if (sol.counts.repaired !== 0 || net.values.shape.join() !== '1,64,2,2' || typeof compareSamples !== 'function' || fmt(0.5) !== '0.5') process.exit(1);
console.log('check-package: ESM import of all three entry points works');
"
cat > consumer.ts <<'TS'
import { constantSteps, covarianceChain, covarianceSde, diagonalSde, ninomiyaVictoir, sampleNetworks, shapedRelu, solveSync, summary, type NetworkSample, type Solution } from 'neural-covariance-sde';
import { validate, runPoint, type ValidationReport } from 'neural-covariance-sde/validation';
import { seriesSpec, type PlotSpec } from 'neural-covariance-sde/reports';
const activation = shapedRelu({ cPlus: 0, cMinus: -1 });
const sol: Solution = solveSync({ sde: covarianceSde(activation), solver: ninomiyaVictoir(), T: 1, v0: [[1, 0.5], [0.5, 1]], stepping: constantSteps(8), paths: 128, seed: 1 });
const rho = summary(sol).saves[1]?.rho[0]?.[1];
const net: NetworkSample = covarianceChain({ activation, n: 16, T: 1, v0: [[1, 0.5], [0.5, 1]], samples: 64, seed: 1 });
const resnet: Promise<NetworkSample> = sampleNetworks({ architecture: 'resnet:0.5', activation: 'tanh:1', n: 16, T: 1, v0: [[1]], samples: 8, seed: 1 });
const report: Promise<ValidationReport> = validate({ n: 8 });
const point = runPoint({ architecture: 'resnet:0.5', n: 8 });
const spec: PlotSpec = seriesSpec({ title: 't', x: 'x', y: 'y', points: [] });
// @ts-expect-error v0 is tied to the SDE's shape: a covariance SDE takes a matrix
solveSync({ sde: covarianceSde(activation), T: 1, v0: 0.5, paths: 8, seed: 1 });
// @ts-expect-error and a 1-D SDE a number
solveSync({ sde: diagonalSde(activation), T: 1, v0: [[1]], paths: 8, seed: 1 });
// @ts-expect-error the synchronous call runs on this thread: threads can only be 1
solveSync({ sde: covarianceSde(activation), T: 1, v0: [[1]], paths: 8, seed: 1, threads: 2 });
export { rho, net, resnet, report, point, spec };
TS
# No ambient @types (not even node's): what the package's .d.ts files need must come with it; and
# exactOptionalPropertyTypes, so that the three entries' types hold for the strictest consumers.
cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "strict": true, "exactOptionalPropertyTypes": true, "noEmit": true, "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022", "types": [] }, "files": ["consumer.ts"] }
JSON
"$repo/node_modules/.bin/tsc" -p tsconfig.json
echo "check-package: a strict TypeScript consumer type-checks (tsc --strict --exactOptionalPropertyTypes --module nodenext, no extra installs)"

# The README's blocks, commands, fields and links, against this tarball (README's Development section).
node "$repo/scripts/readme-check.mjs" --repo "$repo" --consumer "$work/consumer" --tarball "$tarball"
