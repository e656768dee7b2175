// The Resource Graph queries the simulated tenant answers. It does not run KQL: it recognises exactly
// the shapes the sweep sends and refuses everything else with the 400 Resource Graph gives for a bad
// query, so a test can never pass against a query the sim only pretended to run.
//
//   policyresources   | where type =~ 'microsoft.authorization/policyexemptions'  [| project <columns>]
//   policyresources   | where type =~ 'microsoft.authorization/policyassignments' [| project <columns>]
//   securityresources | where type =~ 'microsoft.security/assessments' [and name =~ '<key>'] [| project <columns>]
//   securityresources | where type =~ 'microsoft.security/standardassignments'   [| project <columns>]
//   resources         | where type in~ ('<type>', "<type>", ...)                  [| project <columns>]
//   resourcecontainers | where type =~ 'microsoft.resources/subscriptions'      [| project <columns>]
//
// Table names and type literals compare case-insensitively (as `=~`, `in~` and Resource Graph's table
// names do); a literal may use single or double quotes. The `in~` list holds one or more non-empty
// resource types separated by commas and is only served on `resources` (the seeded resources, e.g.
// 'microsoft.storage/storageaccounts', 'microsoft.sql/servers/databases'); `=~` only on the other
// tables (resourcecontainers: one row per seeded subscription, with its management group ancestors).
// `<columns>` is a comma-separated list of top-level row columns (ROW_COLUMNS), each at most once, and must include `id`: Resource Graph pages only queries whose rows carry `id`.
import { ArmError } from '../arm/errors.js';

export type GraphTable = 'policyresources' | 'securityresources' | 'resources' | 'resourcecontainers';

/** What a query reads from the index. */
export type GraphSource = 'exemptions' | 'assignments' | 'assessments' | 'standardAssignments' | 'resources' | 'subscriptions';

/** The `=~` shapes: table → served type literal → source. */
export const TABLE_TYPES: Record<Exclude<GraphTable, 'resources'>, Record<string, GraphSource>> = {
  policyresources: {
    'microsoft.authorization/policyexemptions': 'exemptions',
    'microsoft.authorization/policyassignments': 'assignments',
  },
  securityresources: { 'microsoft.security/assessments': 'assessments', 'microsoft.security/standardassignments': 'standardAssignments' },
  resourcecontainers: { 'microsoft.resources/subscriptions': 'subscriptions' },
};

/** The columns of a row (see rows.ts), in the order Resource Graph returns them. */
export const ROW_COLUMNS = [
  'id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy',
  'sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation',
] as const;
export type RowColumn = (typeof ROW_COLUMNS)[number];

export interface GraphQuery {
  table: GraphTable;
  source: GraphSource;
  /** For source 'resources': the lower-cased types of `in~ (...)`, sorted and without duplicates. */
  types?: string[];
  /** For source 'assessments': the lower-cased assessment key of `and name =~ '<key>'`. */
  name?: string;
  /** Undefined = every column. */
  project?: RowColumn[];
}

const LITERAL = String.raw`(?:'[^']*'|"[^"]*")`;
const PROJECT = String.raw`(?:\|\s*project\s+(.+?))?`;
const EQ_SHAPE = new RegExp(String.raw`^\s*(\w+)\s*\|\s*where\s+type\s*=~\s*(${LITERAL})(?:\s+and\s+name\s*=~\s*(${LITERAL}))?\s*${PROJECT}\s*$`, 'is');
const IN_SHAPE = new RegExp(String.raw`^\s*(\w+)\s*\|\s*where\s+type\s+in~\s*\(\s*(${LITERAL}(?:\s*,\s*${LITERAL})*)\s*\)\s*${PROJECT}\s*$`, 'is');

const unquote = (literal: string): string => literal.trim().slice(1, -1);

export function parseGraphQuery(text: string): GraphQuery {
  const eq = EQ_SHAPE.exec(text);
  const inList = eq ? undefined : IN_SHAPE.exec(text);
  const m = eq ?? inList;
  if (!m) throw invalidQuery(text, 'not one of the query shapes the simulated tenant supports');
  const table = m[1]!.toLowerCase();
  const served = ['resources', ...Object.keys(TABLE_TYPES)];
  if (!served.includes(table)) throw invalidQuery(text, `table '${m[1]}' is not served (supported: ${served.join(', ')})`);

  let query: Omit<GraphQuery, 'project'>;
  if (eq) {
    if (table === 'resources') throw invalidQuery(text, "table resources is served only for type in~ ('<type>', ...)");
    const byType = TABLE_TYPES[table as keyof typeof TABLE_TYPES];
    const source = byType[unquote(m[2]!).toLowerCase()];
    if (!source) throw invalidQuery(text, `table ${table} is served only for type =~ ${Object.keys(byType).map((t) => `'${t}'`).join(' or ')}`);
    const name = m[3] === undefined ? undefined : unquote(m[3]).toLowerCase();
    if (name !== undefined && (source !== 'assessments' || !name.trim())) throw invalidQuery(text, "and name =~ '<key>' is served only on securityresources assessments, with a key");
    query = { table: table as GraphTable, source, ...(name === undefined ? {} : { name }) };
  } else {
    if (table !== 'resources') throw invalidQuery(text, `type in~ (...) is served only on table resources, not ${table}`);
    const types = [...m[2]!.matchAll(new RegExp(LITERAL, 'g'))].map((l) => unquote(l[0]).toLowerCase());
    if (types.some((t) => !t.trim())) throw invalidQuery(text, 'an empty type literal in in~ (...)');
    query = { table: 'resources', source: 'resources', types: [...new Set(types)].sort() };
  }

  const projected = eq ? m[4] : m[3];
  if (projected === undefined) return query;
  const project: RowColumn[] = [];
  for (const raw of projected.split(',').map((c) => c.trim())) {
    const column = ROW_COLUMNS.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (!column) throw invalidQuery(text, `project column '${raw}' is not supported (supported: ${ROW_COLUMNS.join(', ')})`);
    if (project.includes(column)) throw invalidQuery(text, `project column '${column}' appears twice`);
    project.push(column);
  }
  if (!project.includes('id')) throw invalidQuery(text, "a paged query must project 'id'");
  return { ...query, project };
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
