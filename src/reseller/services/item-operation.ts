/** What every operation on one resold service shares: the service, its selling twin, the balance gate, the finish. */
import type { Knex } from 'knex';
import { HostError } from '../../contract/errors';
import { whoami } from '../../billmgr-api/account';
import type { SellingClient } from '../../billmgr-api/types';
import { getResoldItem, setItemRemoteid, type ResoldItem } from '../../db/item';
import type { ModuleSettings } from '../../db/processing-module';
import { call, coreCalls } from '../../host/core';
import { formatMoney, money } from '../../domain/money';
import type { ServiceContext } from './context';
import { findById, findByRemoteid, type SellingService } from './selling-services';

/** The service of `--item`; one that does not exist or has no processing module is the caller's error. */
export async function requireResoldItem(
  db: Knex,
  itemId: number,
): Promise<ResoldItem & { processingmodule: number }> {
  const item = await getResoldItem(db, itemId);
  if (!item)
    throw new HostError('missed', 'item', `service ${itemId} does not exist`, { elid: String(itemId) });
  if (item.processingmodule === null) {
    throw new HostError('value', 'item', `service ${itemId} has no processing module`, {
      elid: String(itemId),
    });
  }
  if (!item.itemtype) {
    throw new HostError(
      'value',
      'item',
      `service ${itemId} has no product type (tariff ${item.pricelist ?? 'none'})`,
      {
        elid: String(itemId),
      },
    );
  }
  return { ...item, processingmodule: item.processingmodule };
}

/**
 * The selling service behind a local one: by the stored selling id, else by our id sent as remoteid with the order
 * (an earlier run may have ordered and then died before storing the link). A link found that way is stored.
 */
export async function locateSellingService(
  db: Knex,
  client: SellingClient,
  item: ResoldItem,
): Promise<SellingService | undefined> {
  if (item.remoteid !== null) {
    const linked = await findById(client, item.itemtype, item.remoteid);
    if (linked) return linked;
  }
  const ordered = await findByRemoteid(client, item.itemtype, item.id);
  if (ordered && ordered.id !== item.remoteid) await setItemRemoteid(db, item.id, ordered.id);
  return ordered;
}

/** Like locateSellingService, for operations that cannot go on without the selling service. */
export async function requireSellingService(
  db: Knex,
  client: SellingClient,
  item: ResoldItem,
): Promise<SellingService> {
  const selling = await locateSellingService(db, client, item);
  if (!selling) {
    const known =
      item.remoteid === null
        ? 'no selling service was ordered for it'
        : `selling service ${item.remoteid} is not listed`;
    throw new HostError('missed', 'item', `service ${item.id}: ${known} on the selling side`, {
      elid: String(item.id),
    });
  }
  return selling;
}

/**
 * Refuses while the selling account holds less than the module's minimal balance. The minimal balance is an
 * amount of the selling account's money (the module form has no currency of its own), so it is compared in
 * the selling account's currency. Nothing is changed by a refusal: the operation stays for a later try.
 */
export async function requireMinimalBalance(
  client: SellingClient,
  settings: ModuleSettings,
  what: string,
): Promise<void> {
  if (!settings.minBalance) return;
  const { balance } = await whoami(client);
  const minimum = money(settings.minBalance.minor, balance.currency);
  if (balance.minor < minimum.minor) {
    throw new HostError(
      'balance',
      'processingmodule',
      `${what} refused: the selling balance ${formatMoney(balance)} is below the module's minimal balance ${formatMoney(minimum)}; the operation stays open for a later try`,
      { processingmodule: String(settings.id) },
    );
  }
}

/** The selling side has the request: the core must not repeat the operation by itself (seed 004). */
export async function markOperationManual(
  ctx: ServiceContext,
  runningoperation: number | undefined,
): Promise<void> {
  if (runningoperation === undefined) return;
  await call(ctx.mgrctl, coreCalls.setManual(runningoperation));
}
