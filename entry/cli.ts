#!/usr/bin/env node
// The `ncsde` command line: sde, network, validate, scan (merge, report, slurm), criterion, cumulants, collapse, explore, check.
// One error rule for every command: bad input ends with exit code 2 and one line on stderr naming the
// flag as typed (or the config key) and the value, with the allowed range; no usage text, no trace,
// and nothing written (outputs are checked before computing and written whole at the end).
import { Command, CommanderError } from 'commander';
import { InputError } from '../src/errors.js';
import { kernelsInUse } from '../src/kernels/choice.js';
import { closeSharedPool, nodePlatform, setPlatform } from '../src/platform.js';
import { onDeprecation } from '../src/options.js';
import { note } from './cli/common.js';
import { PACKAGE_VERSION } from '../src/version.js';
import { checkCommand } from './cli/check.js';
import { exploreCommand } from './cli/explore.js';
import { collapseCommand, criterionCommand, cumulantsCommand, validateCommand } from './cli/reports.js';
import { networkCommand, sdeCommand } from './cli/sample.js';
import { scanCommands } from './cli/scan.js';
import { stopOnSignals } from './cli/progress.js';

function fail(message: string, code: number): never {
  process.stderr.write(`ncsde: ${message}\n`);
  process.exit(code);
}

// An old spelling of a flag or config key is said once, as a note on stderr.
const said = new Set<string>();
onDeprecation((text) => {
  if (!said.has(text)) note(text);
  said.add(text);
});

const program = new Command()
  .name('ncsde')
  .description('The Neural Covariance SDE and finite shaped networks: integrate, sample, validate, scan.')
  .version(PACKAGE_VERSION)
  .enablePositionalOptions()
  .configureHelp({ helpWidth: 120 })
  .exitOverride()
  .configureOutput({
    // Commander's own errors come back through exitOverride as one line; its usage text is not printed.
    writeErr: () => {},
    outputError: () => {},
  });

sdeCommand(program);
networkCommand(program);
validateCommand(program);
scanCommands(program);
criterionCommand(program);
cumulantsCommand(program);
collapseCommand(program);
exploreCommand(program);
checkCommand(program);
for (const cmd of program.commands) {
  cmd.exitOverride().configureHelp({ helpWidth: 120 });
  for (const sub of cmd.commands) sub.exitOverride().configureHelp({ helpWidth: 120 });
}

// A kill stops work where it is, at any --threads: block work runs on a worker even at one thread, so
// this thread is free to take the signal; files are only ever renamed into place at the end.
setPlatform(nodePlatform({ oneThreadOnWorker: true }));
stopOnSignals();

try {
  // A bad NCSDE_KERNELS is refused before a command prints its first progress line.
  if (process.env.NCSDE_KERNELS) kernelsInUse();
  await program.parseAsync(process.argv);
  await closeSharedPool();
} catch (error) {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
    )
      process.exit(0);
    fail(error.message.replace(/^error: /, ''), 2);
  }
  if (error instanceof InputError) fail(error.message, 2);
  const e = error as Error;
  if (process.env.NCSDE_DEBUG) process.stderr.write(`${e.stack ?? e}\n`);
  fail(`internal error: ${e.message ?? e} (set NCSDE_DEBUG=1 for a trace; please report it)`, 1);
}
