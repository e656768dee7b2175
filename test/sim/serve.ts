// Starts the simulated tenant and prints its endpoints as one JSON line, for the demo and the local dev
// host: `tsx test/sim/serve.ts [--ca-dir <dir>]`. Runs until interrupted.
import { tmpdir } from 'node:os';
import { startSimTenant, writeCaFile } from './index.js';

const dirFlag = process.argv.indexOf('--ca-dir');
const caDir = dirFlag >= 0 ? process.argv[dirFlag + 1] ?? tmpdir() : tmpdir();

const sim = await startSimTenant();
const caFile = await writeCaFile(caDir, sim.caCertPem);
process.stdout.write(`${JSON.stringify({
  armEndpoint: sim.armEndpoint,
  authorityHost: sim.authorityHost,
  ...sim.credentials,
  smtp: { host: sim.smtp.host, port: sim.smtp.port },
  caFile,
  hint: `export NODE_EXTRA_CA_CERTS=${caFile}`,
})}\n`);

const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
