import { describe, expect, it } from 'vitest';
import { adf, JiraWriter } from '../../../lib/tickets/jira-writer.js';
import { inert, ServiceNowWriter } from '../../../lib/tickets/servicenow-writer.js';
import { apiUrl, httpsBase } from '../../../lib/tickets/ticket-http.js';

describe('outbound shapes', () => {
  it('a Jira comment is an ADF document: the heading, then one bullet per non-empty line', () => {
    expect(adf({ heading: 'Approved.', lines: ['By: a@contoso.com', ' '] })).toEqual({
      type: 'doc', version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Approved.' }] },
        { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'By: a@contoso.com' }] }] }] },
      ],
    });
    expect(adf({ heading: 'Expired.', lines: [] }).content).toHaveLength(1);
  });

  it('a ServiceNow work note cannot carry HTML: [code] tags in a requester\'s words are broken up', () => {
    expect(inert('fine [code]<img src=x onerror=alert(1)>[/CODE] text')).toBe('fine [code\u200b]<img src=x onerror=alert(1)>[/code\u200b] text');
    expect(inert('no tags')).toBe('no tags');
  });

  it('builds URLs from parsed parts, each segment encoded', () => {
    const base = httpsBase('https://contoso.service-now.com/')!;
    expect(apiUrl(base, 'api', 'now', 'table', 'x/../y', '?q').href).toBe('https://contoso.service-now.com/api/now/table/x%2F..%2Fy/%3Fq');
    expect(httpsBase('https://site.example/jira/')!.href).toBe('https://site.example/jira');
    for (const bad of ['http://a.example', 'https://a.example/?x=1', 'https://a.example/#f', 'https://u:p@a.example', 'not a url']) expect(httpsBase(bad), bad).toBeUndefined();
  });

  it('writes to nothing whose key or sys_id is outside the grammar, before any call', async () => {
    const jira = new JiraWriter({ baseUrl: new URL('https://127.0.0.1:9'), email: 'a@b.c', apiToken: 't' });
    await expect(jira.write({ source: 'jira', requestId: 'r', key: '../SEC-1' }, { heading: 'x', lines: [] })).rejects.toThrow(/not an issue key/);
    const sn = new ServiceNowWriter({ instanceUrl: new URL('https://127.0.0.1:9'), auth: { kind: 'basic', user: 'u', password: 'p' } }, { now: () => new Date() });
    await expect(sn.write({ source: 'servicenow', requestId: 'r', key: 'RITM1', sysId: 'abc', table: 'sc_req_item' }, { heading: 'x', lines: [] })).rejects.toThrow(/no valid table and sys_id/);
  });
});
