import { issueReviewToken } from './review-token.js';

export interface ReviewLinkSettings {
  readonly publicBaseUrl: string;
  readonly signingKey: string;
  readonly linkTtlHours: number;
}

export const REVIEW_PATH = '/api/review';

export function reviewLink(settings: ReviewLinkSettings, requestId: string, approver: string, now: Date): string {
  const token = issueReviewToken(settings.signingKey, {
    requestId,
    approver,
    expiresAt: new Date(now.getTime() + settings.linkTtlHours * 3_600_000),
  });
  return `${settings.publicBaseUrl}${REVIEW_PATH}?token=${encodeURIComponent(token)}`;
}
