import { describe, expect, it } from 'vitest';
import { reviewCard, statusCard } from '../../../lib/teams/review-card.js';
import { textsIn } from '../../sim/teams/harness.js';
import { hostileRequest, IMG_BREAKOUT, SCRIPT_TAG } from '../../support/hostile-request.js';

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
