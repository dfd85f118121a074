/** Reads the selling side's `func=pricelist.export` answer into typed tariffs (tariff import, orders, events). */
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

/** Selling id and intname: either may be missing, never both (`id` is '' when missing). */
export interface SellingEnumerationItem {
  id: string;
  intname: string | null;
  name: string;
  active: boolean;
  prices: SellingPrice[];
}

export interface SellingEnumeration {
  id: string;
  intname: string | null;
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

/** An export's tariffs: the ones read, and the ones that could not be, each with what is wrong with it. */
export interface TariffExport {
  tariffs: SellingTariff[];
  unreadable: UnreadableTariff[];
}

export interface UnreadableTariff {
  /** The tariff's `<id>`; '' when that is what is missing. */
  id: string;
  error: SellingXmlError;
}

/** `func=pricelist.export` for one product type, or one tariff (`elid`). */
export async function exportTariffs(
  client: SellingClient,
  query: { itemtype?: string; elid?: string },
): Promise<TariffExport> {
  const doc = await client.call(
    'pricelist.export',
    {
      itemtype: query.itemtype,
      elid: query.elid,
      onlyavailable: query.elid === undefined ? 'on' : undefined,
    },
    { safe: true },
  );
  return readTariffs(doc);
}

/**
 * One selling tariff by id, as `pricelist.export elid=` describes it; undefined when the export lacks it. A tariff
 * the export has but that cannot be read is thrown as the error that says why.
 */
export async function exportTariff(
  client: SellingClient,
  itemtype: string | undefined,
  tariffId: string,
): Promise<SellingTariff | undefined> {
  const { tariffs, unreadable } = await exportTariffs(client, { itemtype, elid: tariffId });
  const found = tariffs.find((t) => t.id === tariffId);
  if (found) return found;
  const broken = unreadable.find((t) => t.id === tariffId);
  if (broken) throw broken.error;
  return undefined;
}

/** Enum add-on values travel as selling enumeration item ids: each add-on's items, by selling add-on id. */
export function enumerationItemsByAddon(
  tariff: SellingTariff | undefined,
): Map<string, SellingEnumerationItem[]> {
  return new Map((tariff?.addons ?? []).map((addon) => [addon.id, addon.enumeration?.items ?? []]));
}

/**
 * Every `<pricelist>` of an export, each read on its own (contract section 4, "read the selling side liberally"):
 * elements it does not know are ignored (`<tparams>`, fields of newer versions), and a tariff it cannot read is set
 * aside with an error that names the tariff, the object inside it and the field, while the others stay usable.
 */
export function readTariffs(doc: XmlNode): TariffExport {
  const result: TariffExport = { tariffs: [], unreadable: [] };
  for (const [index, node] of asList(doc.pricelist as XmlNode | XmlNode[] | undefined).entries()) {
    const id = typeof node === 'object' ? (textOf(node.id)?.trim() ?? '') : '';
    try {
      result.tariffs.push(readTariff(node));
    } catch (err) {
      if (!(err instanceof FieldError || err instanceof PeriodError)) throw err;
      const owner = id ? `tariff ${id}` : `tariff #${index + 1} of the answer`;
      result.unreadable.push({
        id,
        error: new SellingXmlError('pricelist.export', `${owner}: ${err.message}`),
      });
    }
  }
  return result;
}

/** What is wrong inside one tariff: the path to the field (`add-on 12, enumeration item 3: no <id>`). */
class FieldError extends Error {}

function within<T>(owner: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof FieldError) throw new FieldError(`${owner}: ${err.message}`);
    if (err instanceof PeriodError) throw new FieldError(`${owner}: ${err.message}`);
    throw err;
  }
}

