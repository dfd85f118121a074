/** Checks of order and edit parameters against a tariff; each refusal is type="value" naming the parameter. */
import { HostError } from '../contract/errors';
import { priceFor } from './pricing';
import type { ItemType, PricePeriod, SellingAddon, SellingTariff } from './types';
import type { TariffCatalog } from './tariffs';

export function badValue(param: string, value: string, message: string): HostError {
  return new HostError('value', param, message, { value });
}

/** An integer parameter, or a type="value" error naming it. */
export function integerParam(name: string, value: string | undefined): number {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) {
    throw badValue(name, value ?? '', `'${name}' must be an integer`);
  }
  return Number(value);
}

export function orderableTariff(catalog: TariffCatalog, itemtype: ItemType, id: number): SellingTariff {
  const tariff = catalog.find(id);
  if (!tariff || tariff.itemtype !== itemtype) {
    throw badValue('pricelist', String(id), `no ${itemtype} tariff ${id}`);
  }
  if (!tariff.active) throw badValue('pricelist', String(id), `tariff ${id} is not available for ordering`);
  return tariff;
}

export function tariffPeriod(tariff: SellingTariff, code: number): PricePeriod {
  const price = priceFor(tariff.prices, code);
  if (!price) throw badValue('period', String(code), `tariff ${tariff.id} has no price for period ${code}`);
  return price;
}

/** The OS template for tariffs that have the ostempl parameter (required there), '' for the others. */
export function osTemplate(tariff: SellingTariff, ostempl: string | undefined): string {
  if (tariff.osTemplates.length === 0) return '';
  if (!ostempl)
    throw badValue('ostempl', '', `an operating system (ostempl) is required for tariff ${tariff.id}`);
  if (!tariff.osTemplates.some((os) => os.intname === ostempl)) {
    throw badValue('ostempl', ostempl, `tariff ${tariff.id} has no operating system '${ostempl}'`);
  }
  return ostempl;
}

function addonValue(addon: SellingAddon, raw: string): string {
  const param = `addon_${addon.id}`;
  if (!addon.active) throw badValue(param, raw, `add-on ${addon.id} is not available`);
  if (addon.addontype === 1) {
    if (raw !== 'on' && raw !== 'off') throw badValue(param, raw, `add-on ${addon.id} takes 'on' or 'off'`);
    return raw;
  }
  if (addon.addontype === 3) {
    const item = addon.enumeration?.items.find((i) => String(i.id) === raw && i.active);
    if (!item) throw badValue(param, raw, `add-on ${addon.id} has no available value ${raw}`);
    return raw;
  }
  const amount = integerParam(param, raw);
  const min = addon.min ?? 0;
  const max = addon.max ?? Number.MAX_SAFE_INTEGER;
  if (amount < min || amount > max) throw badValue(param, raw, `add-on ${addon.id} takes ${min}..${max}`);
  if (addon.step && (amount - min) % addon.step !== 0) {
    throw badValue(param, raw, `add-on ${addon.id} goes in steps of ${addon.step}`);
  }
  return String(amount);
}

/** Validates the given add-on values; unknown add-on ids are refused. */
export function addonValues(
  tariff: SellingTariff,
  given: Readonly<Record<number, string>>,
): Record<number, string> {
  const values: Record<number, string> = {};
  for (const [id, raw] of Object.entries(given)) {
    const addon = tariff.addons.find((a) => a.id === Number(id));
    if (!addon) throw badValue(`addon_${id}`, raw, `tariff ${tariff.id} has no add-on ${id}`);
    values[addon.id] = addonValue(addon, raw);
  }
  return values;
}

/** What an order gets for the add-ons it does not mention: the included amount, off, the first item. */
export function defaultAddonValues(tariff: SellingTariff): Record<number, string> {
  const values: Record<number, string> = {};
  for (const addon of tariff.addons.filter((a) => a.active)) {
    if (addon.addontype === 1) values[addon.id] = 'off';
    else if (addon.addontype === 2) values[addon.id] = String(addon.limit ?? addon.min ?? 0);
    else {
      const first = addon.enumeration?.items.find((i) => i.active);
      if (first) values[addon.id] = String(first.id);
    }
  }
  return values;
}
