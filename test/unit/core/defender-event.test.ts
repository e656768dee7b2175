import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isDefenderEvent, parseDefenderEvent } from '../../../lib/requests/defender-event.js';
import type { IntakeLimits, ParseResult } from '../../../lib/requests/intake-command.js';

const LIMITS: IntakeLimits = { maxResourcesPerRequest: 3, maxExpiryDays: 365, defaultExpiryDays: 90, maxJustificationLength: 512, defaultCategory: 'Waiver', maxScopeLevel: 'resourceGroup' };
const NOW = new Date('2026-11-01T12:00:00.000Z');
const DAY = 86_400_000;
const FALLBACK = 'relay@example.invalid';

const SAMPLE = JSON.parse(
  readFileSync(new URL('./fixtures/defender-recommendation-trigger.sample.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const SAMPLE_SUB = '/subscriptions/a27e854a-8578-4395-8eaf-6fc7849f3050';
const SAMPLE_KEY = '151e82c5-5341-a74b-1eb0-bc38d2c84bb5';

const SUB = '00000000-0000-0000-0000-00000000aaaa';
const RESOURCE = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1`;
const KEY = '1195afff-c881-495e-9bc5-1486211ae03f';
const ASSESSMENT_ID = `${RESOURCE}/providers/Microsoft.Security/assessments/${KEY}`;
const BLADE = `portal.azure.com/#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/${KEY}`;

/** A hand-made event in the shape the relay forwards; overrides replace top-level fields. */
function event(overrides: Record<string, unknown> = {}, properties: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ASSESSMENT_ID,
    name: KEY,
    properties: {
      resourceDetails: { source: 'Azure', id: RESOURCE },
      displayName: 'Storage accounts should restrict network access',
      status: { code: 'Unhealthy' },
      metadata: { severity: 'Medium', policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/34c877ad-507e-4c82-993e-3452a6e0ad3c' },
      links: { azurePortal: `https://${BLADE}` },
      ...properties,
    },
    ...overrides,
  };
}

function parse(body: unknown): ParseResult {
  return parseDefenderEvent(body, LIMITS, NOW, FALLBACK);
}

function commandOf(result: ParseResult) {
  if (!result.ok) throw new Error(`expected a command, got ${JSON.stringify(result.problems)}`);
  return result.command;
}

describe('parseDefenderEvent', () => {
  it('parses the recommendation trigger sample', () => {
    expect(commandOf(parse(SAMPLE))).toEqual({
      source: 'defender',
      resourceIds: [SAMPLE_SUB],
      selector: { kind: 'assessment', assessmentKey: SAMPLE_KEY },
      category: 'Waiver',
      justification: 'Requested from the Defender for Cloud recommendation blade.',
      expiresOn: new Date(NOW.getTime() + 90 * DAY).toISOString(),
      requestedBy: FALLBACK,
      requesterAssurance: 'relay',
      maxScopeLevel: 'resourceGroup',
      hints: {
        displayName: 'Enable MFA for Azure Management App accounts with read permissions on your subscription',
        portalLink: 'https://ms.portal.azure.com/?fea#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/01b1ed4c-b733-4fee-b145-f23236e70cf3',
        severity: 'Low',
      },
    });
  });

  it('parses a resource-level event and its hints', () => {
    const command = commandOf(parse(event()));
    expect(command.resourceIds).toEqual([RESOURCE]);
    expect(command.selector).toEqual({ kind: 'assessment', assessmentKey: KEY });
    expect(command.hints).toEqual({ displayName: 'Storage accounts should restrict network access', portalLink: `https://${BLADE}`, severity: 'Medium' });
  });

  it('reads field names in any letter case (ID, Properties, Name, resourceDetails.Id)', () => {
    const { id: _id, name: _name, properties, ...rest } = event();
    const shouted = {
      ...rest,
      ID: ASSESSMENT_ID,
      Name: KEY,
      Properties: { ...(properties as object), resourceDetails: { Source: 'Azure', Id: RESOURCE } },
    };
    expect(isDefenderEvent(shouted)).toBe(true);
    const command = commandOf(parse(shouted));
    expect(command.resourceIds).toEqual([RESOURCE]);
    expect(command.selector).toEqual({ kind: 'assessment', assessmentKey: KEY });
  });

  it('reads the resource from resourceDetails.ResourceId', () => {
    const command = commandOf(parse(event({}, { resourceDetails: { Source: 'Azure', ResourceId: RESOURCE } })));
    expect(command.resourceIds).toEqual([RESOURCE]);
  });

  it('normalises the resource id it reads', () => {
    const command = commandOf(parse(event({}, { resourceDetails: { id: `${RESOURCE}/` } })));
    expect(command.resourceIds).toEqual([RESOURCE]);
  });

  it('takes the assessment key from the id when the event has no name', () => {
    const { name: _name, ...withoutName } = event();
    expect(commandOf(parse({ ...withoutName, id: `${ASSESSMENT_ID}/` })).selector).toEqual({ kind: 'assessment', assessmentKey: KEY });
  });

  it.each([
    ['azurePortal with https://', { azurePortal: `https://${BLADE}` }, `https://${BLADE}`],
    ['azurePortal without a scheme', { azurePortal: BLADE }, BLADE],
    ['azurePortalUri with https://', { azurePortalUri: `https://${BLADE}` }, `https://${BLADE}`],
    ['azurePortalUri without a scheme', { azurePortalUri: BLADE }, BLADE],
    ['AzurePortalURI in another case', { AzurePortalURI: BLADE }, BLADE],
  ])('puts the portal link from %s into the hints', (_label, links, expected) => {
    expect(commandOf(parse(event({}, { links }))).hints?.portalLink).toBe(expected);
  });

  it('leaves hints out that the event does not carry', () => {
    const command = commandOf(parse(event({}, { links: undefined, displayName: undefined, metadata: {} })));
    expect(command.hints).toEqual({});
  });

  it('takes the display name from metadata when properties has none', () => {
    const command = commandOf(parse(event({}, { displayName: undefined, metadata: { displayName: 'From metadata' } })));
    expect(command.hints?.displayName).toBe('From metadata');
  });

  it('takes the optional top-level fields the relay passes on', () => {
    const command = commandOf(parse(event({
      requestedBy: 'Owner@Contoso.com',
      justification: 'Compensating control: firewall at the hub.',
      category: 'Mitigated',
      expiresOn: '2027-02-01T00:00:00Z',
      ticketRef: 'INC0042',
    })));
    expect(command).toMatchObject({
      requestedBy: 'owner@contoso.com',
      requesterAssurance: 'asserted',
      justification: 'Compensating control: firewall at the hub.',
      category: 'Mitigated',
      expiresOn: '2027-02-01T00:00:00.000Z',
      ticketRef: 'INC0042',
    });
  });

  it('falls back to the given requester when the event names none', () => {
    expect(commandOf(parse(event())).requestedBy).toBe(FALLBACK);
    expect(commandOf(parse(event({ requestedBy: null }))).requestedBy).toBe(FALLBACK);
    expect(commandOf(parse(event())).requesterAssurance).toBe('relay');
    expect(Object.keys(commandOf(parse(event())))).not.toContain('ticketRef');
  });

  it('reports a bad resource id with the event\'s own field path', () => {
    const result = parse(event({}, { resourceDetails: { id: '/subscriptions/not-a-guid/resourceGroups/rg' } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toEqual(['properties.resourceDetails.id']);
  });

  it('reports a missing resource under properties.resourceDetails.id', () => {
    const result = parse(event({}, { resourceDetails: { source: 'Azure' } }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toContain('properties.resourceDetails.id');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['requestedBy that is not an email', { requestedBy: 'someone' }, 'requestedBy'],
    ['expiresOn in the past', { expiresOn: '2026-01-01T00:00:00Z' }, 'expiresOn'],
    ['expiresOn beyond the limit', { expiresOn: '2028-01-01T00:00:00Z' }, 'expiresOn'],
    ['an unknown category', { category: 'Exempt' }, 'category'],
    ['a justification over the limit', { justification: 'x'.repeat(513) }, 'justification'],
    ['a name that is not an assessment key', { name: 'a/b' }, 'name'],
  ])('reports %s', (_label, overrides, field) => {
    const result = parse(event(overrides));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.field)).toContain(field);
  });
});

describe('isDefenderEvent', () => {
  it('recognises the sample and a hand-made event', () => {
    expect(isDefenderEvent(SAMPLE)).toBe(true);
    expect(isDefenderEvent(event())).toBe(true);
  });

  it('does not take a direct API request for an event', () => {
    expect(isDefenderEvent({ resourceId: RESOURCE, assessmentKey: KEY, justification: 'x', requestedBy: 'a@contoso.com' })).toBe(false);
  });

  it('needs an assessment id and a properties object', () => {
    expect(isDefenderEvent(event({ id: RESOURCE }))).toBe(false);
    expect(isDefenderEvent({ id: ASSESSMENT_ID })).toBe(false);
    expect(isDefenderEvent({ id: ASSESSMENT_ID, properties: 'x' })).toBe(false);
  });

  it('is false for values that are not objects', () => {
    for (const value of [null, undefined, 'text', 42, [event()]]) {
      expect(isDefenderEvent(value)).toBe(false);
    }
  });
});
