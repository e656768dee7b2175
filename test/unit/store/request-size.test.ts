import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../../lib/config/settings-catalog.js';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';
import { checkRequestSize, fullyGrown, jsonBytes, REQUEST_LIMITS, RequestTooLargeError, worstCaseRequest } from '../../../lib/requests/request-size.js';
import {
  DocumentTooLargeError, entitySizeBytes, fromRequestEntity, MAX_DOCUMENT_BYTES, MAX_ENTITY_BYTES, MAX_PROPERTY_BYTES, toRequestEntity,
} from '../../../lib/store/table-entities.js';
import { sampleRequest } from '../../support/sample-request.js';

const MAX_RESOURCES = SETTINGS.MAX_RESOURCES_PER_REQUEST.max;
const MINIMAL = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: 'k'.repeat(40), EMAIL_TRANSPORT: 'smtp' };

/** The worst request with its one target replaced, grown again (its exemptions follow the target). */
function worstCaseRequestWith(worst: ReturnType<typeof worstCaseRequest>, target: ReturnType<typeof worstCaseRequest>['targets'][number]) {
  return fullyGrown({ ...worst, targets: [target] });
}

describe('MAX_RESOURCES_PER_REQUEST is bounded by what one stored request holds', () => {
  it('the worst request at the maximum fits one entity, every part within a property', () => {
    const worst = worstCaseRequest(MAX_RESOURCES);
    expect(worst.targets).toHaveLength(MAX_RESOURCES);
    expect(worst.targets.every((t) => t.resourceId.length === REQUEST_LIMITS.resourceIdLength && t.assignments.length === REQUEST_LIMITS.assignmentsPerTarget)).toBe(true);
    expect(jsonBytes(worst)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    const entity = toRequestEntity(worst);
    expect(entitySizeBytes(entity)).toBeLessThanOrEqual(MAX_ENTITY_BYTES);
    for (const value of Object.values(entity)) {
      if (value instanceof Uint8Array) expect(value.length).toBeLessThanOrEqual(MAX_PROPERTY_BYTES);
    }
    // The emulator's rule: the entity as JSON on the wire, binary in base64.
    const wire = JSON.stringify(Object.fromEntries(Object.entries(entity).flatMap(([name, value]) => value instanceof Uint8Array
      ? [[name, Buffer.from(value).toString('base64')], [`${name}@odata.type`, 'Edm.Binary']]
      : [[name, value]])));
    expect(Buffer.byteLength(wire)).toBeLessThanOrEqual(MAX_ENTITY_BYTES);
    expect(fromRequestEntity(entity)).toEqual(worst);
    expect(() => checkRequestSize(worst, MAX_DOCUMENT_BYTES)).not.toThrow();
  });

  it('a target exempted through standards, at every limit, grows less than the worst policy target it is counted as', () => {
    const worst = worstCaseRequest(1);
    const policyTarget = worst.targets[0]!;
    const standard = (n: number) => ({
      assignedStandardId: `/providers/Microsoft.Security/Standards/${'0'.repeat(35)}${n}`,
      displayName: '\u20ac'.repeat(REQUEST_LIMITS.displayNameLength),
      standardAssignmentId: `${policyTarget.resourceId}/providers/Microsoft.Security/standardAssignments/${'0'.repeat(35)}${n}`.padEnd(REQUEST_LIMITS.standardAssignmentIdLength, 'x'),
    });
    const standardTarget = { ...policyTarget, assignments: [], standards: Array.from({ length: REQUEST_LIMITS.standardsPerTarget }, (_, n) => standard(n)) };
    const grownStandard = jsonBytes(worstCaseRequestWith(worst, standardTarget));
    expect(() => checkRequestSize({ ...worst, targets: [standardTarget], exemptions: [] }, MAX_DOCUMENT_BYTES)).not.toThrow();
    expect(grownStandard).toBeLessThan(jsonBytes(worst));
  });

  it('is tight: one resource more would not fit', () => {
    expect(jsonBytes(worstCaseRequest(MAX_RESOURCES + 1))).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(() => toRequestEntity(worstCaseRequest(MAX_RESOURCES + 1))).toThrow(DocumentTooLargeError);
  });

  it('the settings refuse a value above the bound', () => {
    expect(loadSettings({ ...MINIMAL, MAX_RESOURCES_PER_REQUEST: String(MAX_RESOURCES) }).limits.maxResourcesPerRequest).toBe(MAX_RESOURCES);
    let thrown: unknown;
    try {
      loadSettings({ ...MINIMAL, MAX_RESOURCES_PER_REQUEST: String(MAX_RESOURCES + 1) });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    expect((thrown as SettingsError).problems.join('\n')).toMatch(new RegExp(`^MAX_RESOURCES_PER_REQUEST = "${MAX_RESOURCES + 1}": `, 'm'));
  });
});

describe('intake refuses, naming resourceIds, a request that could outgrow the store', () => {
  const assignment = (n: number, refs = 0) => ({
    policyAssignmentId: `/subscriptions/00000000-0000-0000-0000-00000000aaaa/providers/Microsoft.Authorization/policyAssignments/a${n}`,
    policyDefinitionReferenceIds: Array.from({ length: refs }, (_, r) => `ref${r}`),
  });
  const withAssignments = (assignments: ReturnType<typeof assignment>[]) =>
    sampleRequest({ targets: [{ resourceId: sampleRequest().targets[0]!.resourceId, assignments }] });
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error as RequestTooLargeError;
    }
    throw new Error('expected a refusal');
  };

  it('more assignments on one resource than a request is sized for', () => {
    const error = refusal(() => checkRequestSize(withAssignments(Array.from({ length: REQUEST_LIMITS.assignmentsPerTarget + 1 }, (_, n) => assignment(n))), MAX_DOCUMENT_BYTES));
    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect(error.field).toBe('resourceIds');
    expect(error.message).toMatch(/covered by 9 policy assignments/);
  });

  it('more reference ids on one assignment than a request is sized for', () => {
    const error = refusal(() => checkRequestSize(withAssignments([assignment(1, REQUEST_LIMITS.referenceIdsPerAssignment + 1)]), MAX_DOCUMENT_BYTES));
    expect(error.field).toBe('resourceIds');
  });

  it('ids within the limits whose characters take more room than the worst case assumes', () => {
    // 1024 characters of three UTF-8 bytes each: within the id limit, three times the bytes.
    const wide = worstCaseRequest(MAX_RESOURCES);
    const widened = { ...wide, targets: wide.targets.map((t) => ({ ...t, resourceId: `/subscriptions/x/resourceGroups/${'ä'.repeat(990)}` })) };
    const error = refusal(() => checkRequestSize(widened, MAX_DOCUMENT_BYTES));
    expect(error.field).toBe('resourceIds');
    expect(error.message).toMatch(/could grow to \d+ bytes/);
  });

  it('an ordinary request passes', () => {
    expect(() => checkRequestSize(withAssignments([assignment(1, 2), assignment(2)]), MAX_DOCUMENT_BYTES)).not.toThrow();
  });
});
