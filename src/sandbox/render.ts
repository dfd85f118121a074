/** The selling panel's answers as xml2js objects for buildDoc: tariffs, service lists, events, the account. */
import { toMajorString } from '../domain/money';
import type {
  AnswerShape,
  AccountView,
  Enumeration,
  ItemEvent,
  OsTemplate,
  PricePeriod,
  SellingAddon,
  SellingItem,
  SellingTariff,
} from './types';

type XmlObject = Record<string, unknown>;

const onOff = (flag: boolean): string => (flag ? 'on' : 'off');

function price(currency: string, periods: readonly PricePeriod[]): XmlObject {
  return {
    $: { currency },
    period: periods.map((p) => ({ $: { type: p.type, length: String(p.length), cost: p.cost } })),
  };
}

/** The variant shape leaves out the intnames: the enumeration and its items are known by id and name only. */
function enumeration(e: Enumeration, currency: string, shape: AnswerShape): XmlObject {
  const intname = (value: string) => (shape === 'variant' ? {} : { intname: value });
  return {
    id: e.id,
    name: e.name,
    ...intname(e.intname),
    enumerationitem: e.items.map((i) => ({
      id: i.id,
      name: i.name,
      ...intname(i.intname),
      active: onOff(i.active),
      price: price(currency, i.prices),
    })),
  };
}

/** Only the fields an add-on of its type has: integer limits, a measure, an enumeration. */
function addon(a: SellingAddon, currency: string, shape: AnswerShape): XmlObject {
  const integerFields =
    a.addontype === 2
      ? { addonlimit: a.limit, addonmin: a.min, addonmax: a.max, addonstep: a.step, measure: a.measure }
      : {};
  const defined = Object.fromEntries(Object.entries(integerFields).filter(([, v]) => v !== undefined));
  return {
    id: a.id,
    intname: a.intname,
    name: a.name,
    addontype: a.addontype,
    billtype: a.billtype,
    ...defined,
    active: onOff(a.active),
    ...(a.prices.length ? { price: price(currency, a.prices) } : {}),
    ...(a.enumeration ? { enumeration: enumeration(a.enumeration, currency, shape) } : {}),
  };
}

/** Classic: `<value>`s with intname, name and tags; variant: `<itemtypeparamvalue>`s with intname and name. */
function osParam(templates: readonly OsTemplate[], shape: AnswerShape): XmlObject {
  const head = { intname: 'ostempl', name: 'Operating system' };
  if (shape === 'variant') {
    return { ...head, itemtypeparamvalue: templates.map((os) => ({ intname: os.intname, name: os.name })) };
  }
  return {
    ...head,
    value: templates.map((os) => ({ intname: os.intname, name: os.name, tags: os.tags.join(',') })),
  };
}

/** `unreadable`: the tariff's price comes without its currency, which no reader can make sense of. */
export function pricelistXml(t: SellingTariff, shape: AnswerShape, unreadable = false): XmlObject {
  const prices = price(t.currency, t.prices);
  return {
    id: t.id,
    name: t.name,
    intname: t.intname,
    itemtype: t.itemtype,
    active: onOff(t.active),
    price: unreadable ? { period: prices.period } : prices,
    ...(t.addons.length ? { addon: t.addons.map((a) => addon(a, t.currency, shape)) } : {}),
    ...(t.osTemplates.length ? { itemtypeparam: osParam(t.osTemplates, shape) } : {}),
  };
}

export function itemXml(i: SellingItem): XmlObject {
  return {
    id: i.id,
    remoteid: i.remoteid,
    name: i.name,
    status: i.status,
    pricelist: i.pricelist,
    period: i.period,
    expiredate: i.expiredate,
    opendate: i.opendate,
    ip: i.ips.join(','),
    username: i.username,
    panelid: i.panelid,
  };
}

/**
 * An event's param as the shape words it: an add-on by its order form field (`addon_122`) in the variant; the
 * setup event's IP only in the variant (the classic setup event carries nothing).
 */
export function eventXml(e: ItemEvent, shape: AnswerShape): XmlObject {
  const classicSetup = shape === 'classic' && e.type === 'setup';
  return {
    id: e.id,
    item: e.item,
    remoteid: e.remoteid,
    type: e.type,
    param: classicSetup ? '' : shape === 'variant' && e.type === 'addon' ? `addon_${e.param}` : e.param,
    value: classicSetup ? '' : e.value,
    date: e.date,
  };
}

/** [assumed] The numeric access levels of BILLmanager 5: 16 a client, 28 an administrator. */
const NUMERIC_LEVEL = { client: '16', admin: '28' } as const;

export function whoamiXml(a: AccountView, shape: AnswerShape): XmlObject {
  const balance = { $: { currency: a.balance.currency }, _: toMajorString(a.balance) };
  if (shape === 'variant') {
    return { user: { id: a.username.length, name: a.username, level: NUMERIC_LEVEL[a.level] }, balance };
  }
  return { name: a.username, level: a.level, balance };
}

/** Request params that never go back into an answer's `<tparams>` echo. */
const SECRET_PARAMS = new Set(['password', 'auth', 'authinfo']);

/** The variant's echo of the request at the end of a document, as some versions send it. */
export function tparamsXml(params: Readonly<Record<string, string>>): XmlObject {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !SECRET_PARAMS.has(name)));
}