function readTariff(node: XmlNode): SellingTariff {
  if (typeof node !== 'object') throw new FieldError('<pricelist> has no fields');
  const id = required(node, 'id');
  return {
    id,
    intname: text(node.intname),
    name: text(node.name),
    itemtype: text(node.itemtype),
    active: isOn(node.active),
    prices: readPrices(node.price),
    addons: children(node.addon).map((addon, i) =>
      within(`add-on ${idOf(addon, i)}`, () => readAddon(addon)),
    ),
    params: children(node.itemtypeparam).map((param, i) =>
      within(`parameter ${text(param.intname) || `#${i + 1}`}`, () => readParam(param)),
    ),
  };
}

function readAddon(node: XmlNode): SellingAddon {
  const enumeration = node.enumeration;
  return {
    id: required(node, 'id'),
    intname: text(node.intname),
    name: text(node.name),
    addontype: int(node.addontype),
    billtype: int(node.billtype),
    limit: int(node.addonlimit),
    min: int(node.addonmin),
    max: int(node.addonmax),
    step: int(node.addonstep),
    measure: text(node.measure) || null,
    active: isOn(node.active),
    prices: readPrices(node.price),
    enumeration:
      typeof enumeration === 'object' && enumeration !== null
        ? within('enumeration', () => readEnumeration(enumeration as XmlNode))
        : null,
  };
}

/** An enumeration and its items are known by selling id, by intname, or both: at least one of them. */
function readEnumeration(node: XmlNode): SellingEnumeration {
  const { id, intname } = identity(node);
  return {
    id,
    intname,
    name: text(node.name),
    items: children(node.enumerationitem).map((item, i) =>
      within(`item ${idOf(item, i)}`, () => ({
        ...identity(item),
        name: text(item.name),
        active: isOn(item.active),
        prices: readPrices(item.price),
      })),
    ),
  };
}

function identity(node: XmlNode): { id: string; intname: string | null } {
  const id = text(node.id);
  const intname = text(node.intname) || null;
  if (!id && !intname) throw new FieldError('neither <id> nor <intname>');
  return { id, intname };
}

/**
 * A product type parameter's values come as `<value>`s (with `<intname/><name/><tags/>`, or only text) or as
 * `<itemtypeparamvalue>` children; both are read, once each.
 */
function readParam(node: XmlNode): SellingItemtypeParam {
  const values = [
    ...asList(node.value as ParamValueNode),
    ...asList(node.itemtypeparamvalue as ParamValueNode),
  ];
  return {
    intname: required(node, 'intname'),
    name: text(node.name),
    values: values
      .map((value, i) => {
        if (typeof value !== 'object') return { intname: value.trim(), name: value.trim(), tags: '' };
        return within(`value ${text(value.intname) || `#${i + 1}`}`, () => ({
          intname: required(value, 'intname'),
          name: text(value.name),
          tags: text(value.tags),
        }));
      })
      .filter((value) => value.intname !== ''),
  };
}

type ParamValueNode = XmlNode | string | (XmlNode | string)[] | undefined;

function readPrices(value: unknown): SellingPrice[] {
  return children(value).map((price) => {
    const currency = price.$?.currency;
    if (!currency) throw new FieldError('a <price> without currency');
    return {
      currency: currency.toUpperCase(),
      costs: children(price.period).map(readCost),
    };
  });
}

function readCost(node: XmlNode): SellingCost {
  const type = node.$?.type ?? '';
  const length = Number(node.$?.length ?? '0');
  const cost = node.$?.cost ?? '';
  if (!/^-?\d+(\.\d+)?$/.test(cost)) throw new FieldError(`cost '${cost}' is not an amount`);
  return { period: periodFromApi(type, Number.isInteger(length) ? length : NaN), cost };
}

/** Child elements that have fields: a bare text where an element with fields belongs is ignored. */
function children(value: unknown): XmlNode[] {
  return asList(value as XmlNode | XmlNode[] | undefined).filter(
    (node): node is XmlNode => typeof node === 'object' && node !== null,
  );
}

function idOf(node: XmlNode, index: number): string {
  return text(node.id) || text(node.intname) || `#${index + 1}`;
}

function required(node: XmlNode, child: string): string {
  const value = text(node[child]);
  if (!value) throw new FieldError(`no <${child}>`);
  return value;
}

function text(value: unknown): string {
  return textOf(value)?.trim() ?? '';
}

function int(value: unknown): number | null {
  const digits = text(value);
  return /^-?\d+$/.test(digits) ? Number(digits) : null;
}

function isOn(value: unknown): boolean {
  const flag = textOf(value);
  return flag === undefined || flag === 'on';
}
