import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, describe, expect, it } from 'vitest';
import { fillManifest, teamsPackage } from '../../../scripts/teams-package.js';
import { INFRA, readText } from './fixtures.js';

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngInfo(buf: Buffer): { width: number; height: number; colorType: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(buf.subarray(12, 16).toString()).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf[25]! };
}

describe('Teams app', () => {
  const template = readText('infra', 'teams', 'manifest.json');
  const botId = '0b7c2a8e-4f6d-4c1b-9a3e-2d5f7e8a9b10';

  it('has the bot id as a placeholder, filled by the package script', () => {
    expect(template).toContain('"botId": "{{BOT_ID}}"');
    const m = fillManifest(template, botId) as { id: string; bots: Array<{ botId: string }>; name: { short: string }; description: { short: string } };
    expect(m.id).toBe(botId);
    expect(m.bots[0]!.botId).toBe(botId);
    expect(m.name.short.length).toBeLessThanOrEqual(30);
    expect(m.description.short.length).toBeLessThanOrEqual(80);
    expect(() => fillManifest(template, 'not-a-guid')).toThrow('bot id must be a GUID');
    expect(() => fillManifest(`${template.slice(0, -2)}, "x": "{{OTHER}}"}`, botId)).toThrow('placeholder {{OTHER}}');
  });

  it('ships icons Teams accepts: 192x192 colour and 32x32 outline with transparency', () => {
    expect(pngInfo(readFileSync(join(INFRA, 'teams', 'color.png')))).toMatchObject({ width: 192, height: 192 });
    expect(pngInfo(readFileSync(join(INFRA, 'teams', 'outline.png')))).toEqual({ width: 32, height: 32, colorType: 6 });
  });

  const tmp = mkdtempSync(join(tmpdir(), 'teams-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('zips manifest.json and both icons at the root', () => {
    const zip = new AdmZip(teamsPackage(botId, join(tmp, 'teams.zip')));
    expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(zip.readAsText('manifest.json')).bots[0].botId).toBe(botId);
  });
});
