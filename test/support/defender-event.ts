/**
 * A Defender for Cloud recommendation event for a resource, shaped like the relay's trigger body
 * (see the sample in test/fixtures/azure-specs/defender/). `pascal` uses the casing some sources send.
 */
export function defenderEvent(
  resourceId: string,
  assessmentKey: string,
  variant: { casing?: 'camel' | 'pascal'; portalWithoutScheme?: boolean; extra?: Record<string, unknown> } = {},
): Record<string, unknown> {
  const id = `${resourceId}/providers/Microsoft.Security/assessments/${assessmentKey}`;
  const portal = `portal.azure.com/#view/Microsoft_Azure_Security/GenericRecommendationDetailsBlade/assessmentKey/${assessmentKey}`;
  const link = variant.portalWithoutScheme ? portal : `https://${portal}`;
  if (variant.casing === 'pascal') {
    return {
      Id: id, Name: assessmentKey, Type: 'Microsoft.Security/assessments',
      Properties: {
        ResourceDetails: { Source: 'Azure', ResourceId: resourceId },
        DisplayName: 'Recommendation from the event',
        Status: { Code: 'Unhealthy' },
        Links: { AzurePortalUri: link },
      },
      ...variant.extra,
    };
  }
  return {
    id, name: assessmentKey, type: 'Microsoft.Security/assessments',
    properties: {
      resourceDetails: { source: 'Azure', id: resourceId },
      displayName: 'Recommendation from the event',
      status: { code: 'Unhealthy', cause: 'N/A', description: 'N/A' },
      links: { azurePortal: link },
    },
    ...variant.extra,
  };
}
