import { isKeyword, KEYWORD } from '../azure/arm-id-grammar.js';
import type { RequesterAssurance } from '../requests/identity.js';
import type {
  CreatedExemption, ExemptionMechanism, ExemptionRequest, ExemptionTarget, ScopeCoverage,
} from '../requests/model.js';
import { formatUtc } from './format.js';
import { portalLink } from './portal-link.js';

/**
 * The facts of a request, built once for every place a person reads them: the review page, the
 * e-mails, the Teams card and the ticket notes. Values are the request's own (user-supplied) text; each renderer
 * escapes them for its medium.
 */
export interface Fact {
  /** Stable name of the fact, for test ids and card fields. */
  readonly key: string;
  readonly label: string;
  /** Several values are shown one per line. */
  readonly value: string | readonly string[];
  /** Only ever a checked portal link or a URL we built. */
  readonly href?: string;
  /** A qualifier shown beside the value, such as how far the requester's identity was checked. */
  readonly note?: string;
}

const ASSURANCE_NOTE: Readonly<Record<RequesterAssurance, string>> = {
  authenticated: 'signed in: App Service authentication vouched for this identity',
  asserted: 'asserted by the caller: nothing verified this address',
  relay: 'forwarded by the Defender relay: the portal does not say who asked',
};

/** Requests stored before the assurance was recorded came from callers that were never verified. */
export function requesterAssurance(request: ExemptionRequest): RequesterAssurance {
  return request.requesterAssurance ?? 'asserted';
}

export function requesterNote(request: ExemptionRequest): string {
  return ASSURANCE_NOTE[requesterAssurance(request)];
}

export type ScopeKind = 'resource' | 'resourceGroup' | 'subscription';

/** Where exemptions are written: a target's id, and how much it spans. */
export interface ExemptionScope {
  readonly id: string;
  readonly kind: ScopeKind;
  /** "resource", "whole resource group", "whole subscription". */
  readonly label: string;
}

/** One exemption that approving the request writes (or wrote). */
export interface ExemptionToWrite {
  readonly mechanism: ExemptionMechanism;
  /** "Azure Policy exemption" or "Defender standard assignment (Exempt)". */
  readonly mechanismLabel: string;
  /** What the scope is exempted from: the policy assignment, or the Defender security standard. */
  readonly from: { readonly id: string; readonly displayName?: string };
  /** Policy: the initiative's policy definition reference ids; empty when the assignment is of one policy. */
  readonly referenceIds: readonly string[];
  /** Standard: the standard assignment at or above the scope through which the standard applies. */
  readonly via?: string;
  /** All of the above as one sentence, for the plain-text channels. */
  readonly line: string;
}

/** Per target: where, how far it reaches today, and each exemption written there. */
export interface TargetExemptions {
  readonly scope: ExemptionScope;
  /** Set on a scope-wide target whose resources were counted at request time. */
  readonly coverage?: ScopeCoverage;
  /** Scope-wide targets only: the count said plainly, or that it is unknown. */
  readonly coverageLine?: string;
  readonly exemptions: readonly ExemptionToWrite[];
}

const SCOPE_LABEL: Readonly<Record<ScopeKind, string>> = {
  resource: 'resource',
  resourceGroup: 'whole resource group',
  subscription: 'whole subscription',
};

export const MECHANISM_LABEL: Readonly<Record<ExemptionMechanism, string>> = {
  policy: 'Azure Policy exemption',
  standard: 'Defender standard assignment (Exempt)',
};

/**
 * From the id's shape alone, not the intake's grammar: a stored id that a stricter grammar would now
 * refuse must still be shown for what it spans.
 */
