import type { TableClient } from '@azure/data-tables';
import { isStatus } from './open-keys.js';

/**
 * Claims one table row for its holder: an insert that fails when the row exists, then, if the row
 * found is no longer held (`stillHeld` false), a takeover under its ETag, so that of several
 * contenders exactly one wins. False when another holder keeps it or won the takeover.
 */
export async function claimRow<T extends object>(
  table: TableClient,
  row: { partitionKey: string; rowKey: string } & T,
  stillHeld: (existing: Partial<T>) => boolean,
): Promise<boolean> {
  // Bounded: a row deleted between our insert and our read is simply tried again.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await table.createEntity(row);
      return true;
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
    let existing;
    try {
      existing = await table.getEntity<Partial<T>>(row.partitionKey, row.rowKey);
    } catch (error) {
      if (isStatus(error, 404)) continue;
      throw error;
    }
    if (stillHeld(existing)) return false;
    try {
      await table.updateEntity(row, 'Replace', { etag: existing.etag });
      return true;
    } catch (error) {
      if (isStatus(error, 412) || isStatus(error, 404)) return false; // another contender got there first
      throw error;
    }
  }
  return false;
}
