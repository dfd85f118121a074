/** What the selling side is told about a service: its order, its add-on values and its period (pure). */
import { HostError } from '../../contract/errors';
import type { SellingParams } from '../../billmgr-api/types';
import type { AddonItem, ResoldItem } from '../../db/item';
import { mapPeriod, type PeriodMapping } from '../../domain/periods';

export const AddonType = { boolean: 1, integer: 2, enumeration: 3 } as const;

/** The selling tariff id of a service's tariff: `pricelist.remoteid`, else the `<id>-` prefix of its intname. */
export function sellingTariffId(item: ResoldItem): string {
  const fromIntname = /^(\d+)-/.exec(item.pricelistIntname ?? '')?.[1];
  const id = item.pricelistRemoteid ?? fromIntname;
  if (!id) {
    throw new HostError(
      'missed',
      'pricelist',
      `service ${item.id}: its tariff ${item.pricelist ?? 'none'} was not imported from the selling side (no selling tariff id)`,
      { elid: String(item.id) },
    );
  }
  return id;
}

/** The period to order or prolong on the selling side: the service's own, through the module's period comparison. */
export function sellingPeriod(item: ResoldItem, mappings: readonly PeriodMapping[]): number {
  if (item.period === null) {
    throw new HostError('missed', 'period', `service ${item.id} has no order period`, {
      elid: String(item.id),
    });
  }
  return mapPeriod(mappings, {
    period: item.period,
    itemtype: item.itemtype,
    pricelist: item.pricelist ?? 0,
  });
}

/** Selling enumeration item id of an enum add-on's chosen value; undefined when it cannot be told. */
export type EnumerationLookup = (addon: AddonItem) => string | undefined;

/**
 * `addon_<selling add-on id>=<value>` for every add-on with a value: integer as its amount, boolean on/off,
 * enumeration as the selling enumeration item id. An add-on tariff without a selling id was not imported from
 * the selling side and is left out; an enumeration value that cannot be told is an error, never a guess.
 */
export function addonParams(
  itemId: number,
  addons: readonly AddonItem[],
  enumerationId: EnumerationLookup,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const addon of addons) {
    if (addon.sellingAddonId === null) continue;
    const value = addonValue(addon, enumerationId);
    if (value === undefined) continue;
    params[`addon_${addon.sellingAddonId}`] = value;
  }
  return params;

  function addonValue(addon: AddonItem, lookup: EnumerationLookup): string | undefined {
    switch (addon.addontype) {
      case AddonType.boolean:
        return addon.boolvalue === null ? undefined : addon.boolvalue === 'on' ? 'on' : 'off';
      case AddonType.enumeration: {
        if (addon.enumerationitem === null) return undefined;
        const id = lookup(addon);
        if (id === undefined) {
          throw new HostError(
            'missed',
            'enumerationitem',
            `service ${itemId}: add-on ${addon.sellingAddonId ?? ''} has value '${addon.enumerationitemIntname ?? addon.enumerationitem}' that the selling tariff does not offer`,
            { elid: String(itemId) },
          );
        }
        return id;
      }
      default:
        return addon.intvalue === null ? undefined : String(addon.intvalue);
    }
  }
}

export interface OrderInput {
  item: ResoldItem;
  addons: readonly AddonItem[];
  itemParams: Readonly<Record<string, string>>;
  mappings: readonly PeriodMapping[];
  enumerationId: EnumerationLookup;
}

/** The parameters of `<itemtype>.order.param`: our item id travels as remoteid, so the order can be found again. */
export function orderParams({
  item,
  addons,
  itemParams,
  mappings,
  enumerationId,
}: OrderInput): SellingParams {
  const ostempl = itemParams.ostempl;
  return {
    pricelist: sellingTariffId(item),
    period: sellingPeriod(item, mappings),
    ...(ostempl ? { ostempl } : {}),
    ...addonParams(item.id, addons, enumerationId),
    remoteid: item.id,
    skipbasket: 'on',
    sok: 'ok',
  };
}
