import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadDefaultSeed, SEED } from '../../sim/index.js';

// Pins the simulated tenant to Microsoft's published recommendation → policy → MCSB mapping, so the seed
// cannot drift into ids that no real tenant has (see test/fixtures/published-mapping/README.md).

interface PublishedRecommendation { assessmentKey: string; displayName: string; policyDefinitionId: string; severity: string }
interface PublishedSet { id: string; properties: { policyDefinitions: { policyDefinitionId: string; policyDefinitionReferenceId: string }[] } }

const fixture = async <T>(name: string): Promise<T> =>
  JSON.parse(await readFile(new URL(`../../fixtures/published-mapping/${name}`, import.meta.url), 'utf8')) as T;
const lower = (s: string) => s.toLowerCase();

describe('sim: the seed agrees with Microsoft\'s published mapping', () => {
  it('every seeded assessment has its published key, display name, policy and severity', async () => {
    const seed = await loadDefaultSeed();
    const { recommendations } = await fixture<{ recommendations: PublishedRecommendation[] }>('defender-recommendations-excerpt.json');
    const byKey = new Map(recommendations.map((r) => [lower(r.assessmentKey), r]));
    const seeded = seed.assessments.map((a) => ({
      assessmentKey: a.name, displayName: a.displayName, metadataDisplayName: a.metadata.displayName,
      policyDefinitionId: lower(a.metadata.policyDefinitionId), severity: a.metadata.severity,
    }));
    const published = seeded.map((a) => {
      const p = byKey.get(lower(a.assessmentKey));
      return p && { assessmentKey: a.assessmentKey, displayName: p.displayName, metadataDisplayName: p.displayName,
        policyDefinitionId: lower(p.policyDefinitionId), severity: p.severity };
    });
    expect(seeded).toEqual(published);
  });

  it('the two storage network-access recommendations map to their own policies and MCSB references', async () => {
    const seed = await loadDefaultSeed();
    const policyOf = (key: string) => seed.assessments.find((a) => a.name === key)?.metadata.policyDefinitionId;
    expect(policyOf(SEED.assessmentKeys.storageNetwork)).toBe(SEED.policies.storageNetwork);
    expect(policyOf(SEED.assessmentKeys.storageNetworkVnetRules)).toBe(SEED.policies.storageNetworkVnetRules);
    const mcsb = seed.policySetDefinitions.find((s) => lower(s.id) === lower(SEED.mcsbSetDefinitionId))!;
    const refOf = (policy: string) => mcsb.policyDefinitions.find((d) => lower(d.policyDefinitionId) === lower(policy))?.policyDefinitionReferenceId;
    expect(refOf(SEED.policies.storageNetwork)).toBe('disableUnrestrictedNetworkToStorageAccountMonitoring');
    expect(refOf(SEED.policies.storageNetworkVnetRules)).toBe('storageAccountsShouldRestrictNetworkAccessUsingVirtualNetworkRulesMonitoringEffect');
  });

  it('the seed\'s MCSB is the published one, trimmed: same id, same reference ids, no policy Microsoft left out', async () => {
    const seed = await loadDefaultSeed();
    const published = await fixture<PublishedSet>('mcsb-policy-set-excerpt.json');
    const mcsb = seed.policySetDefinitions.find((s) => lower(s.id) === lower(published.id));
    expect(mcsb).toBeDefined();
    const publishedRefs = new Map(published.properties.policyDefinitions.map((d) => [lower(d.policyDefinitionId), d.policyDefinitionReferenceId]));
    const seededRefs = mcsb!.policyDefinitions.map((d) => [lower(d.policyDefinitionId), d.policyDefinitionReferenceId]);
    expect(seededRefs).toEqual(seededRefs.map(([policy]) => [policy, publishedRefs.get(policy!)]));
    expect(Object.values(SEED.mcsbReferenceIds).sort()).toEqual(seededRefs.map(([, ref]) => ref).sort());

    // Trimmed on purpose: only the policy behind the "unresolvable" case is left out of what Azure has.
    const seededPolicies = new Set(seededRefs.map(([policy]) => policy));
    const assessedPolicies = new Set(seed.assessments.map((a) => lower(a.metadata.policyDefinitionId)));
    const omitted = [...publishedRefs.keys()].filter((p) => assessedPolicies.has(p) && !seededPolicies.has(p));
    expect(omitted).toEqual([lower(SEED.policies.keyVaultSecretExpiry)]);
  });

  it('seeded exemptions of MCSB assignments use published reference ids', async () => {
    const seed = await loadDefaultSeed();
    const published = await fixture<PublishedSet>('mcsb-policy-set-excerpt.json');
    const refs = new Set(published.properties.policyDefinitions.map((d) => d.policyDefinitionReferenceId));
    const mcsbAssignments = new Set(seed.policyAssignments.filter((a) => lower(a.policyDefinitionId) === lower(published.id)).map((a) => lower(a.id)));
    const used = (seed.exemptions ?? []).filter((e) => mcsbAssignments.has(lower(e.policyAssignmentId))).flatMap((e) => e.policyDefinitionReferenceIds ?? []);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((ref) => !refs.has(ref))).toEqual([]);
  });
});
