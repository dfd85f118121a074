/**
 * Brings a local tariff's add-ons, parameter values and enumerations in line with its selling tariff, by the
 * rules of seed 004's "Synchronization of tariff plans". Import runs the same steps on a fresh tariff, so what
 * import creates and what sync maintains cannot drift apart. Runs inside the caller's transaction.
 */
import type { Knex } from 'knex';
import {
  deleteItemPrices,
  findEnumeration,
  getEnumeration,
  insertEnumeration,
  insertEnumerationItem,
  insertItemPrice,
  listEnumerationItems,
  listPricedItems,
} from '../../db/pricelist-enumerations';
import {
  assignValue,
  findItemtypeParam,
  insertItemtypeParam,
  insertParamValue,
  listAssignedValues,
  listParamValues,
  unassignValues,
  updateParamValue,
} from '../../db/pricelist-params';
import {
  deletePricelists,
  ensureMeasure,
  insertPricelist,
  insertPricelistPrice,
  listAddonPricelists,
  updatePricelist,
  type DbPricelistRow,
} from '../../db/pricelist';
import { linkedLocalItems, linkEnumerationItem, linkKey } from '../../db/enumeration-link';
import type { Change } from './changes';
import { hostAmounts, pickPrice, type PricingRules } from './pricing';
import type {
  SellingAddon,
  SellingEnumeration,
  SellingEnumerationItem,
  SellingItemtypeParam,
  SellingPrice,
  SellingTariff,
} from '../../billmgr-api/pricelist-export';

/** Parameters whose values come from the selling side ("Operating system", "Pre-installed software"). */
export const SELLING_PARAMS = ['ostempl', 'recipe'] as const;

export interface ReconcileOptions {
  /** The processing module the tariff is resold through: selling ids are its own. */
  module: number;
  /** Import takes add-ons as sold; sync creates new ones switched off for the admin to review. */
  newAddonActive: 'on' | 'off';
}

export async function reconcileTariff(
  trx: Knex.Transaction,
  tariff: DbPricelistRow,
  selling: SellingTariff,
  rules: PricingRules,
  options: ReconcileOptions,
): Promise<Change[]> {
  const changes: Change[] = [];
  changes.push(...(await reconcileParams(trx, tariff, selling.params)));
  changes.push(...(await reconcileAddons(trx, tariff, selling, rules, options)));
  return changes;
}

async function reconcileParams(
  trx: Knex.Transaction,
  tariff: DbPricelistRow,
  params: readonly SellingItemtypeParam[],
): Promise<Change[]> {
  const changes: Change[] = [];
  const itemtype = Number(tariff.itemtype);
  const sold = new Set<string>();
  for (const param of params) {
    const paramId = await ensureParam(trx, itemtype, param);
    const existing = new Map((await listParamValues(trx, paramId)).map((v) => [v.intname ?? '', v]));
    const assigned = new Set((await listAssignedValues(trx, tariff.id)).map((v) => Number(v.id)));
    for (const [index, value] of param.values.entries()) {
      sold.add(`${param.intname}\n${value.intname}`);
      const row = existing.get(value.intname);
      let valueId: number;
      if (!row) {
        valueId = await insertParamValue(trx, {
          itemtypeparam: paramId,
          intname: value.intname,
          name: value.name,
          tags: value.tags,
          orderpriority: index + 1,
        });
      } else {
        valueId = Number(row.id);
        const update = valueUpdate(row, value);
        if (update) {
          await updateParamValue(trx, valueId, update.changes);
          changes.push({
            object: 'paramvalue',
            action: 'updated',
            id: valueId,
            param: param.intname,
            intname: value.intname,
            detail: update.detail,
          });
        }
      }
      if (!assigned.has(valueId)) {
        await assignValue(trx, tariff.id, valueId);
        changes.push({
          object: 'paramvalue',
          action: 'added',
          id: valueId,
          param: param.intname,
          intname: value.intname,
        });
      }
    }
  }
  const managed = new Set<string>([...SELLING_PARAMS, ...params.map((p) => p.intname)]);
  const unsold = (await listAssignedValues(trx, tariff.id)).filter(
    (v) => managed.has(v.paramIntname) && !sold.has(`${v.paramIntname}\n${v.intname ?? ''}`),
  );
  await unassignValues(
    trx,
    tariff.id,
    unsold.map((v) => Number(v.id)),
  );
  for (const v of unsold) {
    changes.push({
      object: 'paramvalue',
      action: 'removed',
      id: Number(v.id),
      param: v.paramIntname,
      intname: v.intname ?? '',
    });
  }
  return changes;
}

