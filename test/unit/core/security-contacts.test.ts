import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contactEmails } from '../../../lib/azure/security-contacts.js';

interface ListExample {
  responses: { 200: { body: { value: { properties?: Record<string, unknown> }[] } } };
}

const example = JSON.parse(
  readFileSync(new URL('./fixtures/GetSecurityContactsSubscription_example.json', import.meta.url), 'utf8'),
) as ListExample;

describe('contactEmails', () => {
  it('reads the addresses of the 2023-12-01-preview list example, lower-cased', () => {
    expect(contactEmails(example.responses[200].body.value)).toEqual(['john@contoso.com', 'jane@contoso.com']);
  });

  it('splits a ";"-separated string and trims the spaces around each address', () => {
    expect(contactEmails([{ properties: { emails: ' a@contoso.com ; b@contoso.com;c@contoso.com  ' } }]))
      .toEqual(['a@contoso.com', 'b@contoso.com', 'c@contoso.com']);
  });

  it('keeps one copy of addresses that differ only in case, within and across contacts', () => {
    expect(contactEmails([
      { properties: { emails: 'Sec@Contoso.com;sec@contoso.com' } },
      { properties: { emails: 'SEC@CONTOSO.COM;other@contoso.com' } },
    ])).toEqual(['sec@contoso.com', 'other@contoso.com']);
  });

  it('ignores empty parts', () => {
    expect(contactEmails([{ properties: { emails: ';; a@contoso.com ;;  ; ' } }])).toEqual(['a@contoso.com']);
    expect(contactEmails([{ properties: { emails: '' } }])).toEqual([]);
  });

  it('skips contacts that are disabled and keeps those with isEnabled true or absent', () => {
    expect(contactEmails([
      { properties: { emails: 'off@contoso.com', isEnabled: false } },
      { properties: { emails: 'on@contoso.com', isEnabled: true } },
      { properties: { emails: 'unset@contoso.com' } },
    ])).toEqual(['on@contoso.com', 'unset@contoso.com']);
  });

  it('skips a disabled contact of the spec example', () => {
    const disabled = example.responses[200].body.value.map((c) => ({ properties: { ...c.properties, isEnabled: false } }));
    expect(contactEmails(disabled)).toEqual([]);
  });

  it('reads the legacy single `email` property', () => {
    expect(contactEmails([{ properties: { email: 'Legacy@Contoso.com' } }])).toEqual(['legacy@contoso.com']);
    expect(contactEmails([{ properties: { emails: 'new@contoso.com', email: 'new@contoso.com' } }])).toEqual(['new@contoso.com']);
  });

  it('drops values that are not email addresses and contacts without usable properties', () => {
    expect(contactEmails([
      { properties: { emails: 'not-an-address;also bad@contoso.com;ok@contoso.com' } },
      { properties: { emails: ['array@contoso.com'] } },
      { properties: {} },
      {},
    ])).toEqual(['ok@contoso.com']);
  });

  it('returns nothing for no contacts', () => {
    expect(contactEmails([])).toEqual([]);
  });
});
