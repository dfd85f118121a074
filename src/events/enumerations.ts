/**
 * An enum add-on event carries the selling side's enumeration item id; the host keeps its own enumeration items,
 * imported by intname. The selling tariff's export says which intname an id is (the reverse of what
 * src/reseller/services/enumeration-lookup.ts reads when ordering). Read once per tariff and run.
 */
import type { SellingClient } from '../billmgr-api/types';
import { enumerationItemsByAddon, exportTariff } from '../billmgr-api/pricelist-export';

/** Selling add-on id -> (selling enumeration item id -> intname). */
export type SellingEnumerationNames = Map<string, Map<string, string>>;

export type TariffEnumerations = (
  itemtype: string,
  sellingTariffId: string,
) => Promise<SellingEnumerationNames>;

export function tariffEnumerations(client: SellingClient): TariffEnumerations {
  const cache = new Map<string, Promise<SellingEnumerationNames>>();
  return (itemtype, tariffId) => {
    const key = `${itemtype}:${tariffId}`;
    let names = cache.get(key);
    if (!names) {
      names = exportNames(client, itemtype, tariffId);
      cache.set(key, names);
      names.catch(() => cache.delete(key));
    }
    return names;
  };
}

async function exportNames(
  client: SellingClient,
  itemtype: string,
  tariffId: string,
): Promise<SellingEnumerationNames> {
  const byAddon = enumerationItemsByAddon(await exportTariff(client, itemtype, tariffId));
  return new Map(
    [...byAddon].map(([addon, items]) => [
      addon,
      new Map(items.filter((i) => i.id && i.intname).map((i) => [i.id, i.intname as string])),
    ]),
  );
}
