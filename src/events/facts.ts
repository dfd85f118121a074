/** Reads what a batch of events needs to know of the local services, a few set-based queries per batch. */
import type { Db } from '../db/types';
import { enumerationItemsOf } from '../db/enumerationitem';
import { itemsLinkedTo, moduleServiceStatuses, sellingAddonChildrenOf, sellingTariffsOf } from '../db/item';
import { ipAddonsOf, ipRowsOf, uncommittedIps } from '../db/itemip';
import type { SellingEnumerationNames, TariffEnumerations } from './enumerations';
import { linkedLocalItems, linkKey } from '../db/enumeration-link';
import { EventProblem, sellingAddonIdOf } from './event-types';
import { addonKey, type AddonSlot, type BatchFacts, type PendingEvent } from './plan';

/**
 * Links events stored before their service was linked (item NULL) to the service now linked to their selling
 * service; returns the events with `item` filled where it could be.
 */
export async function linkEvents(
  db: Db,
  moduleId: number,
  events: readonly PendingEvent[],
): Promise<PendingEvent[]> {
  const unlinked = [
    ...new Set(events.filter((e) => e.item === null && e.sellingItem).map((e) => e.sellingItem)),
  ];
  if (unlinked.length === 0) return [...events];
  const linked = await itemsLinkedTo(db, moduleId, unlinked);
  return events.map((e) =>
    e.item === null && linked.has(e.sellingItem) ? { ...e, item: linked.get(e.sellingItem) ?? null } : e,
  );
}

/** ip_add and ip_del events, and a setup event that names the service's IP. */
function carriesIp(event: PendingEvent): boolean {
  return (
    event.type.startsWith('ip_') || (event.type === 'setup' && event.param.trim().toLowerCase() === 'ip')
  );
}

export async function readBatchFacts(
  db: Db,
  moduleId: number,
  events: readonly PendingEvent[],
  enumerations: TariffEnumerations | undefined,
): Promise<BatchFacts> {
  const items = [...new Set(events.map((e) => e.item).filter((item): item is number => item !== null))];
  const withAddonEvents = [
    ...new Set(events.filter((e) => e.type === 'addon' && e.item !== null).map((e) => e.item as number)),
  ];
  const withIpEvents = [
    ...new Set(events.filter((e) => e.item !== null && carriesIp(e)).map((e) => e.item as number)),
  ];
  const statuses = await moduleServiceStatuses(db, moduleId, items);
  const addons = await addonSlots(db, withAddonEvents);
  const ipAddons = await ipAddonsOf(db, withIpEvents);
  const ipRows = await ipRowsOf(db, [...ipAddons.values()]);
  const uncommitted = await uncommittedIps(db, [...ipRows.values()]);
  const enumSlots = [...addons].filter(([, slot]) => slot.addontype === 3 && slot.enumeration !== null);
  if (enumSlots.length === 0) {
    return {
      statuses,
      addons,
      ipAddons,
      ipRows,
      uncommittedIps: uncommitted,
      enumerationItem: () => new EventProblem('addon: not an enum add-on'),
    };
  }
  const localItems = await localEnumerationItems(db, [
    ...new Set(enumSlots.map(([, slot]) => slot.enumeration as number)),
  ]);
  // Selling enumeration item ids are matched through the module's links first, by intname only without one.
  const enumKeys = new Set(enumSlots.map(([key]) => key));
  const enumEvents = events.flatMap((e) => {
    const addon = e.type === 'addon' && e.item !== null ? sellingAddonIdOf(e.param) : undefined;
    return addon !== undefined && enumKeys.has(addonKey(e.item as number, addon))
      ? [{ item: e.item as number, addon, value: e.value }]
      : [];
  });
  const links = await linkedLocalItems(
    db,
    moduleId,
    enumEvents.map((e) => ({ sellingAddon: e.addon, sellingItem: e.value })),
  );
  const linkedIn = (enumeration: number, sellingAddon: string, sellingValue: string): number | undefined => {
    const local = links.get(linkKey(sellingAddon, sellingValue));
    return local !== undefined && localItems.get(enumeration)?.ids.has(local) ? local : undefined;
  };
  const unlinked = enumEvents.filter((e) => {
    const slot = addons.get(addonKey(e.item, e.addon));
    return slot?.enumeration == null || linkedIn(slot.enumeration, e.addon, e.value) === undefined;
  });
  const sellingNames = await sellingEnumerationNames(
    db,
    [...new Set(unlinked.map((e) => e.item))],
    enumerations,
  );
  return {
    statuses,
    addons,
    ipAddons,
    ipRows,
    uncommittedIps: uncommitted,
    enumerationItem(item, sellingAddonId, enumeration, sellingValue) {
      const linked = linkedIn(enumeration, sellingAddonId, sellingValue);
      if (linked !== undefined) return linked;
      const names = sellingNames.get(item);
      if (names instanceof EventProblem) return names;
      const intname = names?.get(sellingAddonId)?.get(sellingValue);
      if (intname === undefined) {
        return new EventProblem(
          `addon: the selling tariff has no enumeration item ${sellingValue} in add-on ${sellingAddonId}`,
        );
      }
      const local = localItems.get(enumeration)?.byIntname.get(intname);
      if (local === undefined)
        return new EventProblem(
          `addon: no local enumeration item '${intname}' (selling item ${sellingValue})`,
        );
      return local;
    },
  };
}

