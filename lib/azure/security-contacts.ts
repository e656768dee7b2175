/** The api-version whose spec is the contract (its list answers `{ value }`; 2020-01-01-preview answered a bare array). */
export const SECURITY_CONTACTS_API_VERSION = '2023-12-01-preview';

interface SecurityContact {
  properties?: { emails?: unknown; email?: unknown; isEnabled?: unknown };
}

/** `emails` is one ";"-separated string; split, trim, lower-case, de-duplicate, skip disabled contacts. */
export function contactEmails(contacts: readonly SecurityContact[]): string[] {
  const emails = new Set<string>();
  for (const contact of contacts) {
    if (contact.properties?.isEnabled === false) continue;
    const raw = [contact.properties?.emails, contact.properties?.email].filter((v): v is string => typeof v === 'string');
    for (const value of raw) {
      for (const part of value.split(/[;,]/)) {
        const address = part.trim().toLowerCase();
        if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) emails.add(address);
      }
    }
  }
  return [...emails];
}
