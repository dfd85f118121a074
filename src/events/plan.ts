/**
 * What one batch of stored events does to the local services: which core callbacks, which rows to write, which
 * events to keep with an error. Pure: the facts it needs are read beforehand, the writes are made afterwards.
 */
import {
  isDataType,
  isLifecycleType,
  readDataChange,
  readSetupIps,
  EventProblem,
  type DataChange,
  type LifecycleType,
} from './event-types';
import { IP_ADDON_ITEMTYPES } from '../host/facts';
import type { PendingItemevent } from '../db/itemevent';
import { lifecycleCallbacks } from './lifecycle';

/** An event stored in `itemevent` and not applied yet (read by db/itemevent.ts). */
export type PendingEvent = PendingItemevent;

/** An add-on child item of a service, found by the selling add-on id of its tariff. */
export interface AddonSlot {
  child: number;
  /** 1 boolean, 2 integer, 3 enum. */
  addontype: number | null;
  enumeration: number | null;
}

export interface BatchFacts {
  /** Status of each local service in the batch. */
  statuses: ReadonlyMap<number, number>;
  /** By `addonKey(service, selling add-on id)`. */
  addons: ReadonlyMap<string, AddonSlot>;
  /** The IP add-on item of each service of the batch with IP events that has one. */
  ipAddons: ReadonlyMap<number, number>;
  /** The `ip` rows of those add-ons, by `ipKey(add-on, address)`. */
  ipRows: ReadonlyMap<string, number>;
  /** Those of the rows the plugin added and has not seen committed (a commit to make before anything else). */
  uncommittedIps?: ReadonlySet<number>;
  /** The local enumeration item of `enumeration` that the selling value of an enum add-on of `item` names. */
  enumerationItem(
    item: number,
    sellingAddonId: string,
    enumeration: number,
    sellingValue: string,
  ): number | EventProblem;
}

export type AddonColumn = 'intvalue' | 'boolvalue' | 'enumerationitem';

export interface DataWrites {
  /** Last value per (service, parameter). */
  params: Map<string, { item: number; intname: string; value: string }>;
  /** Last change per (service, address): whether the address ends up present on the service's IP add-on. */
  ips: Map<string, { item: number; addon: number; address: string; present: boolean }>;
  expiredates: Map<number, string>;
  /** Last value per add-on child item. */
  addons: Map<number, { column: AddonColumn; value: string | number }>;
}

export interface BatchPlan {
  applied: PendingEvent[];
  /** itemevent row id -> the error it is kept with. */
  kept: Map<number, string>;
  writes: DataWrites;
}

export function addonKey(item: number, sellingAddonId: string): string {
  return `${item}:${sellingAddonId}`;
}

/** The core callbacks each service of the batch needs, in order, from its current status. */
export function plannedCallbacks(
  events: readonly PendingEvent[],
  statuses: ReadonlyMap<number, number>,
): Map<number, string[]> {
  const lifecycle = new Map<number, LifecycleType[]>();
  for (const event of events) {
    if (event.item === null || !isLifecycleType(event.type)) continue;
    const list = lifecycle.get(event.item) ?? [];
    list.push(event.type);
    lifecycle.set(event.item, list);
  }
  const callbacks = new Map<number, string[]>();
  for (const [item, types] of lifecycle) {
    const status = statuses.get(item);
    if (status === undefined) continue;
    const calls = lifecycleCallbacks(status, types);
    if (calls.length > 0) callbacks.set(item, calls);
  }
  return callbacks;
}

/**
 * The batch's outcome once the callbacks are made. `failed` holds the services whose callback failed: all their
 * events of the batch are kept with that error, to be applied again, in order, by a later run.
 */
export function planBatch(
  events: readonly PendingEvent[],
  facts: BatchFacts,
  failed: ReadonlyMap<number, string> = new Map(),
): BatchPlan {
  const plan: BatchPlan = {
    applied: [],
    kept: new Map(),
    writes: { params: new Map(), ips: new Map(), expiredates: new Map(), addons: new Map() },
  };
  for (const event of events) {
    const problem = problemOf(event, facts, failed);
    if (problem !== undefined) {
      plan.kept.set(event.rowId, problem);
      continue;
    }
    if (isDataType(event.type) || event.type === 'setup') {
      const written = addWrite(plan.writes, event, facts);
      if (written instanceof EventProblem) {
        plan.kept.set(event.rowId, written.message);
        continue;
      }
    }
    plan.applied.push(event);
  }
  return plan;
}

