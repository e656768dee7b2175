/**
 * An ARM call that failed after the pipeline's own retries; `transient` says whether trying later may
 * help. Adapters translate their SDK's errors into this, so the domain never sees an SDK type.
 */
export class ArmError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly transient: boolean,
    /** ARM's own Retry-After, when its last answer carried one (429, some 503s). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ArmError';
  }

  toJSON() {
    return { status: this.status, code: this.code, message: this.message };
  }
}
