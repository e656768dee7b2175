import { describe, expect, it } from 'vitest';
import { reviewCard, statusCard } from '../../../lib/teams/review-card.js';
import { textsIn } from '../../sim/teams/harness.js';
import { createdExemptionLine, EXEMPTIONS_FACT } from '../../../lib/render/request-facts.js';
import { hostileRequest, IMG_BREAKOUT, SCRIPT_TAG } from '../../support/hostile-request.js';
import {
  appliedMixedRequest, oldAndNowPolicyRequests, POLICY_ASSIGNMENT, policyTarget, resourceGroupTarget, RG, STANDARD_ASSIGNMENT, STANDARD_ID,
  standardTarget, STORAGE, targetsRequest, VM,
} from '../../support/mechanism-requests.js';

/** Markdown and links an attacker could put in the request's free text. */
const MARKDOWN = '**urgent** [approve here](https://evil.example/phish) ![x](https://evil.example/x.png) <at>Security</at>';

const hostile = hostileRequest({ justification: `${MARKDOWN}\nsecond line ${SCRIPT_TAG}`, ticketRef: `INC-1 ${MARKDOWN}` });
const bounds = { today: '2026-11-01', maxExpiresOn: '2027-11-01T00:00:00.000Z' };
const cards = {
  review: reviewCard(hostile, { requestId: hostile.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }, bounds),
  status: statusCard({ ...hostile, state: 'failed' }, `revoked ${MARKDOWN}`),
};
/** Card elements whose text Adaptive Card hosts read as markdown. */
const MARKDOWN_READERS = new Set(['TextBlock', 'Fact', 'FactSet']);
const ATTACKER_TEXT = ['<script', '<img', 'evil.example', '**urgent**', 'mallory', 'Bcc:', 'javascript:'];

describe.each(Object.entries(cards))('the %s card and hostile request text', (_, card) => {
  const texts = textsIn(card);

  it('shows the request\'s text only in TextRuns, which hosts never read as markdown', () => {
    for (const { holder, text } of texts.filter((t) => ATTACKER_TEXT.some((bad) => t.text.includes(bad)))) {
      expect({ holder, text }).toMatchObject({ holder: 'TextRun' });
    }
    expect(texts.filter((t) => MARKDOWN_READERS.has(t.holder)).map((t) => t.text).join('\n')).not.toMatch(/evil|<script|<img|mallory|\*\*/);
  });

  it('still shows it, literally', () => {
    const runs = texts.filter((t) => t.holder === 'TextRun').map((t) => t.text);
    expect(runs.some((t) => t.includes(MARKDOWN))).toBe(true);
    expect(runs.some((t) => t.includes(IMG_BREAKOUT))).toBe(true);
  });

  it('keeps line breaks out of single-line values and links out of the actions', () => {
    const name = texts.find((t) => t.text.startsWith('Storage accounts'))!;
    expect(name.text).not.toMatch(/[\r\n]/);
    expect(JSON.stringify(card)).not.toContain('javascript:');
    expect(JSON.stringify((card as { actions?: unknown[] }).actions ?? [])).not.toContain('evil.example');
  });
});

describe('the review card', () => {
  it('bounds the expiry like the page and carries the card id with both verbs', () => {
    const card = cards.review as any;
    const date = card.body.find((e: any) => e.id === 'expiresOn');
    expect(date).toMatchObject({ type: 'Input.Date', min: '2026-11-01', max: '2027-11-01', isRequired: true });
    expect(card.body.find((e: any) => e.id === 'comment')).toMatchObject({ type: 'Input.Text', maxLength: 512 });
    expect(card.actions.map((a: any) => [a.type, a.verb, a.data])).toEqual([
      ['Action.Execute', 'approve', { requestId: hostile.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }],
      ['Action.Execute', 'reject', { requestId: hostile.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }],
    ]);
  });

  it('the status card has no inputs and no buttons, and shows the ARM error of a failed request', () => {
    const json = JSON.stringify(cards.status);
    expect(json).not.toMatch(/Input\.|Action\.Execute/);
    expect(textsIn(cards.status).some((t) => t.holder === 'TextRun' && t.text.includes('500 Code<script'))).toBe(true);
  });
});

/** The TextRun lines of one fact container, by fact key. */
function factLines(card: unknown, key: string): string[] {
  const container = (card as { body: Array<{ id?: string }> }).body.find((e) => e.id === `fact-${key}`);
  expect(container, `no fact ${key}`).toBeDefined();
  return textsIn(container).filter((t) => t.holder === 'TextRun' && t.text !== '\n').map((t) => t.text);
}

