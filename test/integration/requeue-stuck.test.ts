import functions, { type TimerHandler } from '@azure/functions';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_NAMES } from '../../lib/config/settings-catalog.js';
import { SEED } from '../sim/seed-ids.js';
import { printHostLogOnFailure, startAppUnderTest, type AppUnderTest } from '../support/app-under-test.js';
import { notifiedRequest } from '../support/notified-request.js';
import { eventually, openReview, reviewLinkIn, submitReview } from '../support/review-flow.js';

// The package is CommonJS; under Node's ESM loader its classes are reachable only through the default export.
const { InvocationContext } = functions;

const MINUTE = 60_000;
/** The app's clock: the test moves it instead of waiting for minutes to pass. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

let app: AppUnderTest;
let applyQueue: QueueClient;
printHostLogOnFailure(() => app);

beforeAll(async () => {
  // The schedule (1 January) never fires during the test: the test runs the registered timer itself.
  app = await startAppUnderTest({ REQUEUE_STUCK_SCHEDULE: '0 0 0 1 1 *', REQUEUE_STUCK_AFTER_MINUTES: '10' }, { clock });
  applyQueue = new QueueClient(app.azurite.connectionString, STORAGE_NAMES.applyQueue);
});
afterAll(async () => app?.close());

const APPROVER = SEED.contactEmails[SEED.subscriptions.production]![1]!;

async function approve(id: string) {
  const mail = app.sim.smtp.messages().find((m) => m.text.includes(id) && m.to.includes(APPROVER))!;
  return submitReview(app.baseUrl, await openReview(reviewLinkIn(mail)), { decision: 'approve' });
}

/** One run of the timer function the host registered, as the host's timer trigger calls it. */
async function runTimer(): Promise<string> {
  const timer = app.host.functions.find((f) => f.kind === 'timer' && f.name === 'requeueStuck');
  if (timer?.kind !== 'timer') throw new Error('requeueStuck is not registered');
  const lines: string[] = [];
  const context = new InvocationContext({ functionName: timer.name, logHandler: (_level, ...args) => lines.push(args.map(String).join(' ')) });
  const now = new Date().toISOString();
  await (timer.handler as TimerHandler)({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: now, next: now, lastUpdated: now } }, context);
  return lines.join('\n');
}

const stateOf = async (id: string) => (await app.get(`/api/exemption-requests/${id}`)).json;
const requeues = (request: { auditTrail: { action: string }[] }) => request.auditTrail.filter((e) => e.action === 'requeued');
const exemptionsOf = (id: string) => app.sim.exemptions().filter((e) => e.properties.metadata?.requestId === id);
/** Every message the apply queue was given has been handled (the pump deletes a message after its handler). */
const applyQueueDrained = () => eventually(async () => ((await applyQueue.getProperties()).approximateMessagesCount === 0 ? true : undefined), 'the apply queue to drain');

describe('approved requests whose apply message was lost', () => {
  let stuck: string;
  let recent: string;

  beforeAll(async () => {
    const warmUp = await notifiedRequest(app, { resourceId: SEED.twoAssignments.resourceId, assessmentKey: SEED.twoAssignments.assessmentKey });
    stuck = (await notifiedRequest(app, { resourceId: SEED.initiativeAndDirect.resourceId, assessmentKey: SEED.initiativeAndDirect.assessmentKey })).id;
    recent = (await notifiedRequest(app, { resourceId: SEED.resources.storageProd, assessmentKey: SEED.assessmentKeys.storageNetwork })).id;
    // A normal approval first, so the app has sent to the apply queue once and holds its client.
    expect((await approve(warmUp.id)).status).toBe(200);
    expect((await app.waitForState(warmUp.id, ['applied', 'failed'])).state).toBe('applied');
    await applyQueueDrained();

    // The queue is unavailable while two decisions are stored: their apply messages are lost.
    await applyQueue.delete();
    clock.offsetMs = -30 * MINUTE;
    // The decision stands and the page says so: the exemptions will be created by a later retry.
    const answers = [await approve(stuck)];
    clock.offsetMs = 0;
    answers.push(await approve(recent));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.html).toMatch(/could not be started just now[^<]*retried automatically/);
    }
    await applyQueue.create();
    for (const id of [stuck, recent]) expect((await stateOf(id)).state).toBe('approved');
  });

  it('the timer sends the apply message again for one idle past the threshold, and it gets applied', async () => {
    expect(await runTimer()).toBe(`requeued 1 stuck request(s): ${stuck}`);
    const applied = await app.waitForState(stuck, ['applied', 'failed']);
    expect(applied.state).toBe('applied');
    expect(exemptionsOf(stuck)).toHaveLength(2);
    // Audit entries sort by time, and the approval was stored with the clock set back: it sorts early.
    expect(applied.auditTrail.map((e: { action: string }) => e.action).slice(-3)).toEqual(['requeued', 'applying', 'applied']);
    expect(requeues(applied)).toEqual([expect.objectContaining({ actor: 'system', channel: 'requeue-timer' })]);
  });

  it('leaves a recently approved one alone', async () => {
    const request = await stateOf(recent);
    expect(request.state).toBe('approved');
    expect(requeues(request)).toEqual([]);
    expect(exemptionsOf(recent)).toHaveLength(0);
  });

  it('does not requeue again in a later run what it just requeued', async () => {
    expect(await runTimer()).toBe('requeued 0 stuck request(s)');
    expect(requeues(await stateOf(stuck))).toHaveLength(1);
  });

  it('of two overlapping runs, one requeues: one audit entry and one apply message', async () => {
    clock.offsetMs = 30 * MINUTE; // now the recent one has been idle long enough too
    const logs = await Promise.all([runTimer(), runTimer()]);
    expect(logs.filter((line) => line.startsWith(`requeued 1 stuck request(s): ${recent}`))).toHaveLength(1);
    expect(logs.filter((line) => line.startsWith('requeued 0 stuck request(s)'))).toHaveLength(1);
    expect((await app.waitForState(recent, ['applied', 'failed'])).state).toBe('applied');
    await applyQueueDrained();
    expect(requeues(await stateOf(recent))).toHaveLength(1);
    expect(app.logs.filter((line) => line.startsWith('[applyWorker]') && line.includes(`request ${recent}:`))).toEqual([
      expect.stringContaining(`request ${recent}: applied`),
    ]);
  });
});
