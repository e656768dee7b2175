/** The request names something Azure cannot map to an exemption; the message says why. */
export class UnresolvableRequestError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'UnresolvableRequestError';
  }
}
