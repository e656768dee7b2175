/** Addresses worth sending to: de-duplicated, lower-cased, none on the reserved ".invalid" domain. */
export function deliverable(addresses: readonly (string | undefined)[]): string[] {
  const kept = addresses
    .filter((a): a is string => typeof a === 'string' && a.includes('@'))
    .map((a) => a.trim().toLowerCase())
    .filter((a) => !a.endsWith('.invalid'));
  return [...new Set(kept)];
}
