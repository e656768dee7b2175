import type { HttpResponseInit } from '@azure/functions';
import type { FindingKind } from '../model.js';
import type { SweepStore } from '../ports/sweep-store.js';
import { findingsCsvBody, runFindingPages } from './findings-csv.js';
import { findingsCsvFileName } from './run-view.js';

/** A run's findings as a CSV download, streamed page by page (the run must exist). */
export async function findingsCsvResponse(store: SweepStore, runId: string, kind: FindingKind | undefined): Promise<HttpResponseInit> {
  const body = await findingsCsvBody(runFindingPages(store, runId, kind ? { kind } : {}));
  return {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${findingsCsvFileName(runId)}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body,
  };
}
