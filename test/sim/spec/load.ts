// Loads the swagger files the sim serves and resolves every $ref, once per process (the specs never change).
import $RefParser from '@apidevtools/json-schema-ref-parser';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_DECLARED_SPECS } from './sim-paths.js';

export const SPEC_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/azure-specs');

/** The operations the app's clients call, at the api-versions they send. */
export const SERVED_SPEC_FILES = [
  'policy/2024-12-01-preview/policyExemptions.json',
  'policy/2025-03-01/policyAssignments.json',
  'policy/2025-03-01/policySetDefinitions.json',
  'policy/2025-03-01/policyDefinitions.json',
  'security/2021-06-01/assessments.json',
  'security/2021-06-01/assessmentMetadata.json',
  'security/2023-12-01-preview/securityContacts.json',
  'security/2024-08-01/securityStandards.json',
  'security/2024-08-01/standardAssignments.json',
  'resourcegraph/2024-04-01/resourcegraph.json',
  'policyinsights/2024-10-01/policyStates.json',
] as const;

// Swagger 2.0 as JSON: a loose structural type is all the sim needs.
export type Json = Record<string, any>;

export interface LoadedSpec {
  /** Path relative to SPEC_ROOT. */
  file: string;
  apiVersion: string;
  doc: Json;
}

const cache = new Map<string, Promise<LoadedSpec>>();

export function loadSpec(file: string): Promise<LoadedSpec> {
  let p = cache.get(file);
  if (!p) {
    p = (async () => {
      // Recursive types (ErrorDetail.details) become object cycles; schema-prep turns them back into $refs.
      const doc = (await $RefParser.dereference(path.join(SPEC_ROOT, file))) as Json;
      return { file, apiVersion: String(doc.info?.version), doc };
    })();
    cache.set(file, p);
  }
  return p;
}

/** The served spec files, plus (for the default list) the few operations the sim declares itself (sim-paths.ts). */
export async function loadServedSpecs(files: readonly string[] = SERVED_SPEC_FILES): Promise<LoadedSpec[]> {
  const loaded = await Promise.all(files.map(loadSpec));
  return files === SERVED_SPEC_FILES ? [...loaded, ...SIM_DECLARED_SPECS] : loaded;
}
