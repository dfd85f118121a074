/**
 * `open`: orders the service on the selling side and links the two; activation arrives later through checkevent.
 *
 * Never orders twice: our item id travels as remoteid with the order, and every run first asks the selling side
 * for a service with that remoteid. A run that died anywhere after the order (no answer, a crash before the link
 * was stored) is finished by the next run without a second order.
 */
import { HostError } from '../../contract/errors';
import { textOf } from '../../contract/xml';
import { addonItemsOf, setItemRemoteid, type ResoldItem } from '../../db/item';
import { withItemLock } from '../../db/item-lock';
import { itemParams } from '../../db/itemparam';
import { listPeriodMappings } from '../../db/period-mapping';
import { periodLabel } from '../../domain/periods';
import type { SellingClient } from '../../billmgr-api/types';
import type { ServiceContext } from './context';
import { enumerationLookup } from './enumeration-lookup';
import { markOperationManual, requireMinimalBalance, requireResoldItem } from './item-operation';
import { orderParams } from './order-params';
import { connectModule } from './selling-client';
import { findByRemoteid } from './selling-services';

export interface OpenResult {
  sellingId: string;
  /** False when an earlier run had already ordered it. */
  ordered: boolean;
}

export async function openService(
  ctx: ServiceContext,
  itemId: number,
  runningoperation?: number,
): Promise<OpenResult> {
  const db = await ctx.db();
  // A second open started meanwhile waits here, then finds this one's order by remoteid.
  return withItemLock(db, itemId, async () =>
    openLocked(ctx, await requireResoldItem(db, itemId), runningoperation),
  );
}

async function openLocked(
  ctx: ServiceContext,
  item: ResoldItem & { processingmodule: number },
  runningoperation: number | undefined,
): Promise<OpenResult> {
  const db = await ctx.db();
  const { settings, client } = await connectModule(ctx, item.processingmodule);

  const earlier = await findByRemoteid(client, item.itemtype, item.id);
  let result: OpenResult;
  if (earlier) {
    ctx.log.info(
      `service ${item.id} was already ordered as selling service ${earlier.id}: not ordering again`,
    );
    result = { sellingId: earlier.id, ordered: false };
  } else {
    await requireMinimalBalance(client, settings, `ordering service ${item.id}`);
    result = { sellingId: await placeOrder(ctx, client, item), ordered: true };
  }
  await setItemRemoteid(db, item.id, result.sellingId);
  await markOperationManual(ctx, runningoperation);
  return result;
}

/** Orders once (never retried: a repeat could order twice) and returns the selling id. */
async function placeOrder(
  ctx: ServiceContext,
  client: SellingClient,
  item: ResoldItem & { processingmodule: number },
): Promise<string> {
  const db = await ctx.db();
  const addons = await addonItemsOf(db, item.id);
  const params = orderParams({
    item,
    addons,
    itemParams: await itemParams(db, item.id),
    mappings: await listPeriodMappings(db, item.processingmodule),
    enumerationId: await enumerationLookup(db, client, item, addons),
  });
  ctx.log.info(
    `ordering service ${item.id}: ${item.itemtype} tariff ${String(params.pricelist)} for ${periodLabel(Number(params.period))}`,
  );
  const answer = await client.call(`${item.itemtype}.order.param`, params, { safe: false });
  const sellingId = textOf(answer.id)?.trim() || (await findByRemoteid(client, item.itemtype, item.id))?.id;
  if (!sellingId) {
    throw new HostError(
      'missed',
      'item',
      `service ${item.id}: the selling side accepted the order but lists no service with remoteid ${item.id}; the next try looks again`,
      { elid: String(item.id) },
    );
  }
  ctx.log.info(`service ${item.id} ordered as selling service ${sellingId}`);
  return sellingId;
}
