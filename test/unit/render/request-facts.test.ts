import { describe, expect, it } from 'vitest';
import {
  createdExemptionLine, EXEMPTIONS_FACT, exemptionsFact, mechanismsOf, requestFacts, scopeKind, scopeWideLines, targetExemptions,
} from '../../../lib/render/request-facts.js';
import type { CreatedExemption } from '../../../lib/requests/model.js';
import {
  appliedMixedRequest, AWS_EC2, awsTarget, AWS_STANDARD_ASSIGNMENT, oldAndNowPolicyRequests, POLICY_ASSIGNMENT, policyTarget, resourceGroupTarget, RG,
  STANDARD_ASSIGNMENT, STANDARD_ID, standardTarget, STORAGE, SUB, subscriptionTarget, targetsRequest, VM,
} from '../../support/mechanism-requests.js';

const factValue = (request: Parameters<typeof requestFacts>[0], key: string) => requestFacts(request).find((f) => f.key === key)?.value;

describe('the exemptions to write, per target', () => {
  it('policy only: one Azure Policy exemption per assignment at the resource, with its reference ids', () => {
    expect(targetExemptions(targetsRequest([policyTarget]))).toEqual([{
      scope: { id: STORAGE, kind: 'resource', label: 'resource' },
      exemptions: [{
        mechanism: 'policy', mechanismLabel: 'Azure Policy exemption',
        from: { id: POLICY_ASSIGNMENT, displayName: 'Microsoft cloud security benchmark' },
        referenceIds: ['storageAccountsShouldRestrictNetworkAccess', 'secondRef'],
        line: `Azure Policy exemption at ${STORAGE} under assignment Microsoft cloud security benchmark (${POLICY_ASSIGNMENT}) [storageAccountsShouldRestrictNetworkAccess, secondRef]`,
      }],
    }]);
  });

  it('standard only: one Exempt standard assignment per standard, saying which standard and through which assignment', () => {
    expect(targetExemptions(targetsRequest([standardTarget, awsTarget]))).toEqual([
      {
        scope: { id: VM, kind: 'resource', label: 'resource' },
        exemptions: [{
          mechanism: 'standard', mechanismLabel: 'Defender standard assignment (Exempt)',
          from: { id: STANDARD_ID, displayName: 'Microsoft cloud security benchmark (Defender)' }, referenceIds: [], via: STANDARD_ASSIGNMENT,
          line: `Defender standard assignment (Exempt) at ${VM} for standard Microsoft cloud security benchmark (Defender) (${STANDARD_ID}), via ${STANDARD_ASSIGNMENT}`,
        }],
      },
      {
        scope: { id: AWS_EC2, kind: 'resource', label: 'resource' },
        exemptions: [{
          mechanism: 'standard', mechanismLabel: 'Defender standard assignment (Exempt)', from: { id: STANDARD_ID }, referenceIds: [], via: AWS_STANDARD_ASSIGNMENT,
          line: `Defender standard assignment (Exempt) at ${AWS_EC2} for standard ${STANDARD_ID}, via ${AWS_STANDARD_ASSIGNMENT}`,
        }],
      },
    ]);
  });

  it('mixed: each target keeps its own mechanism, and a target carrying both lists both', () => {
    const both = { ...policyTarget, standards: standardTarget.standards };
    const request = targetsRequest([policyTarget, standardTarget, both]);
    expect(targetExemptions(request).map((t) => [t.scope.id, t.exemptions.map((e) => e.mechanism)])).toEqual([
      [STORAGE, ['policy']], [VM, ['standard']], [STORAGE, ['policy', 'standard']],
    ]);
    expect(mechanismsOf(request)).toEqual(['policy', 'standard']);
    expect(mechanismsOf(targetsRequest([standardTarget]))).toEqual(['standard']);
    expect(mechanismsOf(targetsRequest([{ resourceId: VM, assignments: [] }]))).toEqual([]);
  });

  it('scope-wide: says "whole resource group" or "whole subscription" and how many resources it covers today', () => {
    const [group, subscription] = targetExemptions(targetsRequest([resourceGroupTarget, subscriptionTarget]));
    expect(group).toMatchObject({
      scope: { id: RG, kind: 'resourceGroup', label: 'whole resource group' },
      coverage: resourceGroupTarget.coverage,
      coverageLine: 'Covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC',
    });
    expect(group!.exemptions[0]!.line).toContain(`Defender standard assignment (Exempt) at the whole resource group ${RG} for standard`);
    expect(subscription).toMatchObject({
      scope: { id: `/subscriptions/${SUB}`, kind: 'subscription', label: 'whole subscription' },
      coverageLine: 'Covers 1 resource today (0 currently unhealthy), counted 2026-12-01 10:00 UTC',
    });
    expect(subscription!.exemptions[0]!.line).toBe(`Azure Policy exemption at the whole subscription /subscriptions/${SUB} under assignment ${POLICY_ASSIGNMENT} [whole assignment]`);
    expect(scopeWideLines(targetsRequest([policyTarget, resourceGroupTarget]))).toEqual([
      `The whole resource group ${RG}. Covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC.`,
    ]);
  });

  it('a scope-wide target with no recorded count says so rather than showing none', () => {
    const [target] = targetExemptions(targetsRequest([{ resourceId: RG, assignments: policyTarget.assignments }]));
    expect(target!.scope.kind).toBe('resourceGroup');
    expect(target!.coverage).toBeUndefined();
    expect(target!.coverageLine).toBe('Covers an unknown number of resources (no count was recorded)');
  });

  it('a count cut short at its page limit is shown as a lower bound', () => {
    const coverage = { resources: 100_000, unhealthy: 40_000, countedAt: '2026-12-01T10:00:00.000Z', partial: true as const };
    const [target] = targetExemptions(targetsRequest([{ resourceId: RG, assignments: policyTarget.assignments, coverage }]));
    expect(target!.coverageLine).toBe('Covers at least 100000 resources today (at least 40000 currently unhealthy), counted 2026-12-01 10:00 UTC');
  });

  it('a resource target never carries a coverage line, so nothing scope-wide is said of it', () => {
    const request = targetsRequest([policyTarget, standardTarget, awsTarget]);
    expect(targetExemptions(request).every((t) => t.coverageLine === undefined)).toBe(true);
    expect(scopeWideLines(request)).toEqual([]);
  });

  it('reads the scope kind from the id\'s shape, keywords in any case', () => {
    expect(scopeKind(`/subscriptions/${SUB}`)).toBe('subscription');
    expect(scopeKind(`/SUBSCRIPTIONS/${SUB}/`)).toBe('subscription');
    expect(scopeKind(`/subscriptions/${SUB}/resourcegroups/rg`)).toBe('resourceGroup');
    expect(scopeKind(STORAGE)).toBe('resource');
    expect(scopeKind(AWS_EC2)).toBe('resource');
    expect(scopeKind(`/subscriptions/${SUB}/resourceGroups`)).toBe('resource');
  });
});

