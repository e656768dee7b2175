// ARM error bodies (common-types ErrorResponse: { error: { code, message, target?, details? } }) and the
// exception handlers throw to produce one.
import type { SimProblem } from '../types.js';

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
}

export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { target?: string; details?: ArmErrorDetail[]; headers?: Record<string, string> } = {},
    /** Set when the client broke the contract (spec or documented limit): the sim records a violation. */
    readonly problems?: SimProblem[],
  ) {
    super(message);
  }

  body(): { error: ArmErrorDetail } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.extra.target ? { target: this.extra.target } : {}),
        ...(this.extra.details?.length ? { details: this.extra.details } : {}),
      },
    };
  }
}

/** 400 InvalidRequestContent listing each problem as a detail, recorded as a violation. */
export function invalidRequestContent(problems: SimProblem[], summary?: string): ArmError {
  const first = problems[0];
  const message = summary ?? `The request content was invalid and could not be deserialized: ${problems
    .map((p) => `'${p.target}' ${p.message}`).join('; ')}.`;
  return new ArmError(400, 'InvalidRequestContent', message, {
    ...(problems.length === 1 && first ? { target: first.target } : {}),
    details: problems.map((p) => ({ code: p.keyword ?? 'InvalidRequestContent', message: p.message, target: p.target })),
  }, problems);
}

export const notFound = (code: string, message: string): ArmError => new ArmError(404, code, message);
export const badRequest = (code: string, message: string, target?: string): ArmError =>
  new ArmError(400, code, message, target ? { target } : {});