async function ensureParam(
  trx: Knex.Transaction,
  itemtype: number,
  param: SellingItemtypeParam,
): Promise<number> {
  const found = await findItemtypeParam(trx, itemtype, param.intname);
  return found
    ? Number(found.id)
    : insertItemtypeParam(trx, { itemtype, intname: param.intname, name: param.name });
}

function valueUpdate(
  row: { name: string | null; tags: string | null },
  value: { name: string; tags: string },
): { changes: { name?: string; tags?: string }; detail: string } | undefined {
  const changes: { name?: string; tags?: string } = {};
  const details: string[] = [];
  if ((row.tags ?? '') !== value.tags) {
    changes.tags = value.tags;
    details.push(`tags: ${row.tags ?? ''} -> ${value.tags}`);
  }
  if ((row.name ?? '') !== value.name) {
    changes.name = value.name;
    details.push(`name: ${row.name ?? ''} -> ${value.name}`);
  }
  return details.length ? { changes, detail: details.join('; ') } : undefined;
}

async function reconcileAddons(
  trx: Knex.Transaction,
  tariff: DbPricelistRow,
  selling: SellingTariff,
  rules: PricingRules,
  options: ReconcileOptions,
): Promise<Change[]> {
  const changes: Change[] = [];
  const active = new Map(selling.addons.filter((a) => a.active).map((a) => [a.id, a]));
  const locals = await listAddonPricelists(trx, tariff.id);
  const gone = locals.filter((local) => !active.has(local.remoteid ?? ''));
  await deletePricelists(
    trx,
    gone.map((g) => Number(g.id)),
  );
  for (const g of gone) {
    changes.push({
      object: 'addon',
      action: 'deleted',
      id: Number(g.id),
      remoteid: g.remoteid ?? '',
      intname: g.intname ?? '',
    });
  }
  const kept = new Map(locals.filter((l) => !gone.includes(l)).map((l) => [l.remoteid ?? '', l]));
  for (const addon of active.values()) {
    let local = kept.get(addon.id);
    if (!local) {
      local = await createAddon(trx, tariff, addon, rules, options.newAddonActive);
      changes.push({
        object: 'addon',
        action: 'created',
        id: local.id,
        remoteid: addon.id,
        intname: addon.intname,
      });
    }
    if (addon.enumeration)
      changes.push(...(await reconcileEnumeration(trx, options.module, local, addon.enumeration, rules)));
  }
  return changes;
}

async function createAddon(
  trx: Knex.Transaction,
  tariff: DbPricelistRow,
  addon: SellingAddon,
  rules: PricingRules,
  active: 'on' | 'off',
): Promise<DbPricelistRow> {
  const row = {
    name: addon.name,
    project: tariff.project,
    itemtype: tariff.itemtype,
    parent: tariff.id,
    intname: addon.intname,
    remoteid: addon.id,
    active,
    addontype: addon.addontype,
    billtype: addon.billtype,
    addonlimit: addon.limit,
    addonmin: addon.min,
    addonmax: addon.max,
    addonstep: addon.step,
    measure: addon.measure ? await ensureMeasure(trx, addon.measure) : null,
    enumeration: null,
    enumerationitem: null,
    orderpriority: null,
  };
  const id = await insertPricelist(trx, row);
  await writePrice(trx, id, addon.prices, rules);
  return { id, ...row };
}

async function writePrice(
  trx: Knex.Transaction,
  pricelist: number,
  prices: readonly SellingPrice[],
  rules: PricingRules,
): Promise<void> {
  const price = pickPrice(prices, rules.main);
  if (price && price.costs.length > 0)
    await insertPricelistPrice(trx, pricelist, rules.main.id, hostAmounts(price, rules));
}

