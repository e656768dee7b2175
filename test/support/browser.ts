import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is looked for: CHROMIUM_PATH, else the Debian package's location. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath());
}

/** A headless Chromium with a fresh profile that makes no background requests of its own. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Browser suites run when Chromium is there; in CI its absence is a failure, elsewhere a visible skip
 * (the README says to install Debian's chromium package).
 */
export function browserSuiteMode(): 'run' | 'skip' | 'fail' {
  if (chromiumAvailable()) return 'run';
  if (process.env.CI) return 'fail';
  console.warn(`Chromium not found at ${chromiumPath()}: browser tests skipped (apt-get install chromium, or set CHROMIUM_PATH).`);
  return 'skip';
}
