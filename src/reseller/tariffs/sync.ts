/** Tariff sync (`sync_pricelist`, the host's `pricelist.sync elid=`): seed 004 "Synchronization of tariff plans". */
import { SellingXmlError } from '../../billmgr-api/types';
import { HostError } from '../../contract/errors';
import { listPeriodMappings } from '../../db/period-mapping';
import {
  getItemtype,
  getPricelist,
  listModulePricelists,
  lockModuleTariffs,
  modulesOfPricelist,
  type DbPricelistRow,
} from '../../db/pricelist';
import type { TariffReport } from './changes';
import { loadMainCurrency, loadRates, type HostCurrencies } from './host-currencies';
import { hostOrderPeriods, fetchSellingTariff, type TariffDeps } from './import';
import { foreignCurrencies } from './pricing';
import { reconcileTariff } from './reconcile';

/**
 * Syncs one imported tariff (`pricelist`) or every tariff of the module. Each tariff is synced in its own
 * transaction under the module lock, so a second run at the same time waits and then finds nothing to do.
 */
export async function syncTariffs(deps: TariffDeps, pricelist?: number): Promise<TariffReport[]> {
  const targets = pricelist === undefined ? await moduleTariffs(deps) : [await moduleTariff(deps, pricelist)];
  const currencies = await loadMainCurrency(deps.db);
  const reports: TariffReport[] = [];
  const vanished: string[] = [];
  const unreadable: string[] = [];
  for (const target of targets) {
    try {
      reports.push(await syncTariff(deps, target, currencies));
    } catch (err) {
      // With every tariff of the module, one the selling side no longer has or sends unreadable fails alone.
      if (pricelist !== undefined || !(err instanceof HostError)) throw err;
      if (err instanceof SellingXmlError) unreadable.push(`${target.id}: ${err.message}`);
      else if (err.type === 'missed' && err.object === 'pricelist')
        vanished.push(`${target.id} (selling tariff ${target.remoteid ?? ''})`);
      else throw err;
    }
  }
  const problems = [
    ...(vanished.length
      ? [`the selling BILLmanager no longer has the tariffs of ${vanished.join(', ')}`]
      : []),
    ...unreadable.map((problem) => `local tariff ${problem}`),
  ];
  if (problems.length > 0) {
    throw new HostError(
      vanished.length ? 'missed' : 'xml',
      'pricelist',
      `${problems.join('; ')}; ${reports.length} other tariff(s) were synced`,
    );
  }
  return reports;
}

async function syncTariff(
  deps: TariffDeps,
  target: DbPricelistRow,
  { main }: HostCurrencies,
): Promise<TariffReport> {
  const itemtype = target.itemtype === null ? undefined : await getItemtype(deps.db, target.itemtype);
  const selling = await fetchSellingTariff(
    deps.selling,
    target.remoteid ?? '',
    itemtype?.intname ?? undefined,
  );
  // A rate that is missing only matters if sync has something new to price: then pricing throws and nothing is written.
  const { rates } = await loadRates(deps.db, main, foreignCurrencies(selling, main));
  const rules = {
    main,
    rates,
    hostPeriods: itemtype ? hostOrderPeriods(itemtype) : [],
    mappings: await listPeriodMappings(deps.db, deps.module),
    itemtype: selling.itemtype || (itemtype?.intname ?? ''),
    pricelist: target.id,
  };
  const changes = await deps.db.transaction(async (trx) => {
    await lockModuleTariffs(trx, deps.module);
    const fresh = await getPricelist(trx, target.id);
    if (!fresh) throw new HostError('missed', 'pricelist', `tariff ${target.id} was deleted while syncing`);
    return reconcileTariff(trx, fresh, selling, rules, { module: deps.module, newAddonActive: 'off' });
  });
  return {
    pricelist: target.id,
    remoteid: target.remoteid ?? '',
    intname: target.intname ?? '',
    name: target.name ?? '',
    status: 'synced',
    changes,
  };
}

async function moduleTariffs(deps: TariffDeps): Promise<DbPricelistRow[]> {
  return (await listModulePricelists(deps.db, deps.module)).filter((t) => t.remoteid);
}

async function moduleTariff(deps: TariffDeps, id: number): Promise<DbPricelistRow> {
  const tariff = await getPricelist(deps.db, id);
  const linked = tariff ? await modulesOfPricelist(deps.db, id) : [];
  if (!tariff || tariff.parent !== null || !tariff.remoteid || !linked.includes(deps.module)) {
    throw new HostError(
      'missed',
      'pricelist',
      `tariff ${id} was not imported through processing module ${deps.module}`,
      {
        value: String(id),
      },
    );
  }
  return tariff;
}
