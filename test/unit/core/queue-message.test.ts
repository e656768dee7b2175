import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dequeueCountOf, MAX_DEQUEUE_COUNT, readQueueMessage } from '../../../lib/queue/queue-message.js';

interface HostJson {
  extensions?: { queues?: { maxDequeueCount?: unknown; messageEncoding?: unknown } };
}

const hostJson = JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8')) as HostJson;

describe('readQueueMessage', () => {
  it('accepts a parsed object, as the host hands over JSON text', () => {
    expect(readQueueMessage({ kind: 'notify', requestId: 'req123' })).toEqual({ kind: 'notify', requestId: 'req123' });
    expect(readQueueMessage({ kind: 'apply', requestId: 'req123' })).toEqual({ kind: 'apply', requestId: 'req123' });
  });

  it('accepts the same message as a JSON string', () => {
    expect(readQueueMessage('{"kind":"apply","requestId":"req456"}')).toEqual({ kind: 'apply', requestId: 'req456' });
  });

  it.each([
    ['text that is not JSON', 'apply req456'],
    ['a Base64-encoded message (host.json says messageEncoding none)', Buffer.from('{"kind":"apply","requestId":"req456"}').toString('base64')],
    ['an unknown kind', { kind: 'delete', requestId: 'req123' }],
    ['a missing requestId', { kind: 'apply' }],
    ['an empty requestId', { kind: 'apply', requestId: '' }],
    ['a requestId longer than 64 characters', { kind: 'apply', requestId: 'x'.repeat(65) }],
    ['a numeric requestId', { kind: 'apply', requestId: 42 }],
    ['JSON null', 'null'],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an array', [{ kind: 'apply', requestId: 'req123' }]],
  ])('rejects %s', (_label, entry) => {
    expect(readQueueMessage(entry)).toBeUndefined();
  });
});

describe('dequeueCountOf', () => {
  it('reads the dequeue count from the trigger metadata', () => {
    expect(dequeueCountOf({ dequeueCount: 3 })).toBe(3);
    expect(dequeueCountOf({ dequeueCount: '4' })).toBe(4);
  });

  it('counts a first delivery when the metadata has no usable count', () => {
    expect(dequeueCountOf(undefined)).toBe(1);
    expect(dequeueCountOf({})).toBe(1);
    expect(dequeueCountOf({ dequeueCount: 'many' })).toBe(1);
    expect(dequeueCountOf({ dequeueCount: 0 })).toBe(1);
  });
});

describe('host.json queue settings', () => {
  it('gives up on a message after MAX_DEQUEUE_COUNT attempts, as the code assumes', () => {
    expect(hostJson.extensions?.queues?.maxDequeueCount).toBe(MAX_DEQUEUE_COUNT);
  });

  it('passes message bodies through unencoded', () => {
    expect(hostJson.extensions?.queues?.messageEncoding).toBe('none');
  });
});
