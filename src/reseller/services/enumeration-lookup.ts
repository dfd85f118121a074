/**
 * Enum add-on values travel as the selling side's enumeration item ids. The host keeps its own enumeration items
 * (imported by intname), so the ids are read from the selling tariff itself, once, and only when a service has
 * an enum add-on with a value.
 */
import type { SellingClient } from '../../billmgr-api/types';
import type { AddonItem } from '../../db/item';
import { enumerationItemsByAddon, exportTariff } from '../../billmgr-api/pricelist-export';
import { AddonType, type EnumerationLookup } from './order-params';

/** Selling add-on id -> (enumeration item intname -> selling enumeration item id). */
type EnumerationIds = Map<string, Map<string, string>>;

export async function enumerationLookup(
  client: SellingClient,
  itemtype: string,
  sellingTariffId: string,
  addons: readonly AddonItem[],
): Promise<EnumerationLookup> {
  const needed = addons.some((a) => a.addontype === AddonType.enumeration && a.enumerationitem !== null);
  const ids: EnumerationIds = needed
    ? await exportEnumerationIds(client, itemtype, sellingTariffId)
    : new Map();
  return (addon) => {
    const items = ids.get(addon.sellingAddonId ?? '');
    const intname = addon.enumerationitemIntname ?? '';
    // The host may keep the selling intname as it is or prefixed with the selling id, as tariffs are.
    return items?.get(intname) ?? items?.get(intname.replace(/^\d+-/, ''));
  };
}

async function exportEnumerationIds(
  client: SellingClient,
  itemtype: string,
  tariffId: string,
): Promise<EnumerationIds> {
  const byAddon = enumerationItemsByAddon(await exportTariff(client, itemtype, tariffId));
  return new Map([...byAddon].map(([addon, items]) => [addon, new Map(items.map((i) => [i.intname, i.id]))]));
}
