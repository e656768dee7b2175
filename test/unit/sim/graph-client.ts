// Raw Resource Graph calls for the sim's tests: plain fetch with a bearer token, so the tests see every
// status and header as sent (an SDK pipeline would retry 429s and hide the quota headers).
import { ARM_SCOPE, type SimFixture } from './sim-fixture.js';

export const GRAPH_API = '2024-04-01';
export const EXEMPTIONS_QUERY = "policyresources | where type =~ 'microsoft.authorization/policyexemptions'";
export const ASSESSMENTS_QUERY = "securityresources | where type =~ 'microsoft.security/assessments'";

export interface GraphAnswer {
  status: number;
  headers: Headers;
  body: {
    totalRecords: number; count: number; resultTruncated: string; $skipToken?: string; data: Array<Record<string, any>>;
    error?: { code: string; message: string; details?: Array<{ code: string; message: string }> };
  };
}

export async function graphQuery(f: SimFixture, body: unknown): Promise<GraphAnswer> {
  const { token } = (await f.credential.getToken(ARM_SCOPE))!;
  const res = await fetch(`${f.sim.armEndpoint}/providers/Microsoft.ResourceGraph/resources?api-version=${GRAPH_API}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphAnswer['body'] };
}

/** Follows $skipToken to the end; returns every page's answer. */
export async function allPages(f: SimFixture, request: Record<string, unknown>, top: number): Promise<GraphAnswer[]> {
  const pages: GraphAnswer[] = [];
  let skipToken: string | undefined;
  do {
    const page = await graphQuery(f, { ...request, options: { $top: top, ...(skipToken ? { $skipToken: skipToken } : {}) } });
    if (page.status !== 200) throw new Error(`page ${pages.length + 1}: ${page.status} ${JSON.stringify(page.body)}`);
    pages.push(page);
    skipToken = page.body.$skipToken;
  } while (skipToken);
  return pages;
}
