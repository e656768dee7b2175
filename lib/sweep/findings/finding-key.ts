import { createHash } from 'node:crypto';
import type { FindingKind } from '../model.js';

/**
 * The same finding gets the same key in every run: exemption ids are compared case-insensitively (ARM
 * does), so the subject is lower-cased first. The key is what makes a notice go out once per threshold.
 */
export function findingKey(kind: FindingKind, subject: string, threshold: string): string {
  return createHash('sha256').update(`${kind}\n${subject.toLowerCase()}\n${threshold}`).digest('hex');
}
