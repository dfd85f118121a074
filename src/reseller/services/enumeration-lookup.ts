/**
 * Enum add-on values travel as the selling side's enumeration item ids. The host keeps its own enumeration items
 * (imported by intname), so the ids are read from the selling tariff itself, once, and only when a service has
 * an enum add-on with a value.
 */
import { asList, textOf, type XmlNode } from '../../contract/xml';
import type { SellingClient } from '../../billmgr-api/types';
import type { AddonItem } from '../../db/item';
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
  const doc = await client.call('pricelist.export', { itemtype, elid: tariffId }, { safe: true });
  const ids: EnumerationIds = new Map();
  for (const tariff of nodes(doc.pricelist)) {
    if (textOf(tariff.id) !== tariffId) continue;
    for (const addon of nodes(tariff.addon)) {
      const items = new Map<string, string>();
      for (const enumeration of nodes(addon.enumeration)) {
        for (const item of nodes(enumeration.enumerationitem)) {
          const id = textOf(item.id);
          const intname = textOf(item.intname);
          if (id && intname) items.set(intname, id);
        }
      }
      ids.set(textOf(addon.id) ?? '', items);
    }
  }
  return ids;
}

function nodes(value: unknown): XmlNode[] {
  return asList(value as XmlNode | XmlNode[] | undefined).filter((v): v is XmlNode => typeof v === 'object');
}