function problemOf(
  event: PendingEvent,
  facts: BatchFacts,
  failed: ReadonlyMap<number, string>,
): string | undefined {
  if (!isLifecycleType(event.type) && !isDataType(event.type)) return `unknown event type '${event.type}'`;
  if (event.item === null || !facts.statuses.has(event.item)) {
    return `unknown service: no service of this module is linked to selling service ${event.sellingItem}`;
  }
  return failed.get(event.item);
}

function addWrite(writes: DataWrites, event: PendingEvent, facts: BatchFacts): true | EventProblem {
  const item = event.item as number;
  if (event.type === 'setup') {
    // The IP a setup event carries is recorded as an ip_add event's is.
    const addresses = readSetupIps(event.param, event.value);
    if (addresses instanceof EventProblem) return addresses;
    for (const address of addresses) {
      const written = addIpWrite(writes, facts, item, address, true);
      if (written instanceof EventProblem) return written;
    }
    return true;
  }
  const change = readDataChange(event.type as Parameters<typeof readDataChange>[0], event.param, event.value);
  if (change instanceof EventProblem) return change;
  switch (change.kind) {
    case 'param':
      writes.params.set(`${item}\u0000${change.name}`, { item, intname: change.name, value: change.value });
      return true;
    case 'ip': {
      const written = addIpWrite(writes, facts, item, change.address, change.add);
      if (written instanceof EventProblem) return written;
      return true;
    }
    case 'prolong':
      writes.expiredates.set(item, change.expiredate);
      return true;
    case 'addon':
      return addAddonWrite(writes, item, change, facts);
  }
}

/** An address goes onto the service's IP add-on item (contract section 3), which the core changes. */
function addIpWrite(
  writes: DataWrites,
  facts: BatchFacts,
  item: number,
  address: string,
  present: boolean,
): true | EventProblem {
  const addon = facts.ipAddons.get(item);
  if (addon === undefined)
    return new EventProblem(
      `${present ? 'ip_add' : 'ip_del'}: service ${item} has no IP add-on (an add-on of item type ${IP_ADDON_ITEMTYPES.join(' or ')}) to hold ${address}`,
    );
  writes.ips.set(`${item}\u0000${address}`, { item, addon, address, present });
  return true;
}

function addAddonWrite(
  writes: DataWrites,
  item: number,
  change: Extract<DataChange, { kind: 'addon' }>,
  facts: BatchFacts,
): true | EventProblem {
  const slot = facts.addons.get(addonKey(item, change.sellingAddonId));
  if (!slot)
    return new EventProblem(
      `addon: service ${item} has no add-on of selling add-on ${change.sellingAddonId}`,
    );
  const value = addonValue(item, change.sellingAddonId, slot, change.value, facts);
  if (value instanceof EventProblem) return value;
  writes.addons.set(slot.child, value);
  return true;
}

function addonValue(
  item: number,
  sellingAddonId: string,
  slot: AddonSlot,
  value: string,
  facts: BatchFacts,
): { column: AddonColumn; value: string | number } | EventProblem {
  switch (slot.addontype) {
    case 1:
      if (value !== 'on' && value !== 'off') return new EventProblem(`addon: '${value}' is not on or off`);
      return { column: 'boolvalue', value };
    case 2:
      if (!/^\d+$/.test(value)) return new EventProblem(`addon: '${value}' is not a whole number`);
      return { column: 'intvalue', value: Number(value) };
    case 3: {
      if (slot.enumeration === null)
        return new EventProblem(`addon: the add-on tariff of item ${slot.child} has no enumeration`);
      const local = facts.enumerationItem(item, sellingAddonId, slot.enumeration, value);
      return local instanceof EventProblem ? local : { column: 'enumerationitem', value: local };
    }
    default:
      return new EventProblem(`addon: the add-on tariff of item ${slot.child} has no add-on type`);
  }
}
