import { parseSweepScope } from '../../lib/config/sweep-settings.js';
import type { SweepScope } from '../../lib/sweep/model.js';

/** Usage errors and bad settings: nothing was swept. */
export const EXIT_USAGE = 2;

export const USAGE = `Usage: npm run sweep -- [--scope <ids>] [--dry-run] [--json] [--csv FILE] [--azure]

Runs one exemption sweep with the same engine as the timer and the HTTP trigger.

  (default)       against the simulated tenant: starts Azurite and the simulator, seeds an estate
                  with every finding kind, sweeps it and stops everything again
  --azure         against a real tenant, signed in as your Azure CLI login (or the client secret in
                  AZURE_CLIENT_SECRET); settings from the environment and ./local.settings.json
  --scope <ids>   ";"- or ","-separated subscription ids or management groups
                  (/providers/Microsoft.Management/managementGroups/{id} or mg:{id}); overrides SWEEP_SCOPE
  --dry-run       read everything, change nothing: no stored run, no request moves, no mail, no ARM write
  --json          print the run record and its findings as one JSON object on stdout
  --csv FILE      also write every finding to FILE as CSV
  -h, --help      show this help

Exit status: 0 the sweep succeeded; 1 it failed or finished with errors (partial); 2 bad arguments or
settings; 3 another sweep holds the lease (busy).`;

export interface CliOptions {
  readonly azure: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
  /** Undefined: the settings' SWEEP_SCOPE. */
  readonly scope?: SweepScope;
  readonly csv?: string;
}

export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const SWITCHES = { '--azure': 'azure', '--dry-run': 'dryRun', '--json': 'json' } as const;

/** The command line after the script name; every problem is one message, and nothing runs. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags = { azure: false, dryRun: false, json: false };
  let scopeText: string | undefined;
  let csv: string | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (seen.has(name)) return error(`${name} is given twice`);
    seen.add(name);
    if (name in SWITCHES) {
      if (eq > 0) return error(`${name} takes no value`);
      flags[SWITCHES[name as keyof typeof SWITCHES]] = true;
      continue;
    }
    if (name === '--scope' || name === '--csv') {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value.trim() === '' || (eq < 0 && value.startsWith('-'))) {
        return error(name === '--scope' ? '--scope needs subscription or management group ids' : '--csv needs a file name');
      }
      if (name === '--scope') scopeText = value;
      else csv = value;
      continue;
    }
    return error(arg.startsWith('-') ? `unknown option ${printable(arg)}` : `unexpected argument ${printable(arg)}`);
  }
  let scope: SweepScope | undefined;
  if (scopeText !== undefined) {
    const problems: string[] = [];
    scope = parseSweepScope(scopeText, problems);
    if (problems.length > 0) return error(problems.map((p) => p.replace(/^SWEEP_SCOPE:/, '--scope:')).join('\n'));
    if (scope.subscriptions.length === 0 && scope.managementGroups.length === 0) return error('--scope needs subscription or management group ids');
  }
  return { kind: 'run', options: { ...flags, ...(scope ? { scope } : {}), ...(csv === undefined ? {} : { csv }) } };
}

function error(message: string): ParsedArgs {
  return { kind: 'error', message };
}

function printable(arg: string): string {
  return JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg);
}