/** The selling tariff's enumeration item names for each service, or why they could not be read. */
async function sellingEnumerationNames(
  db: Db,
  services: readonly number[],
  enumerations: TariffEnumerations | undefined,
): Promise<Map<number, SellingEnumerationNames | EventProblem>> {
  const rows = await sellingTariffsOf(db, services);
  const names = new Map<number, SellingEnumerationNames | EventProblem>();
  for (const row of rows) {
    if (!row.tariff || !row.itemtype) {
      names.set(
        Number(row.id),
        new EventProblem(`addon: the tariff of service ${row.id} was not imported from the selling side`),
      );
    } else if (!enumerations) {
      names.set(
        Number(row.id),
        new EventProblem('addon: the selling side is not reachable to read the enumeration'),
      );
    } else {
      try {
        names.set(Number(row.id), await enumerations(row.itemtype, String(row.tariff)));
      } catch (err) {
        names.set(
          Number(row.id),
          new EventProblem(`addon: cannot read selling tariff ${row.tariff}: ${(err as Error).message}`),
        );
      }
    }
  }
  return names;
}

/** The add-on child items of `services`, by service and the selling add-on id of their tariff (`pricelist.remoteid`). */
async function addonSlots(db: Db, services: readonly number[]): Promise<Map<string, AddonSlot>> {
  const slots = new Map<string, AddonSlot>();
  for (const row of await sellingAddonChildrenOf(db, services)) {
    const key = addonKey(row.parent, row.remoteid);
    if (slots.has(key)) continue;
    slots.set(key, { child: row.child, addontype: row.addontype, enumeration: row.enumeration });
  }
  return slots;
}

/**
 * Local enumeration items by enumeration: their ids, and by intname. The import keeps the selling intname as it is;
 * one prefixed with the selling id (`<id>-<intname>`, as tariffs are named) is found by its plain intname too.
 */
async function localEnumerationItems(
  db: Db,
  enumerations: readonly number[],
): Promise<Map<number, { ids: Set<number>; byIntname: Map<string, number> }>> {
  const byEnumeration = new Map<number, { ids: Set<number>; byIntname: Map<string, number> }>();
  for (const row of await enumerationItemsOf(db, enumerations)) {
    const items = byEnumeration.get(Number(row.enumeration)) ?? { ids: new Set(), byIntname: new Map() };
    items.ids.add(Number(row.id));
    const intname = row.intname ?? '';
    for (const name of [intname, intname.replace(/^\d+-/, '')])
      if (name && !items.byIntname.has(name)) items.byIntname.set(name, Number(row.id));
    byEnumeration.set(Number(row.enumeration), items);
  }
  return byEnumeration;
}
