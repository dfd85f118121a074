/**
 * The data events' effects on host tables, set-based: one statement per kind of change and chunk, whatever the
 * number of services. Every write sets a value (never adds to one), so writing it twice is harmless.
 */
import type { Db } from '../db/types';
import { setItemColumn } from '../db/item';
import { upsertItemParams } from '../db/itemparam';
import type { HostWrites } from './core-steps';
import type { AddonColumn, DataWrites } from './plan';

/**
 * IP addresses are not written here: the core changes them (service.ip.*, see core-steps.ts). With `hostWrites`
 * `core` neither are parameters and expiry dates. Add-on values have no core function in the contract.
 */
export async function writeDataChanges(db: Db, writes: DataWrites, hostWrites: HostWrites): Promise<void> {
  if (hostWrites === 'sql') {
    await upsertItemParams(db, [...writes.params.values()]);
    await setItemColumn(db, 'expiredate', writes.expiredates);
  }
  await setAddonValues(db, writes.addons);
}

async function setAddonValues(db: Db, addons: DataWrites['addons']): Promise<void> {
  const byColumn = new Map<AddonColumn, Map<number, string | number>>();
  for (const [child, { column, value }] of addons) {
    const values = byColumn.get(column) ?? new Map<number, string | number>();
    values.set(child, value);
    byColumn.set(column, values);
  }
  for (const [column, values] of byColumn) await setItemColumn(db, column, values);
}