export function scopeKind(id: string): ScopeKind {
  const segments = id.split('/').filter(Boolean);
  if (!isKeyword(segments[0], KEYWORD.subscriptions)) return 'resource';
  if (segments.length === 2) return 'subscription';
  if (segments.length === 4 && isKeyword(segments[2], KEYWORD.resourceGroups)) return 'resourceGroup';
  return 'resource';
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC", or that nobody counted. */
export function coverageLine(coverage: ScopeCoverage | undefined): string {
  if (!coverage) return 'Covers an unknown number of resources (no count was recorded)';
  // Past the count's page limit the numbers are lower bounds, and the approver must not read them as exact.
  const atLeast = coverage.partial ? 'at least ' : '';
  return `Covers ${atLeast}${plural(coverage.resources, 'resource', 'resources')} today (${atLeast}${coverage.unhealthy} currently unhealthy), counted ${formatUtc(coverage.countedAt)}`;
}

function scopeText(scope: ExemptionScope): string {
  return scope.kind === 'resource' ? scope.id : `the ${scope.label} ${scope.id}`;
}

function named(from: { readonly id: string; readonly displayName?: string }): string {
  return from.displayName ? `${from.displayName} (${from.id})` : from.id;
}

function toWrite(target: ExemptionTarget, scope: ExemptionScope): ExemptionToWrite[] {
  const at = scopeText(scope);
  const policies = target.assignments.map((a): ExemptionToWrite => {
    const from = { id: a.policyAssignmentId, ...(a.displayName ? { displayName: a.displayName } : {}) };
    const refs = a.policyDefinitionReferenceIds.length ? ` [${a.policyDefinitionReferenceIds.join(', ')}]` : ' [whole assignment]';
    return {
      mechanism: 'policy', mechanismLabel: MECHANISM_LABEL.policy, from, referenceIds: a.policyDefinitionReferenceIds,
      line: `${MECHANISM_LABEL.policy} at ${at} under assignment ${named(from)}${refs}`,
    };
  });
  // Requests stored before standards existed have none: absent means what it meant then.
  const standards = (target.standards ?? []).map((s): ExemptionToWrite => {
    const from = { id: s.assignedStandardId, ...(s.displayName ? { displayName: s.displayName } : {}) };
    return {
      mechanism: 'standard', mechanismLabel: MECHANISM_LABEL.standard, from, referenceIds: [], via: s.standardAssignmentId,
      line: `${MECHANISM_LABEL.standard} at ${at} for standard ${named(from)}, via ${s.standardAssignmentId}`,
    };
  });
  return [...policies, ...standards];
}

/** The exemptions approving the request writes, per target: every channel shows what and where from this. */
export function targetExemptions(request: ExemptionRequest): TargetExemptions[] {
  return request.targets.map((target) => {
    const kind = scopeKind(target.resourceId);
    const scope: ExemptionScope = { id: target.resourceId, kind, label: SCOPE_LABEL[kind] };
    return {
      scope,
      ...(target.coverage ? { coverage: target.coverage } : {}),
      ...(kind === 'resource' ? {} : { coverageLine: coverageLine(target.coverage) }),
      exemptions: toWrite(target, scope),
    };
  });
}

/** The mechanisms a request uses, in a fixed order; empty while nothing is resolved. */
export function mechanismsOf(request: ExemptionRequest): ExemptionMechanism[] {
  const used = new Set(targetExemptions(request).flatMap((t) => t.exemptions.map((e) => e.mechanism)));
  return (['policy', 'standard'] as const).filter((m) => used.has(m));
}

/** The targets that exempt more than one resource, each with its count: what an approver must not miss. */
export function scopeWideLines(request: ExemptionRequest): string[] {
  return targetExemptions(request).flatMap((t) => (t.coverageLine ? [`The ${t.scope.label} ${t.scope.id}. ${t.coverageLine}.`] : []));
}

export const EXEMPTIONS_FACT = 'exempted-through';

/** The exemptions to write, one line each, for channels that show text. */
export function exemptionsFact(request: ExemptionRequest): Fact {
  const lines = targetExemptions(request).flatMap((t) => [
    ...(t.coverageLine ? [`The ${t.scope.label} ${t.scope.id}: ${lowerFirst(t.coverageLine)}`] : []),
    ...(t.exemptions.length ? t.exemptions.map((e) => e.line) : [`Nothing resolved yet at ${scopeText(t.scope)}`]),
  ]);
  return { key: EXEMPTIONS_FACT, label: 'Exempted through', value: lines };
}

/** A created exemption, with its mechanism; those stored before `kind` existed are policy exemptions. */
export function createdExemptionLine(created: CreatedExemption): string {
  return created.kind === 'standard'
    ? `${created.id} (${MECHANISM_LABEL.standard}, standard ${created.assignedStandardId})`
    : `${created.id} (${MECHANISM_LABEL.policy}, assignment ${created.policyAssignmentId})`;
}

function resourcesValue(request: ExemptionRequest): string[] {
  return targetExemptions(request).map((t) => (t.coverageLine ? `${t.scope.id}: ${t.scope.label}, ${lowerFirst(t.coverageLine)}` : t.scope.id));
}

export function requestFacts(request: ExemptionRequest): Fact[] {
  const rec = request.recommendation;
  const link = portalLink(rec.portalLink);
  return [
    { key: 'resources', label: request.targets.length > 1 ? 'Resources' : 'Resource', value: resourcesValue(request) },
    { key: 'recommendation', label: 'Recommendation', value: rec.displayName, ...(link ? { href: link } : {}) },
    ...(rec.severity ? [{ key: 'severity', label: 'Severity', value: rec.severity }] : []),
    exemptionsFact(request),
    { key: 'requestedBy', label: 'Requested by', value: request.requestedBy, note: requesterNote(request) },
    { key: 'justification', label: 'Justification', value: request.justification },
    { key: 'requested-category', label: 'Category', value: request.category },
    { key: 'requested-expiresOn', label: 'Expires', value: formatUtc(request.expiresOn) },
    ...(request.ticketRef ? [{ key: 'ticketRef', label: 'Ticket', value: request.ticketRef }] : []),
    ...(request.renewalOf ? [{ key: 'renewalOf', label: 'Renews', value: `request ${request.renewalOf.requestId} (its exemptions are extended in place)` }] : []),
  ];
}

export function decisionFacts(request: ExemptionRequest, verb: string): Fact[] {
  const decision = request.decision;
  if (!decision) return [];
  return [
    { key: 'decidedBy', label: `${verb} by`, value: decision.by },
    { key: 'decidedOn', label: `${verb} on`, value: formatUtc(decision.at) },
    ...(decision.comment ? [{ key: 'comment', label: 'Comment', value: decision.comment }] : []),
  ];
}
