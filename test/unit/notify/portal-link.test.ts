import { describe, expect, it } from 'vitest';
import { portalLink } from '../../../lib/render/portal-link.js';

describe('portalLink', () => {
  const blade = '#blade/Microsoft_Azure_Security/RecommendationsBlade/assessmentKey/1195afff-c881-495e-9bc5-1486211ae03f';

  it('keeps an https portal link', () => {
    expect(portalLink(`https://portal.azure.com/${blade}`)).toBe(`https://portal.azure.com/${blade}`);
  });

  it('adds the scheme Defender leaves out', () => {
    expect(portalLink(`portal.azure.com/${blade}`)).toBe(`https://portal.azure.com/${blade}`);
    expect(portalLink(`  //portal.azure.com/${blade}`)).toBe(`https://portal.azure.com/${blade}`);
  });

  it('accepts portal sub-domains and any letter case in scheme and host', () => {
    expect(portalLink('https://ms.portal.azure.com/#home')).toBe('https://ms.portal.azure.com/#home');
    expect(portalLink('HTTPS://Portal.Azure.COM/#home')).toBe('https://portal.azure.com/#home');
  });

  it('drops script, data and other non-https schemes', () => {
    expect(portalLink('javascript:alert(document.cookie)')).toBeUndefined();
    expect(portalLink('JavaScript:alert(1)//portal.azure.com')).toBeUndefined();
    expect(portalLink('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(portalLink('http://portal.azure.com/#home')).toBeUndefined();
    expect(portalLink('ftp://portal.azure.com/')).toBeUndefined();
  });

  it('drops hosts that only look like the portal', () => {
    expect(portalLink('https://portal.azure.com.evil.example/#home')).toBeUndefined();
    expect(portalLink('https://evilportal.azure.com/')).toBeUndefined();
    expect(portalLink('https://portal.azure.com@evil.example/')).toBeUndefined();
    expect(portalLink('https://user:pw@portal.azure.com/')).toBeUndefined();
    expect(portalLink('https://portal.azure.com:8443/')).toBeUndefined();
    expect(portalLink('evil.example/portal.azure.com')).toBeUndefined();
    expect(portalLink('/relative/path')).toBeUndefined();
  });

  it('returns undefined for nothing at all', () => {
    expect(portalLink(undefined)).toBeUndefined();
    expect(portalLink('   ')).toBeUndefined();
    expect(portalLink('https://')).toBeUndefined();
  });
});
