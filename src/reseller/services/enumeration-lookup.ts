/**
 * Enum add-on values travel as the selling side's enumeration item ids. The host keeps its own enumeration items,
 * linked to the selling ones at import (`bmp_enumeration_link`); an item imported before links were kept, or one
 * whose link is gone, is found by intname in the selling tariff itself, read once and only when needed.
 */
import type { Knex } from 'knex';
import type { SellingClient } from '../../billmgr-api/types';
import { linkedSellingItems, linkKey } from '../../db/enumeration-link';
import type { AddonItem, ResoldItem } from '../../db/item';
import { enumerationItemsByAddon, exportTariff } from '../../billmgr-api/pricelist-export';
import { AddonType, sellingTariffId, type EnumerationLookup } from './order-params';

export async function enumerationLookup(
  db: Knex,
  client: SellingClient,
  item: ResoldItem,
  addons: readonly AddonItem[],
): Promise<EnumerationLookup> {
  const chosen = addons.filter(
    (a) => a.addontype === AddonType.enumeration && a.enumerationitem !== null && a.sellingAddonId !== null,
  );
  const linked =
    chosen.length > 0 && item.processingmodule !== null
      ? await linkedSellingItems(
          db,
          Number(item.processingmodule),
          chosen.map((a) => ({
            sellingAddon: a.sellingAddonId ?? '',
            enumerationitem: a.enumerationitem ?? 0,
          })),
        )
      : new Map<string, string>();
  const linkOf = (addon: AddonItem) =>
    linked.get(linkKey(addon.sellingAddonId ?? '', addon.enumerationitem ?? ''));
  const unlinked = chosen.some((a) => linkOf(a) === undefined);
  const byIntname = unlinked
    ? await sellingIdsByIntname(client, item)
    : new Map<string, Map<string, string>>();
  return (addon) => {
    const link = linkOf(addon);
    if (link !== undefined) return link;
    const items = byIntname.get(addon.sellingAddonId ?? '');
    const intname = addon.enumerationitemIntname ?? '';
    // The host may keep the selling intname as it is or prefixed with the selling id, as tariffs are.
    return intname ? (items?.get(intname) ?? items?.get(intname.replace(/^\d+-/, ''))) : undefined;
  };
}

/** Selling add-on id -> (enumeration item intname -> selling enumeration item id), from the selling tariff. */
async function sellingIdsByIntname(
  client: SellingClient,
  item: ResoldItem,
): Promise<Map<string, Map<string, string>>> {
  const tariff = await exportTariff(client, item.itemtype, sellingTariffId(item));
  return new Map(
    [...enumerationItemsByAddon(tariff)].map(([addon, items]) => [
      addon,
      new Map(items.filter((i) => i.intname && i.id).map((i) => [i.intname as string, i.id])),
    ]),
  );
}
