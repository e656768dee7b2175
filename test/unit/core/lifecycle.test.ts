import { describe, expect, it } from 'vitest';
import { annotate, canTransition, IllegalTransitionError, transition } from '../../../lib/requests/lifecycle.js';
import { REQUEST_STATES, type RequestState } from '../../../lib/requests/model.js';
import { sampleRequest } from '../../support/sample-request.js';

const AT = new Date('2026-11-02T10:15:30.000Z');

/** The lifecycle as DESIGN.md draws it. */
const LEGAL: readonly (readonly [RequestState, RequestState])[] = [
  ['received', 'notified'],
  ['notified', 'approved'],
  ['notified', 'rejected'],
  ['notified', 'cancelled'],
  ['notified', 'timedOut'],
  ['approved', 'applying'],
  ['applying', 'applied'],
  ['applying', 'failed'],
  ['failed', 'applying'],
  ['applied', 'expiring'],
  ['expiring', 'expired'],
  ['expired', 'removed'],
  ['applied', 'revoked'],
  ['applied', 'renewed'],
  ['expiring', 'renewed'],
  ['expired', 'renewed'],
];

const ILLEGAL: readonly (readonly [RequestState, RequestState])[] = [
  ['rejected', 'approved'],
  ['applied', 'approved'],
  ['received', 'applied'],
  ['received', 'applying'],
  ['notified', 'applying'],
  ['approved', 'rejected'],
  ['approved', 'approved'],
  ['rejected', 'rejected'],
  ['notified', 'received'],
  ['cancelled', 'notified'],
  ['timedOut', 'approved'],
  ['failed', 'applied'],
  ['applied', 'applying'],
  ['expired', 'applied'],
  ['removed', 'applied'],
  ['revoked', 'applied'],
  ['applying', 'approved'],
  ['renewed', 'applied'],
  ['renewed', 'renewed'],
  ['revoked', 'renewed'],
  ['removed', 'renewed'],
  ['notified', 'renewed'],
  ['failed', 'renewed'],
];

const TERMINAL: readonly RequestState[] = ['rejected', 'cancelled', 'timedOut', 'removed', 'revoked', 'renewed'];

describe('transition: legal moves', () => {
  it.each(LEGAL)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    const before = sampleRequest({ state: from });
    const { request, audit } = transition(before, { to, actor: 'someone@contoso.com', channel: 'api', at: AT });
    expect(request.state).toBe(to);
    expect(audit.from).toBe(from);
    expect(audit.to).toBe(to);
  });
});

describe('transition: illegal moves', () => {
  it.each(ILLEGAL)('refuses %s → %s with IllegalTransitionError', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    const request = sampleRequest({ id: 'req-illegal', state: from });
    let thrown: unknown;
    try {
      transition(request, { to, actor: 'someone@contoso.com', channel: 'api', at: AT });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IllegalTransitionError);
    const error = thrown as IllegalTransitionError;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('IllegalTransitionError');
    expect(error.requestId).toBe('req-illegal');
    expect(error.from).toBe(from);
    expect(error.to).toBe(to);
    expect(error.message).toContain('req-illegal');
    expect(error.message).toContain(from);
    expect(error.message).toContain(to);
  });

  it.each(TERMINAL)('leaves %s with no way out', (from) => {
    for (const to of REQUEST_STATES) {
      expect(canTransition(from, to), `${from} → ${to}`).toBe(false);
    }
  });

  it('does not let a second approval through once a request is approved (first writer wins)', () => {
    const notified = sampleRequest({ state: 'notified' });
    const first = transition(notified, { to: 'approved', actor: 'a@contoso.com', channel: 'review-page', at: AT });
    expect(() => transition(first.request, { to: 'approved', actor: 'b@contoso.com', channel: 'api', at: AT }))
      .toThrow(IllegalTransitionError);
    expect(() => transition(first.request, { to: 'rejected', actor: 'b@contoso.com', channel: 'api', at: AT }))
      .toThrow(IllegalTransitionError);
  });
});

describe('transition: audit entry and new request', () => {
  it('records who, when, through which channel, from what and to what', () => {
    const before = sampleRequest({ id: 'req-audit', state: 'notified' });
    const { audit } = transition(before, {
      to: 'approved', actor: 'approver@contoso.com', channel: 'review-page', at: AT, detail: 'looks fine',
    });
    expect(audit).toEqual({
      requestId: 'req-audit',
      at: '2026-11-02T10:15:30.000Z',
      actor: 'approver@contoso.com',
      channel: 'review-page',
      action: 'approved',
      from: 'notified',
      to: 'approved',
      detail: 'looks fine',
    });
  });

  it('uses the given action instead of the target state when one is named', () => {
    const before = sampleRequest({ state: 'failed' });
    const { audit } = transition(before, { to: 'applying', actor: 'apply-worker', channel: 'apply-worker', at: AT, action: 'retry' });
    expect(audit.action).toBe('retry');
    expect(audit.from).toBe('failed');
    expect(audit.to).toBe('applying');
  });

  it('leaves detail out of the audit entry when none is given', () => {
    const { audit } = transition(sampleRequest({ state: 'received' }), { to: 'notified', actor: 'notify-worker', channel: 'notify-worker', at: AT });
    expect(Object.keys(audit)).not.toContain('detail');
  });

  it('sets the new state and updatedAt, applies changes and keeps id and createdAt', () => {
    const before = sampleRequest({ id: 'req-keep', state: 'notified' });
    const decision = { outcome: 'approved' as const, by: 'approver@contoso.com', at: AT.toISOString(), channel: 'api' as const };
    const { request } = transition(before, {
      to: 'approved', actor: 'approver@contoso.com', channel: 'api', at: AT, changes: { decision },
    });
    expect(request.state).toBe('approved');
    expect(request.updatedAt).toBe('2026-11-02T10:15:30.000Z');
    expect(request.decision).toEqual(decision);
    expect(request.id).toBe('req-keep');
    expect(request.createdAt).toBe(before.createdAt);
    expect(request.justification).toBe(before.justification);
  });

  it('does not modify the request it was given', () => {
    const before = sampleRequest({ state: 'notified' });
    const snapshot = structuredClone(before);
    transition(before, { to: 'rejected', actor: 'approver@contoso.com', channel: 'api', at: AT });
    expect(before).toEqual(snapshot);
  });
});

describe('annotate', () => {
  it('keeps the state and records the action without from/to', () => {
    const before = sampleRequest({ id: 'req-note', state: 'received' });
    const { request, audit } = annotate(before, {
      actor: 'notify-worker', channel: 'notify-worker', at: AT, action: 'approvers-found', detail: '2 contacts',
      changes: { approvers: ['a@contoso.com', 'b@contoso.com'] },
    });
    expect(request.state).toBe('received');
    expect(request.approvers).toEqual(['a@contoso.com', 'b@contoso.com']);
    expect(request.updatedAt).toBe('2026-11-02T10:15:30.000Z');
    expect(audit).toEqual({
      requestId: 'req-note',
      at: '2026-11-02T10:15:30.000Z',
      actor: 'notify-worker',
      channel: 'notify-worker',
      action: 'approvers-found',
      detail: '2 contacts',
    });
  });

  it('works in a terminal state, where no transition is possible', () => {
    const { request, audit } = annotate(sampleRequest({ state: 'rejected' }), {
      actor: 'sweep', channel: 'api', at: AT, action: 'note',
    });
    expect(request.state).toBe('rejected');
    expect(audit.action).toBe('note');
    expect(Object.keys(audit)).not.toContain('detail');
    expect(audit.from).toBeUndefined();
    expect(audit.to).toBeUndefined();
  });
});
