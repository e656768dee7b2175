// The Resource Graph queries the simulated tenant answers. It does not run KQL: it recognises exactly
// the shapes the sweep sends and refuses everything else with the 400 Resource Graph gives for a bad
// query, so a test can never pass against a query the sim only pretended to run.
//
//   policyresources   | where type =~ 'microsoft.authorization/policyexemptions' [| project <columns>]
//   securityresources | where type =~ 'microsoft.security/assessments'          [| project <columns>]
//
// Table names and the type literal compare case-insensitively (as `=~` and Resource Graph's table names
// do); the literal may use single or double quotes. `<columns>` is a comma-separated list of top-level
// row columns (ROW_COLUMNS), each at most once, and must include `id`: Resource Graph pages only queries
// whose rows carry `id`.
import { ArmError } from '../arm/errors.js';

export type GraphTable = 'policyresources' | 'securityresources';

export const TABLE_TYPES: Record<GraphTable, string> = {
  policyresources: 'microsoft.authorization/policyexemptions',
  securityresources: 'microsoft.security/assessments',
};

/** The columns of a row (see rows.ts), in the order Resource Graph returns them. */
export const ROW_COLUMNS = [
  'id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy',
  'sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation',
] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

export interface GraphQuery {
  table: GraphTable;
  /** Undefined = every column. */
  project?: RowColumn[];
}

const SHAPE = /^\s*(\w+)\s*\|\s*where\s+type\s*=~\s*(?:'([^']*)'|"([^"]*)")\s*(?:\|\s*project\s+(.+?))?\s*$/is;

export function parseGraphQuery(text: string): GraphQuery {
  const m = SHAPE.exec(text);
  if (!m) throw invalidQuery(text, 'not one of the query shapes the simulated tenant supports');
  const table = m[1]!.toLowerCase() as GraphTable;
  const expectedType = TABLE_TYPES[table];
  if (!expectedType) throw invalidQuery(text, `table '${m[1]}' is not served (supported: ${Object.keys(TABLE_TYPES).join(', ')})`);
  const type = (m[2] ?? m[3] ?? '').toLowerCase();
  if (type !== expectedType) throw invalidQuery(text, `table ${table} is served only for type =~ '${expectedType}'`);
  if (m[4] === undefined) return { table };
  const project: RowColumn[] = [];
  for (const raw of m[4].split(',').map((c) => c.trim())) {
    const column = ROW_COLUMNS.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!column) throw invalidQuery(text, `project column '${raw}' is not supported (supported: ${ROW_COLUMNS.join(', ')})`);
    if (project.includes(column)) throw invalidQuery(text, `project column '${column}' appears twice`);
    project.push(column);
  }
  if (!project.includes('id')) throw invalidQuery(text, "a paged query must project 'id'");
  return { table, project };
}

/**
 * Resource Graph's answer to a query it cannot run: 400 BadRequest whose details say InvalidQuery plus
 * the reason. The caller sent something the sim refuses, so it is also recorded as a violation.
 */
export function invalidQuery(query: string, reason: string): ArmError {
  return new ArmError(400, 'BadRequest',
    'Please provide below info when asking for support: the request was refused because the query is invalid.',
    {
      details: [
        { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
        { code: 'UnsupportedQuery', message: `The simulated tenant refused the query: ${reason}.` },
      ],
    },
    [{ target: '/query', message: `${reason}: ${query}`, keyword: 'graphQuery' }]);
}
