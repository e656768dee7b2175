/** Small text helpers shared by the emails and the review page, so both show the same facts the same way. */

/** "2027-01-01 00:00 UTC"; an unparseable value is shown as given rather than hidden. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2027-01-01": the value of an `<input type="date">`. */
export function isoDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso.slice(0, 10) : date.toISOString().slice(0, 10);
}

/** The last segment of an ARM id, which is the name people recognise. */
export function resourceName(resourceId: string): string {
  const segments = resourceId.split('/').filter(Boolean);
  return segments.at(-1) ?? resourceId;
}

/**
 * For headers such as a subject: control characters (CR/LF would start a new header line) and bidi
 * overrides (which can disguise text) become spaces, runs of whitespace collapse, long text is cut.
 */
export function singleLine(text: string, maxLength = 200): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
