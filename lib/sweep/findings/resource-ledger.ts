import type { InventoryAssessment } from '../inventory.js';
import { draftFor, type ExemptionFacts, type FindingDraft } from './finding-draft.js';

/** One exemption on one resource, as the later phases (resource existence, Defender) need it. */
export interface Coverage {
  readonly facts: ExemptionFacts;
  /** Lower-case policy definition ids the exemption exempts the resource from; shared between entries. */
  readonly definitions: readonly string[];
  /** Whether the exemption is honoured now (exists and not expired). */
  readonly active: boolean;
  /**
   * When its last change took effect (created or changed for an active one, expired or deleted for an
   * inactive one), ms since the epoch; undefined when nothing says (an exemption made elsewhere).
   */
  readonly changedAt: number | undefined;
}

export interface DefenderVerdict {
  readonly coverage: Coverage;
  readonly expected: 'Exempt' | 'not exempt';
  readonly shown: string;
}

/**
 * Resource-scoped exemptions by resource, held between the exemption pages and the resource and
 * assessment streams. This is the one thing the sweep keeps for the whole run (a few hundred bytes per
 * exemption, definition lists shared); rows and assessments themselves are never gathered.
 */
export class ResourceLedger {
  private readonly byResource = new Map<string, Coverage[]>();
  /** The entries of resources Resource Graph listed: the lists themselves, not another copy of each id. */
  private readonly present = new Set<readonly Coverage[]>();
  private readonly interned = new Map<string, readonly string[]>();
  /** Subscription and assignment ids repeat across thousands of exemptions: one copy of each. */
  private readonly ids = new Map<string, string>();
  private readonly types = new Set<string>();

  add(resourceId: string, resourceType: string, coverage: Omit<Coverage, 'definitions'> & { definitions: readonly string[] }): void {
    const lower = resourceId.toLowerCase();
    const key = lower === resourceId ? resourceId : lower;
    const definitionsKey = coverage.definitions.join('|');
    const definitions = this.interned.get(definitionsKey) ?? coverage.definitions;
    this.interned.set(definitionsKey, definitions);
    const { facts } = coverage;
    const compact: ExemptionFacts = {
      ...facts,
      subscriptionId: this.intern(facts.subscriptionId),
      policyAssignmentId: facts.policyAssignmentId === undefined ? undefined : this.intern(facts.policyAssignmentId),
    };
    const list = this.byResource.get(key);
    const entry = { ...coverage, facts: compact, definitions };
    if (list) list.push(entry);
    else this.byResource.set(key, [entry]);
    this.types.add(resourceType.toLowerCase());
  }

  private intern(id: string): string {
    const known = this.ids.get(id);
    if (known !== undefined) return known;
    this.ids.set(id, id);
    return id;
  }

  get size(): number {
    return this.byResource.size;
  }

  /** The resource types to ask Resource Graph about (`namespace/type[/type]`, lower case). */
  resourceTypes(): string[] {
    return [...this.types].sort();
  }

  markPresent(resourceId: string): void {
    const list = this.byResource.get(resourceId.toLowerCase());
    if (list) this.present.add(list);
  }

  /** An orphaned-resource finding for each exemption whose resource Resource Graph did not list. */
  *orphans(): Iterable<FindingDraft> {
    for (const coverages of this.byResource.values()) {
      if (this.present.has(coverages)) continue;
      for (const { facts } of coverages) {
        yield draftFor(facts, 'orphanedResource', `The exempted resource no longer exists (${facts.scope}).`);
      }
    }
  }

  /**
   * Compares one assessment with what the exemptions on its resource should make Defender show. Active
   * exemptions covering its policy should make it NotApplicable / Exempt; when none is active, an
   * expired or deleted one should no longer make it Exempt. Exemptions of other policies are ignored.
   */
  judge(assessment: InventoryAssessment): DefenderVerdict[] {
    const definition = assessment.policyDefinitionId?.toLowerCase();
    if (!definition) return [];
    const covering = (this.byResource.get(assessment.resourceId.toLowerCase()) ?? []).filter((c) => c.definitions.includes(definition));
    if (covering.length === 0) return [];
    const shownExempt = assessment.statusCode === 'NotApplicable' && assessment.cause?.toLowerCase() === 'exempt';
    const shown = `${assessment.statusCode}${assessment.cause ? ` / ${assessment.cause}` : ''}`;
    const active = covering.filter((c) => c.active);
    if (active.length > 0) return shownExempt ? [] : active.map((coverage) => ({ coverage, expected: 'Exempt' as const, shown }));
    return shownExempt ? covering.map((coverage) => ({ coverage, expected: 'not exempt' as const, shown })) : [];
  }
}
