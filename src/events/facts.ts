/** Reads what a batch of events needs to know of the local services, a few set-based queries per batch. */
import type { Knex } from 'knex';
import { itemsLinkedTo } from '../db/item';
import { chunks } from './event-rows';
import { addonKey, type AddonSlot, type BatchFacts, type PendingEvent } from './plan';

type Db = Knex | Knex.Transaction;

/**
 * Links events stored before their service was linked (item NULL) to the service now linked to their selling
 * service; returns the events with `item` filled where it could be.
 */
export async function linkEvents(db: Db, moduleId: number, events: readonly PendingEvent[]): Promise<PendingEvent[]> {
  const unlinked = [...new Set(events.filter((e) => e.item === null && e.sellingItem).map((e) => e.sellingItem))];
  if (unlinked.length === 0) return [...events];
  const linked = await itemsLinkedTo(db, moduleId, unlinked);
  return events.map((e) => (e.item === null && linked.has(e.sellingItem) ? { ...e, item: linked.get(e.sellingItem) ?? null } : e));
}

export async function readBatchFacts(db: Db, moduleId: number, events: readonly PendingEvent[]): Promise<BatchFacts> {
  const items = [...new Set(events.map((e) => e.item).filter((item): item is number => item !== null))];
  const withAddonEvents = [...new Set(events.filter((e) => e.type === 'addon' && e.item !== null).map((e) => e.item as number))];
  const statuses = await serviceStatuses(db, moduleId, items);
  const addons = await addonSlots(db, withAddonEvents);
  const enumerations = [...new Set([...addons.values()].map((a) => a.enumeration).filter((e): e is number => e !== null))];
  const enumerationItems = await enumerationItemsOf(db, enumerations);
  return {
    statuses,
    addons,
    enumerationItem: (enumeration, sellingValue) => enumerationItems.get(enumeration)?.get(sellingValue),
  };
}

/** Status of each service of the module among `items` (add-on child items are not services). */
async function serviceStatuses(db: Db, moduleId: number, items: readonly number[]): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  for (const ids of chunks(items)) {
    const rows = (await db('item')
      .where({ processingmodule: moduleId })
      .whereNull('parent')
      .whereIn('id', ids)
      .select('id', 'status')) as { id: number; status: number }[];
    for (const row of rows) statuses.set(Number(row.id), Number(row.status));
  }
  return statuses;
}

/** The add-on child items of `services`, by service and the selling add-on id of their tariff (`pricelist.remoteid`). */
async function addonSlots(db: Db, services: readonly number[]): Promise<Map<string, AddonSlot>> {
  const slots = new Map<string, AddonSlot>();
  for (const ids of chunks(services)) {
    const rows = (await db('item as i')
      .join('pricelist as p', 'p.id', 'i.pricelist')
      .whereIn('i.parent', ids)
      .whereNotNull('p.remoteid')
      .orderBy('i.id')
      .select({ child: 'i.id', parent: 'i.parent', remoteid: 'p.remoteid', addontype: 'p.addontype', enumeration: 'p.enumeration' })) as {
      child: number;
      parent: number;
      remoteid: string;
      addontype: number | null;
      enumeration: number | null;
    }[];
    for (const row of rows) {
      const key = addonKey(Number(row.parent), String(row.remoteid));
      if (slots.has(key)) continue;
      slots.set(key, {
        child: Number(row.child),
        addontype: row.addontype === null ? null : Number(row.addontype),
        enumeration: row.enumeration === null ? null : Number(row.enumeration),
      });
    }
  }
  return slots;
}

/**
 * Local enumeration items by enumeration and the selling value that names them. [assumed] The selling side
 * sends an enum add-on's value as its enumeration item id; the import keeps that id as the local item's
 * intname prefix `<selling id>-<intname>` (as tariffs are named, seed 004), or the plain intname when the
 * selling side sent the intname itself.
 */
async function enumerationItemsOf(db: Db, enumerations: readonly number[]): Promise<Map<number, Map<string, number>>> {
  const byEnumeration = new Map<number, Map<string, number>>();
  if (enumerations.length === 0) return byEnumeration;
  const rows = (await db('enumerationitem')
    .whereIn('enumeration', [...enumerations])
    .orderBy('id')
    .select('id', 'enumeration', 'intname')) as { id: number; enumeration: number; intname: string | null }[];
  for (const row of rows) {
    const names = byEnumeration.get(Number(row.enumeration)) ?? new Map<string, number>();
    const intname = row.intname ?? '';
    const sellingId = /^(\d+)-/.exec(intname)?.[1];
    if (sellingId && !names.has(sellingId)) names.set(sellingId, Number(row.id));
    if (intname && !names.has(intname)) names.set(intname, Number(row.id));
    byEnumeration.set(Number(row.enumeration), names);
  }
  return byEnumeration;
}
