/**
 * An ARM URL path built from segments, each one percent-encoded, so that no segment's text can add a
 * separator, a query or a dot segment. Segments are the parsed parts of ids, never id text.
 */
export type ArmPath = string & { readonly __armPath: unique symbol };

export class UnsafePathSegmentError extends Error {
  constructor(segment: string) {
    super(`refusing to put ${JSON.stringify(segment.slice(0, 64))} into an ARM path`);
    this.name = 'UnsafePathSegmentError';
  }
}

/** Throws for an empty, `.` or `..` segment: encoding cannot neutralise those, URL resolution would act on them. */
export function armPath(segments: readonly string[]): ArmPath {
  if (segments.length === 0) throw new UnsafePathSegmentError('');
  return `/${segments.map(encodeSegment).join('/')}` as ArmPath;
}

/** The same path without its leading slash: SDK operations that take a `scope` or `resourceId` add their own. */
export function sdkScopeParameter(segments: readonly string[]): string {
  return armPath(segments).slice(1);
}

function encodeSegment(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..') throw new UnsafePathSegmentError(segment);
  return encodeURIComponent(segment);
}
