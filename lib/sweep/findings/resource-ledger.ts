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
  private readonly present = new Set<string>();
  private readonly interned = new Map<string, readonly string[]>();
  private readonly types = new Set<string>();

  add(resourceId: string, resourceType: string, coverage: Omit<Coverage, 'definitions'> & { definitions: readonly string[] }): void {
    const key = resourceId.toLowerCase();
    const definitionsKey = coverage.definitions.join('|');
    const definitions = this.interned.get(definitionsKey) ?? coverage.definitions;
    this.interned.set(definitionsKey, definitions);
    const list = this.byResource.get(key);
    const entry = { ...coverage, definitions };
    if (list) list.push(entry);
    else this.byResource.set(key, [entry]);
    this.types.add(resourceType.toLowerCase());
  }

  get size(): number {
    return this.byResource.size;
  }

  /** The resource types to ask Resource Graph about (`namespace/type[/type]`, lower case). */
  resourceTypes(): string[] {
    return [...this.types].sort();
  }

  markPresent(resourceId: string): void {
    const key = resourceId.toLowerCase();
    if (this.byResource.has(key)) this.present.add(key);
  }

  /** An orphaned-resource finding for each exemption whose resource Resource Graph did not list. */
  *orphans(): Iterable<FindingDraft> {
    for (const [key, coverages] of this.byResource) {
      if (this.present.has(key)) continue;
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