describe('the facts every channel shows', () => {
  it('carry the exemptions to write, a line per exemption and the count of a scope-wide target', () => {
    const request = targetsRequest([policyTarget, standardTarget, resourceGroupTarget]);
    expect(exemptionsFact(request).key).toBe(EXEMPTIONS_FACT);
    expect(factValue(request, EXEMPTIONS_FACT)).toEqual([
      targetExemptions(request)[0]!.exemptions[0]!.line,
      targetExemptions(request)[1]!.exemptions[0]!.line,
      `The whole resource group ${RG}: covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`,
      targetExemptions(request)[2]!.exemptions[0]!.line,
    ]);
    expect(factValue(request, 'resources')).toEqual([
      STORAGE, VM, `${RG}: whole resource group, covers 12 resources today (3 currently unhealthy), counted 2026-12-01 10:00 UTC`,
    ]);
  });

  it('say so where nothing is resolved yet', () => {
    expect(factValue(targetsRequest([{ resourceId: VM, assignments: [] }]), EXEMPTIONS_FACT)).toEqual([`Nothing resolved yet at ${VM}`]);
  });

  it('name the mechanism of each created exemption; those stored before `kind` are policy exemptions', () => {
    const [policy, standard] = appliedMixedRequest().exemptions as [CreatedExemption, CreatedExemption];
    expect(createdExemptionLine(policy)).toBe(`${policy.id} (Azure Policy exemption, assignment ${POLICY_ASSIGNMENT})`);
    expect(createdExemptionLine(standard)).toBe(`${standard.id} (Defender standard assignment (Exempt), standard ${STANDARD_ID})`);
    const { kind: _, ...old } = policy;
    expect(createdExemptionLine(old as CreatedExemption)).toBe(createdExemptionLine(policy));
  });

  it('a request stored before standards existed gives the same facts as one with none', () => {
    const [old, now] = oldAndNowPolicyRequests();
    expect(requestFacts(old)).toEqual(requestFacts(now));
    expect(targetExemptions(old)).toEqual(targetExemptions(now));
    expect(old.exemptions.map(createdExemptionLine)).toEqual(now.exemptions.map(createdExemptionLine));
    expect(JSON.stringify(requestFacts(old))).not.toMatch(/standard|whole|undefined/i);
  });
});