describe('a mixed request on the card', () => {
  const mixed = targetsRequest([policyTarget, standardTarget, resourceGroupTarget]);
  const review = reviewCard(mixed, { requestId: mixed.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }, bounds);

  it('the review card shows per target which mechanism and where, and the count of a scope-wide target', () => {
    expect(factLines(review, EXEMPTIONS_FACT)).toEqual([
      `Azure Policy exemption at ${STORAGE} under assignment Microsoft cloud security benchmark (${POLICY_ASSIGNMENT}) [storageAccountsShouldRestrictNetworkAccess, secondRef]`,
      `Defender standard assignment (Exempt) at ${VM} for standard Microsoft cloud security benchmark (Defender) (${STANDARD_ID}), via ${STANDARD_ASSIGNMENT}`,
      `The whole resource group ${RG}: covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`,
      `Defender standard assignment (Exempt) at the whole resource group ${RG} for standard Microsoft cloud security benchmark (Defender) (${STANDARD_ID}), via ${STANDARD_ASSIGNMENT}`,
    ]);
    expect(factLines(review, 'resources')[2]).toBe(`${RG}: whole resource group, covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`);
    expect(JSON.stringify(review)).not.toContain('fact-assignments');
  });

  it('the status card names the mechanism of each created exemption', () => {
    const applied = appliedMixedRequest();
    expect(factLines(statusCard(applied), 'exemptions')).toEqual(applied.exemptions.map(createdExemptionLine));
    expect(factLines(statusCard(applied), EXEMPTIONS_FACT)).toHaveLength(2);
  });

  it('a standard\'s names and ids go only into TextRuns', () => {
    const hostile = targetsRequest([{ resourceId: VM, assignments: [], standards: [{ assignedStandardId: STANDARD_ID, displayName: `**MCSB** [x](https://evil.example/) ${SCRIPT_TAG}`, standardAssignmentId: STANDARD_ASSIGNMENT }] }]);
    const texts = textsIn(reviewCard(hostile, { requestId: hostile.id, cardId: 'c' }, bounds));
    for (const t of texts.filter((x) => /evil|\*\*|<script/.test(x.text))) expect(t.holder).toBe('TextRun');
    expect(texts.some((t) => t.holder === 'TextRun' && t.text.includes('**MCSB** [x](https://evil.example/)'))).toBe(true);
  });
});

describe('a request stored before standards existed', () => {
  it('gives the same review and status cards as one with none', () => {
    const [old, now] = oldAndNowPolicyRequests();
    const ids = { requestId: old.id, cardId: 'c' };
    expect(reviewCard(old, ids, bounds)).toEqual(reviewCard(now, ids, bounds));
    expect(statusCard(old)).toEqual(statusCard(now));
    expect(JSON.stringify(statusCard(old))).not.toMatch(/standard|whole resource group|undefined/i);
  });
});

describe('a burst of many resources on a card', () => {
  // Teams counts a bot message as UTF-16 and refuses one over 40 KB (the lower of Microsoft's two
  // published limits); the card leaves room for the activity around it.
  const CARD_BYTES = 36 * 1024;
  const longId = (i: number) => `${RG}/providers/Microsoft.Compute/virtualMachines/vm-${String(i).padStart(3, '0')}`.padEnd(1024, 'x');
  const targets = Array.from({ length: 100 }, (_, i) => ({
    resourceId: longId(i),
    assignments: [policyTarget.assignments[0]!, { ...policyTarget.assignments[0]!, policyAssignmentId: `${POLICY_ASSIGNMENT}-${i}` }],
  }));
  const burst = targetsRequest(targets);
  const applied = {
    ...burst, state: 'applied' as const,
    exemptions: targets.flatMap((t) => t.assignments.map((a, n) => ({ id: `${t.resourceId}/providers/Microsoft.Authorization/policyExemptions/eb-${n}`, resourceId: t.resourceId, policyAssignmentId: a.policyAssignmentId }))),
  };
  const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf16le');

  it('keeps the review card and the status card small enough for Teams, with 100 resources at the longest ids', () => {
    expect(bytes(reviewCard(burst, { requestId: burst.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }, bounds))).toBeLessThan(CARD_BYTES);
    expect(bytes(statusCard(applied))).toBeLessThan(CARD_BYTES);
  });

  it('says how many it left out, and where all of them are listed', () => {
    const texts = textsIn(statusCard(applied)).map((t) => t.text);
    expect(texts.some((t) => /^… and \d+ more \(100 in all\): the review e-mail and the review page list every one\.$/.test(t))).toBe(true);
    expect(texts.some((t) => /^… and \d+ more \(200 in all\)/.test(t))).toBe(true);
  });

  it('lists a few resources in full', () => {
    const few = targetsRequest(targets.slice(0, 2).map((t, i) => ({ ...t, resourceId: `${RG}/providers/Microsoft.Compute/virtualMachines/vm-${i}` })));
    const texts = textsIn(reviewCard(few, { requestId: few.id, cardId: '3b0d6c1e-8a4f-4e2b-9c7d-5f1a2e3b4c5d' }, bounds)).map((t) => t.text);
    expect(texts.some((t) => t.includes(' more ('))).toBe(false);
    expect(texts.filter((t) => t.startsWith(`${RG}/providers/Microsoft.Compute/virtualMachines/vm-`))).toHaveLength(2);
  });
});
