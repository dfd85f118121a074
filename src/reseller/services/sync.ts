/** sync_item and its module-wide form: compare status and expiry date with the selling side, repair drift through the core. */
import { toHostError } from '../../contract/errors';
import { resoldItemsOfModule, setItemRemoteid, type ResoldItem } from '../../db/item';
import { withItemLock } from '../../db/item-lock';
import { call, coreCalls } from '../../host/core';
import type { ServiceContext } from './context';
import { findDrift, type Repair, type Unrepairable } from './drift';
import { requireResoldItem, requireSellingService } from './item-operation';
import { connectModule } from './selling-client';
import {
  listSellingServices,
  type SellingService,
  type SellingServiceList,
  type UnreadableService,
} from './selling-services';

export interface ItemSyncResult {
  item: number;
  sellingId: string;
  repaired: Repair[];
  unrepairable: Unrepairable[];
}

export async function syncItem(ctx: ServiceContext, itemId: number): Promise<ItemSyncResult> {
  const db = await ctx.db();
  return withItemLock(db, itemId, async () => {
    const item = await requireResoldItem(db, itemId);
    const { client } = await connectModule(ctx, item.processingmodule);
    const selling = await requireSellingService(db, client, item);
    return repairDrift(ctx, item, selling);
  });
}

/** A service busy with an operation is not waited for long by the module-wide sync: it is reported and skipped. */
const MODULE_SYNC_LOCK_WAIT_SECONDS = 5;

async function repairDrift(
  ctx: ServiceContext,
  item: ResoldItem,
  selling: SellingService,
): Promise<ItemSyncResult> {
  const drift = findDrift(item, selling);
  // One at a time and in order: a status callback may finish an operation the date change must not race.
  for (const repair of drift.repairs) {
    await call(
      ctx.mgrctl,
      repair.field === 'expiredate'
        ? coreCalls.setExpireDate(item.id, repair.to)
        : coreCalls.lifecycle(repair.callback, item.id),
    );
    ctx.log.info(
      `service ${item.id}: ${repair.field} ${String(repair.from) || '(none)'} -> ${String(repair.to)} (${repair.callback})`,
    );
  }
  for (const left of drift.unrepairable) {
    ctx.log.warn(
      `service ${item.id}: ${left.field} ${left.from} here, ${left.to} on the selling side: ${left.reason}`,
    );
  }
  return { item: item.id, sellingId: selling.id, repaired: drift.repairs, unrepairable: drift.unrepairable };
}

export interface ModuleSyncSummary {
  module: number;
  items: number;
  repaired: ItemSyncResult[];
  unchanged: number;
  /** Services the selling side does not list (never ordered, or gone). */
  missing: number[];
  failed: { item: number; error: string }[];
}

export type SyncProgress = (done: number, total: number) => void;

/**
 * Every service of a module. Each item type's selling list is read once, up front: a selling side that cannot
 * be read stops the run before anything changes. One service failing is reported and the others go through.
 */
export async function syncModule(
  ctx: ServiceContext,
  moduleId: number,
  progress: SyncProgress = () => {},
): Promise<ModuleSyncSummary> {
  const db = await ctx.db();
  const { client } = await connectModule(ctx, moduleId);
  const items = await resoldItemsOfModule(db, moduleId);
  const listed = new Map<string, SellingIndex>();
  for (const itemtype of new Set(items.map((i) => i.itemtype).filter(Boolean))) {
    listed.set(itemtype, indexServices(await listSellingServices(client, itemtype)));
  }
  const summary: ModuleSyncSummary = {
    module: moduleId,
    items: items.length,
    repaired: [],
    unchanged: 0,
    missing: [],
    failed: [],
  };
  progress(0, items.length);
  for (const [index, item] of items.entries()) {
    try {
      const selling = sellingServiceOf(item, listed.get(item.itemtype));
      if (selling && 'error' in selling) throw selling.error;
      if (!selling) summary.missing.push(item.id);
      else {
        const result = await withItemLock(
          db,
          item.id,
          async () => {
            if (selling.id !== item.remoteid) await setItemRemoteid(db, item.id, selling.id);
            return repairDrift(ctx, item, selling);
          },
          MODULE_SYNC_LOCK_WAIT_SECONDS,
        );
        if (result.repaired.length > 0 || result.unrepairable.length > 0) summary.repaired.push(result);
        else summary.unchanged += 1;
      }
    } catch (err) {
      summary.failed.push({ item: item.id, error: toHostError(err).message });
    }
    progress(index + 1, items.length);
  }
  return summary;
}

/** The selling service behind a local one; an unreadable one is returned as such, to fail that service alone. */
function sellingServiceOf(
  item: ResoldItem,
  index: SellingIndex | undefined,
): SellingService | UnreadableService | undefined {
  if (!index) return undefined;
  return (
    (item.remoteid !== null ? index.byId.get(item.remoteid) : undefined) ??
    index.byRemoteid.get(String(item.id))
  );
}

interface SellingIndex {
  byId: Map<string, SellingService | UnreadableService>;
  byRemoteid: Map<string, SellingService | UnreadableService>;
}

function indexServices({ services, unreadable }: SellingServiceList): SellingIndex {
  const byRemoteid = new Map<string, SellingService | UnreadableService>();
  const byId = new Map<string, SellingService | UnreadableService>();
  // The first service ordered with a remoteid wins, as the open command's lookup finds it.
  for (const s of [...services, ...unreadable]) {
    if (s.remoteid !== '' && !byRemoteid.has(s.remoteid)) byRemoteid.set(s.remoteid, s);
    if (s.id !== '' && !byId.has(s.id)) byId.set(s.id, s);
  }
  return { byId, byRemoteid };
}
