/**
 * What checkevent asks of the core for each service of a batch, in order: its lifecycle callbacks, then its IP
 * changes on its IP add-on, then (when host writes go through the core) its parameters and expiry date. Pure.
 */
import { coreCalls, type CoreCall } from '../host/core';
import type { LifecycleCallback } from '../host/facts';
import type { BatchFacts, DataWrites } from './plan';
import { ipKey } from '../db/itemip';

/**
 * How checkevent writes parameters and expiry dates: `sql` writes the host rows itself, in the batch's
 * transaction (seed 004 itself edits item.expiredate in SQL; one statement per chunk, no call per event);
 * `core` calls `service.saveparam` and `service.setexpiredate`, so the core's history and checks see them.
 * IP addresses always go through the core, on the service's IP add-on.
 */
export const HOST_WRITES = ['sql', 'core'] as const;
export type HostWrites = (typeof HOST_WRITES)[number];

/**
 * One step: a call, an address added (service.ip.add, then service.ip.add.commit of the row it answers), or the
 * commit of a row added earlier whose commit did not happen.
 */
export type CoreStep =
  | { kind: 'call'; call: CoreCall }
  | { kind: 'addIp'; addon: number; ip: string }
  | { kind: 'commitIp'; row: number };

export function coreSteps(
  lifecycle: ReadonlyMap<number, readonly string[]>,
  writes: DataWrites,
  facts: BatchFacts,
  hostWrites: HostWrites,
): Map<number, CoreStep[]> {
  const steps = new Map<number, CoreStep[]>();
  const add = (item: number, step: CoreStep): void => {
    const list = steps.get(item) ?? [];
    list.push(step);
    steps.set(item, list);
  };
  for (const [item, funcs] of lifecycle)
    for (const func of funcs)
      add(item, { kind: 'call', call: coreCalls.lifecycle(func as LifecycleCallback, item) });
  for (const { item, addon, address, present } of writes.ips.values()) {
    const row = facts.ipRows.get(ipKey(addon, address));
    // Only what differs from the host's rows: a run repeated after a crash adds and removes nothing twice.
    if (present && row === undefined) add(item, { kind: 'addIp', addon, ip: address });
    else if (present && row !== undefined && facts.uncommittedIps?.has(row))
      add(item, { kind: 'commitIp', row });
    else if (!present && row !== undefined) add(item, { kind: 'call', call: coreCalls.deleteIp(row) });
  }
  if (hostWrites === 'core') {
    for (const { item, intname, value } of writes.params.values())
      add(item, { kind: 'call', call: coreCalls.saveParam(item, intname, value) });
    for (const [item, expiredate] of writes.expiredates)
      add(item, { kind: 'call', call: coreCalls.setExpireDate(item, expiredate) });
  }
  return steps;
}

/** The function a step starts with: steps of one function are batched together. */
export function stepFunc(step: CoreStep): string {
  return coreCallOf(step).func;
}

/** The call a step starts with (an added address's commit follows it). */
export function coreCallOf(step: CoreStep): CoreCall {
  if (step.kind === 'call') return step.call;
  return step.kind === 'addIp' ? coreCalls.addIp(step.addon, { ip: step.ip }) : coreCalls.commitIp(step.row);
}
