import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IntakeLimits } from '../../../lib/requests/intake-command.js';
import { DEFENDER_RELAY_REQUESTER, parseIntake } from '../../../lib/requests/parse-intake.js';

const LIMITS: IntakeLimits = { maxResourcesPerRequest: 3, maxExpiryDays: 365, defaultExpiryDays: 90, maxJustificationLength: 512, defaultCategory: 'Waiver', maxScopeLevel: 'resourceGroup' };
const NOW = new Date('2026-11-01T12:00:00.000Z');
const SAMPLE = JSON.parse(
  readFileSync(new URL('./fixtures/defender-recommendation-trigger.sample.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const RESOURCE = '/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1';

describe('parseIntake', () => {
  it.each([
    ['an array', [{ resourceId: RESOURCE }]],
    ['a string', '{"resourceId":"x"}'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a boolean', true],
  ])('refuses %s with a problem on field body', (_label, body) => {
    expect(parseIntake(body, LIMITS, NOW)).toEqual({ ok: false, problems: [{ field: 'body', message: expect.any(String) }] });
  });

  it('reads a Defender event as an event, with the relay as requester', () => {
    const result = parseIntake(SAMPLE, LIMITS, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.command.source).toBe('defender');
    expect(result.command.requestedBy).toBe(DEFENDER_RELAY_REQUESTER);
    expect(result.command.selector).toEqual({ kind: 'assessment', assessmentKey: '151e82c5-5341-a74b-1eb0-bc38d2c84bb5' });
  });

  it('uses a requester that receives no mail for the relay', () => {
    expect(DEFENDER_RELAY_REQUESTER).toMatch(/@[^@]+\.invalid$/);
  });

  it('reads anything else as a direct API request', () => {
    const result = parseIntake({ resourceId: RESOURCE, assessmentKey: 'k1', justification: 'private endpoint', requestedBy: 'a@contoso.com' }, LIMITS, NOW);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.command.source).toBe('api');
    expect(result.command.requestedBy).toBe('a@contoso.com');
  });

  it('holds a direct request to the strict API shape (unknown fields are refused)', () => {
    const result = parseIntake({ resourceId: RESOURCE, assessmentKey: 'k1', justification: 'x', requestedBy: 'a@contoso.com', properties: {} }, LIMITS, NOW);
    expect(result.ok).toBe(false);
  });
});
