// Vitest global setup: build dist (incrementally) so that command-line tests run the package's real
// entry point as a user does, at node's own start-up speed; and the explorer page, which they serve.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/build-explorer.mjs'], { stdio: 'inherit' });
}
