import { describe, expect, it } from 'vitest';
import type { RequestEventKind } from '../../../lib/notify/request-event.js';
import { createdExemptionLine, targetExemptions } from '../../../lib/render/request-facts.js';
import type { ExemptionRequest } from '../../../lib/requests/model.js';
import { adf } from '../../../lib/tickets/jira-writer.js';
import { inert } from '../../../lib/tickets/servicenow-writer.js';
import { noteFor } from '../../../lib/tickets/ticket-notes.js';
import {
  appliedMixedRequest, oldAndNowPolicyRequests, policyTarget, resourceGroupTarget, RG, STANDARD_ASSIGNMENT, STANDARD_ID, standardTarget, targetsRequest, VM,
} from '../../support/mechanism-requests.js';

const BASE = 'https://broker.example.net';
const note = (request: ExemptionRequest, event: RequestEventKind) => noteFor(request, { kind: 'request-event', requestId: request.id, event }, BASE);

describe('the ticket notes of a mixed request', () => {
  const mixed = targetsRequest([policyTarget, standardTarget, resourceGroupTarget]);

  it('the first note lists each exemption to write on its own line, with its mechanism, where, and the scope-wide count', () => {
    const lines = note(mixed, 'notified')!.lines;
    const [policy, standard, group] = targetExemptions(mixed);
    expect(lines.filter((l) => l.startsWith('Exempted through: '))).toEqual([
      `Exempted through: ${policy!.exemptions[0]!.line}`,
      `Exempted through: ${standard!.exemptions[0]!.line}`,
      `Exempted through: The whole resource group ${RG}: covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`,
      `Exempted through: ${group!.exemptions[0]!.line}`,
    ]);
    expect(lines).toContain(`Resources: ${policyTarget.resourceId}, ${VM}, ${RG}: whole resource group, covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`);
    // One Jira bullet per exemption.
    const bullets = adf(note(mixed, 'notified')!).content[1] as { content: unknown[] };
    expect(bullets.content).toHaveLength(lines.length);
  });

  it('the applied note names both kinds in its heading and the mechanism of each created exemption', () => {
    const applied = appliedMixedRequest();
    const written = note(applied, 'applied')!;
    expect(written.heading).toBe(`The policy exemptions and Defender standard-assignment exemptions for request ${applied.id} were created; they expire 2027-01-15 00:00 UTC.`);
    expect(written.lines).toEqual(applied.exemptions.map((e) => `Exemption: ${createdExemptionLine(e)}`));
    const standardOnly = { ...applied, targets: [standardTarget], exemptions: applied.exemptions.slice(1) };
    expect(note(standardOnly, 'applied')!.heading).toMatch(/^The Defender standard-assignment exemptions for request /);
  });

  it('a standard\'s name stays inert in a ServiceNow work note', () => {
    const hostile = targetsRequest([{ resourceId: VM, assignments: [], standards: [{ assignedStandardId: STANDARD_ID, displayName: '[code]<img src=x onerror=alert(1)>[/code]', standardAssignmentId: STANDARD_ASSIGNMENT }] }]);
    const written = note(hostile, 'notified')!;
    const workNote = inert([written.heading, ...written.lines].join('\n'));
    expect(workNote).toContain('<img src=x onerror=alert(1)>');
    expect(workNote).not.toMatch(/\[\/?code\]/i);
  });
});

describe('the ticket notes of a request stored before standards existed', () => {
  it.each(['notified', 'decided', 'applied', 'failed'] as const)('%s: the same as for one with none, in the wording it always had', (event) => {
    const [old, now] = oldAndNowPolicyRequests();
    expect(note(old, event)).toEqual(note(now, event));
    expect(JSON.stringify(note(old, event))).not.toMatch(/standard|whole resource group|undefined/i);
  });

  it('applied keeps its heading', () => {
    const [old] = oldAndNowPolicyRequests();
    expect(note(old, 'applied')!.heading).toBe(`The policy exemptions for request ${old.id} were created; they expire 2027-01-15 00:00 UTC.`);
  });
});
