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
  ) {
    super(message);
    this.name = 'ArmError';
  }

  toJSON() {
    return { status: this.status, code: this.code, message: this.message };
  }
}
