/**
 * suspend, resume, close, setparam and prolong of a resold service. Each asks the selling side for the service's
 * state first, so that a repeat (after a timeout, a crash, or the core's own retry) does nothing twice: suspending
 * a suspended service, closing a deleted one or prolonging one already paid up to our expiry date is a success.
 * Then, as open does, the running operation is set to manual: the selling side reports the outcome as events.
 */
import { HostError } from '../../contract/errors';
import type { SellingClient } from '../../billmgr-api/types';
import { addonItemsOf, type ResoldItem } from '../../db/item';
import { withItemLock } from '../../db/item-lock';
import { itemParams } from '../../db/itemparam';
import { listPeriodMappings } from '../../db/period-mapping';
import { periodLabel } from '../../domain/periods';
import type { ServiceContext } from './context';
import { enumerationLookup } from './enumeration-lookup';
import {
  locateSellingService,
  markOperationManual,
  requireMinimalBalance,
  requireResoldItem,
  requireSellingService,
} from './item-operation';
import { addonParams, sellingPeriod } from './order-params';
import { connectModule } from './selling-client';
import { ItemStatus, type SellingService } from './selling-services';

export type LifecycleCommand = 'suspend' | 'resume' | 'close' | 'setparam' | 'prolong';

/** What a run did: `done` when it asked the selling side for the change, `already` when nothing was left to do. */
export interface LifecycleResult {
  outcome: 'done' | 'already';
  sellingId?: string;
}

type Step = (run: Run) => Promise<LifecycleResult>;

interface Run {
  ctx: ServiceContext;
  client: SellingClient;
  item: ResoldItem & { processingmodule: number };
  minimalBalance: (what: string) => Promise<void>;
}

const STEPS: Readonly<Record<LifecycleCommand, Step>> = {
  suspend: async ({ ctx, client, item }) => {
    const selling = await requireLiveService(ctx, client, item, 'suspend');
    if (selling.status === ItemStatus.suspended) return { outcome: 'already', sellingId: selling.id };
    await client.call(`${item.itemtype}.suspend`, { elid: selling.id, sok: 'ok' });
    return { outcome: 'done', sellingId: selling.id };
  },
  resume: async ({ ctx, client, item }) => {
    const selling = await requireLiveService(ctx, client, item, 'resume');
    if (selling.status === ItemStatus.active) return { outcome: 'already', sellingId: selling.id };
    await client.call(`${item.itemtype}.resume`, { elid: selling.id, sok: 'ok' });
    return { outcome: 'done', sellingId: selling.id };
  },
  close: async ({ ctx, client, item }) => {
    const selling = await locateSellingService(await ctx.db(), client, item);
    // Never ordered, or gone from the selling side: nothing is left to delete there.
    if (!selling || selling.status === ItemStatus.deleted)
      return { outcome: 'already', ...(selling ? { sellingId: selling.id } : {}) };
    await client.call(`${item.itemtype}.delete`, { elid: selling.id, sok: 'ok' });
    return { outcome: 'done', sellingId: selling.id };
  },
  setparam: async ({ ctx, client, item }) => {
    const selling = await requireLiveService(ctx, client, item, 'change');
    const db = await ctx.db();
    const addons = await addonItemsOf(db, item.id);
    const lookup = await enumerationLookup(db, client, item, addons);
    // Values are sent whole, not as differences: editing to the same values again changes nothing.
    await client.call(`${item.itemtype}.edit`, {
      elid: selling.id,
      ...editableParams(await itemParams(db, item.id)),
      ...addonParams(item.id, addons, lookup),
      sok: 'ok',
    });
    return { outcome: 'done', sellingId: selling.id };
  },
  prolong: async ({ ctx, client, item, minimalBalance }) => {
    const selling = await requireLiveService(ctx, client, item, 'prolong');
    if (paidUpTo(selling, item)) {
      ctx.log.info(
        `service ${item.id}: selling service ${selling.id} already runs until ${selling.expiredate}`,
      );
      return { outcome: 'already', sellingId: selling.id };
    }
    const period = sellingPeriod(item, await listPeriodMappings(await ctx.db(), item.processingmodule));
    await minimalBalance(`prolonging service ${item.id}`);
    ctx.log.info(`prolonging selling service ${selling.id} by ${periodLabel(period)}`);
    await client.call('service.prolong', { elid: selling.id, period, sok: 'ok' });
    return { outcome: 'done', sellingId: selling.id };
  },
};

export async function runLifecycle(
  ctx: ServiceContext,
  command: LifecycleCommand,
  itemId: number,
  runningoperation?: number,
): Promise<LifecycleResult> {
  const db = await ctx.db();
  return withItemLock(db, itemId, async () => {
    const item = await requireResoldItem(db, itemId);
    const { settings, client } = await connectModule(ctx, item.processingmodule);
    const minimalBalance = (what: string) => requireMinimalBalance(client, settings, what);
    const result = await STEPS[command]({ ctx, client, item, minimalBalance });
    ctx.log.info(
      `${command} of service ${item.id}: ${result.outcome === 'done' ? 'sent to the selling side' : 'nothing left to do'}`,
    );
    await markOperationManual(ctx, runningoperation);
    return result;
  });
}

async function requireLiveService(
  ctx: ServiceContext,
  client: SellingClient,
  item: ResoldItem,
  action: string,
): Promise<SellingService> {
  const selling = await requireSellingService(await ctx.db(), client, item);
  if (selling.status === ItemStatus.deleted) {
    throw new HostError(
      'value',
      'item',
      `cannot ${action} service ${item.id}: selling service ${selling.id} is deleted`,
      {
        elid: String(item.id),
      },
    );
  }
  return selling;
}

/**
 * The core moves our expiry date before it asks the module to prolong [assumed, as BILLmanager does]; the
 * selling service is paid up when it runs at least as long as ours. That is what makes a repeat harmless.
 */
function paidUpTo(selling: SellingService, item: ResoldItem): boolean {
  return item.expiredate !== null && selling.expiredate !== '' && selling.expiredate >= item.expiredate;
}

/** Parameters set at order time or owned by the selling side are never sent back with an edit. */
const NOT_EDITABLE = new Set(['ostempl', 'username', 'password', 'userpassword', 'ip', 'panelid', 'domain']);
/** Names the API itself uses: a parameter called so would change the request, not the service. */
const API_NAMES = new Set(['func', 'out', 'auth', 'authinfo', 'elid', 'sok', 'lang', 'remoteid']);

function editableParams(params: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter(
      ([name]) => !NOT_EDITABLE.has(name) && !API_NAMES.has(name) && !name.startsWith('addon_'),
    ),
  );
}
