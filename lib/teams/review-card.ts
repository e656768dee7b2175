import {
  AdaptiveCard, ChoiceSetInput, Container, DateInput, ExecuteAction, OpenUrlAction, TextBlock, TextInput,
  type IAdaptiveCard,
} from '@microsoft/teams.cards';
import { isoDate } from '../render/format.js';
import { createdExemptionLine, decisionFacts, requestFacts, type Fact } from '../render/request-facts.js';
import { EXEMPTION_CATEGORIES, type ExemptionRequest } from '../requests/model.js';
import { REQUEST_LIMITS } from '../requests/request-size.js';
import { LITERAL_MAX, literalBlock } from './card-text.js';

/** What a click carries back, besides the inputs: which request, and the card's own id. */
export interface CardActionData {
  readonly requestId: string;
  readonly cardId: string;
}

export const VERBS = ['approve', 'reject'] as const;

/** The card a channel or an approver gets when a request is notified: the facts, inputs, Approve and Reject. */
export function reviewCard(request: ExemptionRequest, card: CardActionData, bounds: { readonly today: string; readonly maxExpiresOn: string }): IAdaptiveCard {
  const data = { requestId: request.id, cardId: card.cardId };
  return base(request, 'Exemption request: review needed')
    .withBody(
      ...header(request, 'Exemption request: review needed'),
      ...facts(requestFacts(request)),
      new ChoiceSetInput(...EXEMPTION_CATEGORIES.map((c) => ({ title: c, value: c })))
        .withId('category').withLabel('Category').withValue(request.category).withIsRequired(true),
      new DateInput({ id: 'expiresOn', label: 'Expires on (UTC)', value: isoDate(request.expiresOn), min: bounds.today, max: isoDate(bounds.maxExpiresOn), isRequired: true }),
      new TextInput({ id: 'comment', label: 'Comment', isMultiline: true, maxLength: REQUEST_LIMITS.commentLength }),
    )
    .withActions(
      new ExecuteAction({ title: 'Approve', verb: 'approve', data, style: 'positive', associatedInputs: 'auto' }),
      new ExecuteAction({ title: 'Reject', verb: 'reject', data, style: 'destructive', associatedInputs: 'auto' }),
    );
}

const HEADLINES: Partial<Record<ExemptionRequest['state'], string>> = {
  approved: 'Exemption request: approved',
  rejected: 'Exemption request: rejected',
  applying: 'Exemption request: approved, creating the exemptions',
  applied: 'Exemption request: applied',
  failed: 'Exemption request: approved, but creating the exemptions failed',
  expiring: 'Exemption: expiring soon',
  expired: 'Exemption: expired',
  revoked: 'Exemption: gone from Azure (revoked)',
  removed: 'Exemption: removed',
  cancelled: 'Exemption request: cancelled',
  timedOut: 'Exemption request: timed out',
};

/** The card that replaces the review card once the request has moved on: no inputs, no buttons. */
export function statusCard(request: ExemptionRequest, detail?: string, state: ExemptionRequest['state'] = request.state): IAdaptiveCard {
  const headline = HEADLINES[state] ?? `Exemption request: ${state}`;
  const verb = request.decision?.outcome === 'rejected' ? 'Rejected' : 'Approved';
  const extra: Fact[] = [];
  if (request.exemptions.length > 0) extra.push({ key: 'exemptions', label: 'Exemptions', value: request.exemptions.map(createdExemptionLine) });
  if (request.state === 'failed' && request.lastError) {
    extra.push({ key: 'error', label: 'Azure said', value: `${request.lastError.status} ${request.lastError.code}: ${request.lastError.message}` });
  }
  if (detail) extra.push({ key: 'detail', label: 'Detail', value: detail });
  return base(request, headline).withBody(
    ...header(request, headline),
    ...facts([...decisionFacts(request, verb), ...extra, ...requestFacts(request)]),
  );
}

function base(request: ExemptionRequest, headline: string): AdaptiveCard {
  const card = new AdaptiveCard().withVersion('1.5').withFallbackText(headline);
  const link = requestFacts(request).find((f) => f.href)?.href;
  // Only a portal link that portalLink() checked, never the request's raw text.
  return link ? card.withActions(new OpenUrlAction(link, { title: 'Open the recommendation' })) : card;
}

function header(request: ExemptionRequest, headline: string) {
  return [
    new TextBlock(headline, { size: 'Large', weight: 'Bolder', wrap: true }),
    new TextBlock(`Request ${request.id}`, { isSubtle: true, wrap: true }),
  ];
}

const MULTILINE = new Set(['justification', 'comment', 'error', 'detail']);

/**
 * Characters one list fact (resources, what they are exempted through, created exemptions) may take on a
 * card. Teams answers 413 MessageSizeTooBig to a bot message over its limit, counted as UTF-16 (40 KB in
 * Microsoft's earlier note, 100 KB in the current one), and a blade burst can hold 100 resources: listed
 * in full, 16 already make a 20,000-character card. Past the budget the card says how many it left out
 * and where every one is listed; what an approver decides on the card is the whole request, bound by its digest.
 */
export const CARD_LIST_BUDGET = 1_600;

export function cardLines(lines: readonly string[], budget = CARD_LIST_BUDGET): string[] {
  const shown: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = Math.min(line.length, LITERAL_MAX);
    if (shown.length > 0 && used + cost > budget) break;
    shown.push(line);
    used += cost;
  }
  const left = lines.length - shown.length;
  return left === 0 ? shown : [...shown, `… and ${left} more (${lines.length} in all): the review e-mail and the review page list every one.`];
}

function facts(list: readonly Fact[]) {
  return list.map((fact) => new Container(
    new TextBlock(fact.label, { weight: 'Bolder', wrap: true, spacing: 'Small' }),
    literalBlock(typeof fact.value === 'string' ? [fact.value] : cardLines(fact.value), { multiline: MULTILINE.has(fact.key) }),
    ...(fact.note ? [literalBlock([fact.note], { subtle: true })] : []),
  ).withId(`fact-${fact.key}`));
}
