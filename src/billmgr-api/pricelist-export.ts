/** Reads the selling side's `func=pricelist.export` answer into typed tariffs (tariff import, orders, events). */
import { HostError } from '../contract/errors';
import { asList, textOf, type XmlNode } from '../contract/xml';
import { periodFromApi, PeriodError } from '../domain/periods';
import { SellingXmlError, type SellingClient } from './types';

/** One period's cost, as the selling side sends it (a decimal string in major units). */
export interface SellingCost {
  /** API months; -100 trial, -50 day, 0 lifetime. */
  period: number;
  cost: string;
}

/** The prices of one `<price currency="..">` element. */
export interface SellingPrice {
  currency: string;
  costs: SellingCost[];
}

export interface SellingEnumerationItem {
  id: string;
  intname: string;
  name: string;
  active: boolean;
  prices: SellingPrice[];
}

export interface SellingEnumeration {
  id: string;
  intname: string;
  name: string;
  items: SellingEnumerationItem[];
}

export interface SellingAddon {
  id: string;
  intname: string;
  name: string;
  addontype: number | null;
  billtype: number | null;
  limit: number | null;
  min: number | null;
  max: number | null;
  step: number | null;
  measure: string | null;
  active: boolean;
  prices: SellingPrice[];
  enumeration: SellingEnumeration | null;
}

export interface SellingParamValue {
  intname: string;
  name: string;
  /** Comma-separated as the host stores them. */
  tags: string;
}

export interface SellingItemtypeParam {
  intname: string;
  name: string;
  values: SellingParamValue[];
}

export interface SellingTariff {
  id: string;
  intname: string;
  name: string;
  itemtype: string;
  active: boolean;
  prices: SellingPrice[];
  addons: SellingAddon[];
  params: SellingItemtypeParam[];
}

/** `func=pricelist.export` for one product type, or one tariff (`elid`). */
export async function exportTariffs(
  client: SellingClient,
  query: { itemtype?: string; elid?: string },
): Promise<SellingTariff[]> {
  const doc = await client.call(
    'pricelist.export',
    {
      itemtype: query.itemtype,
      elid: query.elid,
      onlyavailable: query.elid === undefined ? 'on' : undefined,
    },
    { safe: true },
  );
  return asList(doc.pricelist as XmlNode | XmlNode[] | undefined).map(readTariff);
}

/** One selling tariff by id, as `pricelist.export elid=` describes it; undefined when the export lacks it. */
export async function exportTariff(
  client: SellingClient,
  itemtype: string,
  tariffId: string,
): Promise<SellingTariff | undefined> {
  return (await exportTariffs(client, { itemtype, elid: tariffId })).find((t) => t.id === tariffId);
}

/** Enum add-on values travel as selling enumeration item ids: each add-on's items, by selling add-on id. */
export function enumerationItemsByAddon(
  tariff: SellingTariff | undefined,
): Map<string, SellingEnumerationItem[]> {
  return new Map((tariff?.addons ?? []).map((addon) => [addon.id, addon.enumeration?.items ?? []]));
}

export function readTariff(node: XmlNode): SellingTariff {
  const id = required(node, 'id', 'pricelist');
  return {
    id,
    intname: textOf(node.intname) ?? '',
    name: textOf(node.name) ?? '',
    itemtype: textOf(node.itemtype) ?? '',
    active: isOn(node.active),
    prices: readPrices(node.price, `tariff ${id}`),
    addons: asList(node.addon as XmlNode | XmlNode[] | undefined).map(readAddon),
    params: asList(node.itemtypeparam as XmlNode | XmlNode[] | undefined).map(readParam),
  };
}

function readAddon(node: XmlNode): SellingAddon {
  const id = required(node, 'id', 'addon');
  const enumeration = node.enumeration as XmlNode | undefined;
  return {
    id,
    intname: textOf(node.intname) ?? '',
    name: textOf(node.name) ?? '',
    addontype: int(node.addontype),
    billtype: int(node.billtype),
    limit: int(node.addonlimit),
    min: int(node.addonmin),
    max: int(node.addonmax),
    step: int(node.addonstep),
    measure: textOf(node.measure) || null,
    active: isOn(node.active),
    prices: readPrices(node.price, `add-on ${id}`),
    enumeration:
      typeof enumeration === 'object' && enumeration !== null ? readEnumeration(enumeration) : null,
  };
}

function readEnumeration(node: XmlNode): SellingEnumeration {
  return {
    id: textOf(node.id) ?? '',
    intname: required(node, 'intname', 'enumeration'),
    name: textOf(node.name) ?? '',
    items: asList(node.enumerationitem as XmlNode | XmlNode[] | undefined).map((item) => ({
      id: textOf(item.id) ?? '',
      intname: required(item, 'intname', 'enumerationitem'),
      name: textOf(item.name) ?? '',
      active: isOn(item.active),
      prices: readPrices(item.price, `enumeration item ${textOf(item.intname) ?? ''}`),
    })),
  };
}

function readParam(node: XmlNode): SellingItemtypeParam {
  return {
    intname: required(node, 'intname', 'itemtypeparam'),
    name: textOf(node.name) ?? '',
    values: asList(node.value as XmlNode | XmlNode[] | undefined).map((value) => ({
      intname: required(value, 'intname', 'itemtypeparam value'),
      name: textOf(value.name) ?? '',
      tags: textOf(value.tags) ?? '',
    })),
  };
}

function readPrices(value: unknown, owner: string): SellingPrice[] {
  return asList(value as XmlNode | XmlNode[] | undefined).map((price) => {
    const currency = price.$?.currency;
    if (!currency) throw new SellingXmlError('pricelist.export', `a price of ${owner} has no currency`);
    return {
      currency: currency.toUpperCase(),
      costs: asList(price.period as XmlNode | XmlNode[] | undefined).map((period) => readCost(period, owner)),
    };
  });
}

function readCost(node: XmlNode, owner: string): SellingCost {
  const type = node.$?.type ?? '';
  const length = Number(node.$?.length ?? '0');
  const cost = node.$?.cost ?? '';
  if (!/^-?\d+(\.\d+)?$/.test(cost)) {
    throw new SellingXmlError('pricelist.export', `cost '${cost}' of ${owner} is not an amount`);
  }
  try {
    return { period: periodFromApi(type, Number.isInteger(length) ? length : NaN), cost };
  } catch (err) {
    if (err instanceof PeriodError) throw new HostError('value', 'period', `${owner}: ${err.message}`);
    throw err;
  }
}

function required(node: XmlNode, child: string, owner: string): string {
  const value = textOf(node[child]);
  if (!value) throw new SellingXmlError('pricelist.export', `<${owner}> without <${child}>`);
  return value;
}

function int(value: unknown): number | null {
  const text = textOf(value);
  return text && /^-?\d+$/.test(text) ? Number(text) : null;
}

function isOn(value: unknown): boolean {
  const text = textOf(value);
  return text === undefined || text === 'on';
}
