/**
 * People are named by e-mail address or UPN, and the same person can write theirs many ways:
 * "Alice@Contoso.com ", "alice+exempt@contoso.com", full-width "ａｌｉｃｅ＠contoso.com". Separation of
 * duties must not depend on which spelling a requester chose, so every comparison goes through the
 * canonical form here. Delivery keeps the address as given (lower-cased): "+tags" are real mailboxes.
 */
export function canonicalIdentity(address: string): string {
  // NFKC first so that full-width "＠" and look-alike letters become ASCII, then again after
  // lower-casing, which can produce sequences that are not in NFKC form.
  const folded = address.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  const at = folded.lastIndexOf('@');
  if (at <= 0) return folded;
  const local = folded.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${folded.slice(at)}`;
}

export function sameIdentity(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && canonicalIdentity(a) === canonicalIdentity(b);
}

/** `addresses` without anyone who is `person` under another spelling. */
export function excludingIdentity(addresses: readonly string[], person: string): string[] {
  const excluded = canonicalIdentity(person);
  return addresses.filter((address) => canonicalIdentity(address) !== excluded);
}

/** The first spelling of each person, so nobody is mailed twice under two spellings. */
export function distinctIdentities(addresses: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const address of addresses) {
    const key = canonicalIdentity(address);
    if (!seen.has(key)) seen.set(key, address);
  }
  return [...seen.values()];
}

/**
 * How much the recorded requester can be trusted:
 * - `authenticated`: App Service authentication vouched for the caller, whose identity was taken;
 * - `asserted`: the caller wrote an address in the body, and nothing checked it;
 * - `relay`: the Defender relay forwarded the event; the portal does not say who pressed the button.
 */
export type RequesterAssurance = 'authenticated' | 'asserted' | 'relay';
