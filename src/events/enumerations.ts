/**
 * An enum add-on event carries the selling side's enumeration item id; the host keeps its own enumeration items,
 * imported by intname. The selling tariff's export says which intname an id is (the reverse of what
 * src/reseller/services/enumeration-lookup.ts reads when ordering). Read once per tariff and run.
 */
import type { SellingClient } from '../billmgr-api/types';
import { asList, textOf, type XmlNode } from '../contract/xml';

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
  const doc = await client.call('pricelist.export', { itemtype, elid: tariffId }, { safe: true });
  const names: SellingEnumerationNames = new Map();
  for (const tariff of nodes(doc.pricelist)) {
    if (textOf(tariff.id) !== tariffId) continue;
    for (const addon of nodes(tariff.addon)) {
      const items = new Map<string, string>();
      for (const enumeration of nodes(addon.enumeration)) {
        for (const item of nodes(enumeration.enumerationitem)) {
          const id = textOf(item.id);
          const intname = textOf(item.intname);
          if (id && intname) items.set(id, intname);
        }
      }
      names.set(textOf(addon.id) ?? '', items);
    }
  }
  return names;
}

function nodes(value: unknown): XmlNode[] {
  return asList(value as XmlNode | XmlNode[] | undefined).filter((v): v is XmlNode => typeof v === 'object');
}