/**
 * Enumeration and items created when missing; item prices created for sold items, deleted for the rest. Each is
 * found by its selling id first (the module's links), then by intname where the selling side sends one.
 */
async function reconcileEnumeration(
  trx: Knex.Transaction,
  module: number,
  addon: DbPricelistRow,
  selling: SellingEnumeration,
  rules: PricingRules,
): Promise<Change[]> {
  const changes: Change[] = [];
  const enumeration = await localEnumeration(trx, addon, selling, changes);
  if (Number(addon.enumeration) !== enumeration) await updatePricelist(trx, addon.id, { enumeration });

  const sellingAddon = addon.remoteid ?? '';
  const sold = selling.items.filter((i) => i.active);
  const linked = await linkedLocalItems(
    trx,
    module,
    sold.filter((i) => i.id).map((i) => ({ sellingAddon, sellingItem: i.id })),
  );
  const locals = await listEnumerationItems(trx, enumeration);
  const localIds = new Set(locals.map((i) => Number(i.id)));
  const byIntname = new Map(locals.map((i) => [i.intname ?? '', Number(i.id)]));
  const soldLocal = new Map<number, SellingEnumerationItem>();
  for (const [index, item] of sold.entries()) {
    const link = item.id ? linked.get(linkKey(sellingAddon, item.id)) : undefined;
    let id =
      link !== undefined && localIds.has(link)
        ? link
        : item.intname
          ? byIntname.get(item.intname)
          : undefined;
    if (id === undefined) {
      id = await insertEnumerationItem(trx, {
        enumeration,
        intname: item.intname,
        name: item.name,
        orderpriority: index + 1,
      });
      changes.push({ object: 'enumerationitem', action: 'created', id, intname: nameOf(item) });
    }
    if (item.id && link !== id)
      await linkEnumerationItem(trx, module, { sellingAddon, sellingItem: item.id, enumerationitem: id });
    soldLocal.set(id, item);
  }

  const priced = await listPricedItems(trx, addon.id);
  const pricedIds = new Set(priced.map((p) => Number(p.enumerationitem)));
  const unsold = priced.filter((p) => !soldLocal.has(Number(p.enumerationitem)));
  await deleteItemPrices(
    trx,
    addon.id,
    unsold.map((p) => Number(p.enumerationitem)),
  );
  for (const p of unsold) {
    changes.push({
      object: 'enumerationprice',
      action: 'deleted',
      id: Number(p.enumerationitem),
      intname: p.intname ?? p.name ?? '',
    });
  }
  for (const [itemId, item] of soldLocal) {
    if (pricedIds.has(itemId)) continue;
    const price = pickPrice(item.prices, rules.main);
    await insertItemPrice(trx, addon.id, itemId, rules.main.id, price ? hostAmounts(price, rules) : {});
    changes.push({ object: 'enumerationprice', action: 'created', id: itemId, intname: nameOf(item) });
  }
  return changes;
}

/**
 * The host enumeration of a selling add-on's: the one the add-on tariff already has, else the one of the same
 * intname, else a new one.
 */
async function localEnumeration(
  trx: Knex.Transaction,
  addon: DbPricelistRow,
  selling: SellingEnumeration,
  changes: Change[],
): Promise<number> {
  const own = addon.enumeration === null ? undefined : await getEnumeration(trx, Number(addon.enumeration));
  let enumeration =
    own?.id ?? (selling.intname ? (await findEnumeration(trx, selling.intname))?.id : undefined);
  if (enumeration === undefined) {
    enumeration = await insertEnumeration(trx, { intname: selling.intname, name: selling.name });
    changes.push({ object: 'enumeration', action: 'created', id: enumeration, intname: nameOf(selling) });
  }
  return Number(enumeration);
}

/** How a change names a selling enumeration (item): its intname, else its name and selling id. */
function nameOf(selling: { id: string; intname: string | null; name: string }): string {
  return selling.intname ?? `${selling.name} (selling id ${selling.id})`;
}
