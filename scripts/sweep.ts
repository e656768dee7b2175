/**
 * npm run sweep -- [--scope <ids>] [--dry-run] [--json] [--csv FILE] [--azure]
 *
 * One sweep with the engine the timer and the HTTP trigger use: by default against the simulated tenant
 * (Azurite, the simulator and a seeded estate, started and stopped here), with --azure against a real
 * tenant as the developer's Azure CLI login. `--help` lists the options and exit statuses.
 */
import { runCli, write } from './sweep/run-cli.js';
import { terminalText } from './sweep/terminal-text.js';

// A closed pipe (`| head`) is reported to the write that hit it (see write()); without a listener it
// would also crash the process.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// Ctrl+C: exit through process.exit so the exit handlers stop Azurite.
process.once('SIGINT', () => {
  process.stderr.write('\r\x1b[K\nsweep: interrupted\n');
  process.exit(130);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (status) => process.exit(status),
  async (error: unknown) => {
    await write(process.stderr, `sweep failed: ${String((error as Error)?.stack ?? error).split('\n').map(terminalText).join('\n')}\n`).catch(() => undefined);
    process.exit(1);
  },
);
