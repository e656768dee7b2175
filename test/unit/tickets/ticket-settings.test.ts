import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';
import { NOT_CONFIGURED } from '../../../lib/tickets/ticket-settings.js';

const MINIMAL = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: 'k'.repeat(40), EMAIL_TRANSPORT: 'smtp' };

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadSettings({ ...MINIMAL, ...env });
    return [];
  } catch (error) {
    return (error as SettingsError).problems;
  }
}

describe('ticket settings', () => {
  it('leaves outbound off until a site is named, whatever placeholders the vault holds', () => {
    const tickets = loadSettings({ ...MINIMAL, JIRA_API_TOKEN: NOT_CONFIGURED, SERVICENOW_PASSWORD: NOT_CONFIGURED, SERVICENOW_CLIENT_SECRET: NOT_CONFIGURED }).tickets;
    expect(tickets.jira).toBeUndefined();
    expect(tickets.servicenow).toBeUndefined();
  });

  it('takes Jira with its account and token, https only, the site\'s path kept', () => {
    const jira = loadSettings({ ...MINIMAL, JIRA_BASE_URL: 'https://contoso.atlassian.net/', JIRA_USER_EMAIL: 'bot@contoso.com', JIRA_API_TOKEN: 't' }).tickets.jira!;
    expect(jira.baseUrl.href).toBe('https://contoso.atlassian.net/');
    expect(problemsOf({ JIRA_BASE_URL: 'http://contoso.atlassian.net', JIRA_USER_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't' })).toEqual([
      'JIRA_BASE_URL = "http://contoso.atlassian.net": must be an https URL without credentials, query or fragment',
    ]);
    expect(problemsOf({ JIRA_BASE_URL: 'https://contoso.atlassian.net', JIRA_USER_EMAIL: 'a@b.c', JIRA_API_TOKEN: NOT_CONFIGURED })[0]).toMatch(/need JIRA_API_TOKEN .*jira-api-token secret/);
  });

  it('takes ServiceNow with exactly one way to sign in, and its secret', () => {
    const url = { SERVICENOW_INSTANCE_URL: 'https://contoso.service-now.com' };
    expect(loadSettings({ ...MINIMAL, ...url, SERVICENOW_USER: 'u', SERVICENOW_PASSWORD: 'p', SERVICENOW_CLIENT_SECRET: NOT_CONFIGURED }).tickets.servicenow?.auth)
      .toEqual({ kind: 'basic', user: 'u', password: 'p' });
    expect(loadSettings({ ...MINIMAL, ...url, SERVICENOW_CLIENT_ID: 'c', SERVICENOW_CLIENT_SECRET: 's', SERVICENOW_PASSWORD: NOT_CONFIGURED }).tickets.servicenow?.auth)
      .toEqual({ kind: 'oauth', clientId: 'c', clientSecret: 's' });
    expect(problemsOf({ ...url, SERVICENOW_USER: 'u', SERVICENOW_CLIENT_ID: 'c', SERVICENOW_PASSWORD: 'p' })[0]).toMatch(/exactly one of SERVICENOW_USER/);
    expect(problemsOf({ ...url, SERVICENOW_USER: 'u', SERVICENOW_PASSWORD: NOT_CONFIGURED })[0]).toMatch(/SERVICENOW_PASSWORD must be too/);
    expect(problemsOf({ SERVICENOW_INSTANCE_URL: 'https://user:pw@contoso.service-now.com', SERVICENOW_USER: 'u', SERVICENOW_PASSWORD: 'p' })[0]).toMatch(/without credentials/);
  });

  it('refuses a TICKET_MAPPINGS that does not parse, naming the field', () => {
    expect(problemsOf({ TICKET_MAPPINGS: JSON.stringify({ jira: { eventType: 'webhookEvent' } }) })).toEqual([
      'TICKET_MAPPINGS.jira.ticket: Invalid input: expected object, received undefined',
    ]);
  });
});
