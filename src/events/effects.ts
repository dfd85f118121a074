/**
 * The data events' effects on host tables, set-based: one statement per kind of change and chunk, whatever the
 * number of services. Every write sets a value (never adds to one), so writing it twice is harmless.
 */
import type { Db } from '../db/types';
import { chunks, updateEach } from './event-rows';
import type { HostWrites } from './core-steps';
import type { AddonColumn, DataWrites } from './plan';

/**
 * IP addresses are not written here: the core changes them (service.ip.*, see core-steps.ts). With `hostWrites`
 * `core` neither are parameters and expiry dates. Add-on values have no core function in the contract.
 */
export async function writeDataChanges(db: Db, writes: DataWrites, hostWrites: HostWrites): Promise<void> {
  if (hostWrites === 'sql') {
    await upsertParams(db, [...writes.params.values()]);
    await updateEach(db, 'item', 'expiredate', writes.expiredates);
  }
  await setAddonValues(db, writes.addons);
}

/** `itemparam` has UNIQUE (item, intname): insert or replace the value. */
async function upsertParams(
  db: Db,
  params: readonly { item: number; intname: string; value: string }[],
): Promise<void> {
  for (const chunk of chunks(params)) {
    await db('itemparam').insert(chunk).onConflict(['item', 'intname']).merge(['value']);
  }
}

async function setAddonValues(db: Db, addons: DataWrites['addons']): Promise<void> {
  const byColumn = new Map<AddonColumn, Map<number, string | number>>();
  for (const [child, { column, value }] of addons) {
    const values = byColumn.get(column) ?? new Map<number, string | number>();
    values.set(child, value);
    byColumn.set(column, values);
  }
  for (const [column, values] of byColumn) await updateEach(db, 'item', column, values);
}
