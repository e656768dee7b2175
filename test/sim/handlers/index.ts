import { assessmentHandlers } from './assessments.js';
import { assignmentHandlers } from './assignments.js';
import { contactHandlers } from './contacts.js';
import { definitionHandlers } from './definitions.js';
import { exemptionHandlers } from './exemptions.js';
import { policyInsightsHandlers } from './policy-insights.js';
import { resourceGraphHandlers } from './resource-graph.js';
import { securityStandardHandlers } from './security-standards.js';
import type { Handler } from './types.js';

/** operationId → handler. An operation the specs define but nobody handles answers 501. */
export const HANDLERS: Record<string, Handler> = {
  ...assessmentHandlers,
  ...assignmentHandlers,
  ...contactHandlers,
  ...definitionHandlers,
  ...exemptionHandlers,
  ...policyInsightsHandlers,
  ...resourceGraphHandlers,
  ...securityStandardHandlers,
};

export type { Handler, HandlerContext, HandlerResult, Principal } from './types.js';
