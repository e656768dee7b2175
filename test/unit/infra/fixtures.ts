/** Paths and loaders shared by the infra tests (all offline: they only read repository files). */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from './arm-template.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const INFRA = join(ROOT, 'infra');
export const MAIN_BICEP = join(INFRA, 'main.bicep');

export const readText = (...parts: string[]): string => readFileSync(join(ROOT, ...parts), 'utf8');
export const readJson = <T = unknown>(...parts: string[]): T => JSON.parse(readText(...parts)) as T;

/** A fresh copy each call, so a test may break it freely. */
export const armTemplate = (): Template => readJson<Template>('infra', 'azuredeploy.json');
/** The second stage (the relay), likewise a fresh copy. */
export const relayTemplate = (): Template => readJson<Template>('infra', 'azuredeploy-relay.json');

export function routePrefix(): string {
  const host = readJson<{ extensions?: { http?: { routePrefix?: string } } }>('host.json');
  return host.extensions?.http?.routePrefix ?? 'api';
}
