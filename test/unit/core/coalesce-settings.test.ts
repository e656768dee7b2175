import { describe, expect, it } from 'vitest';
import { loadSettings, SettingsError } from '../../../lib/config/settings.js';

const MINIMAL = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', REVIEW_SIGNING_KEY: 'k'.repeat(40), EMAIL_TRANSPORT: 'smtp' };

function refusal(value: string): string {
  try {
    loadSettings({ ...MINIMAL, COALESCE_WINDOW_SECONDS: value });
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems.filter((p) => p.startsWith('COALESCE_WINDOW_SECONDS'));
    expect(problems).toHaveLength(1);
    return problems[0]!;
  }
  throw new Error(`COALESCE_WINDOW_SECONDS="${value}" was accepted`);
}

describe('COALESCE_WINDOW_SECONDS', () => {
  it('defaults to 60 seconds', () => {
    expect(loadSettings(MINIMAL).coalesce).toEqual({ windowSeconds: 60 });
  });

  it('takes 0 (coalescing off) up to 900', () => {
    expect(loadSettings({ ...MINIMAL, COALESCE_WINDOW_SECONDS: '0' }).coalesce.windowSeconds).toBe(0);
    expect(loadSettings({ ...MINIMAL, COALESCE_WINDOW_SECONDS: '900' }).coalesce.windowSeconds).toBe(900);
  });

  it.each([
    ['-1', />=0/],
    ['901', /<=900/],
    ['1.5', /expected int/],
    ['sixty', /number/i],
  ])('refuses %s at start, naming the setting and the value', (value, reason) => {
    const problem = refusal(value);
    expect(problem).toContain(`COALESCE_WINDOW_SECONDS = "${value}"`);
    expect(problem).toMatch(reason);
  });
});
