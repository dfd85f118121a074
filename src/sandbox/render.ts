/** The selling panel's answers as xml2js objects for buildDoc: tariffs, service lists, events, the account. */
import { toMajorString } from '../domain/money';
import type {
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

function enumeration(e: Enumeration, currency: string): XmlObject {
  return {
    id: e.id,
    name: e.name,
    intname: e.intname,
    enumerationitem: e.items.map((i) => ({
      id: i.id,
      name: i.name,
      intname: i.intname,
      active: onOff(i.active),
      price: price(currency, i.prices),
    })),
  };
}

/** Only the fields an add-on of its type has: integer limits, a measure, an enumeration. */
function addon(a: SellingAddon, currency: string): XmlObject {
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
    ...(a.enumeration ? { enumeration: enumeration(a.enumeration, currency) } : {}),
  };
}

function osParam(templates: readonly OsTemplate[]): XmlObject {
  return {
    intname: 'ostempl',
    name: 'Operating system',
    value: templates.map((os) => ({ intname: os.intname, name: os.name, tags: os.tags.join(',') })),
  };
}

export function pricelistXml(t: SellingTariff): XmlObject {
  return {
    id: t.id,
    name: t.name,
    intname: t.intname,
    itemtype: t.itemtype,
    active: onOff(t.active),
    price: price(t.currency, t.prices),
    ...(t.addons.length ? { addon: t.addons.map((a) => addon(a, t.currency)) } : {}),
    ...(t.osTemplates.length ? { itemtypeparam: osParam(t.osTemplates) } : {}),
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

export function eventXml(e: ItemEvent): XmlObject {
  return {
    id: e.id,
    item: e.item,
    remoteid: e.remoteid,
    type: e.type,
    param: e.param,
    value: e.value,
    date: e.date,
  };
}

export function whoamiXml(a: AccountView): XmlObject {
  return {
    name: a.username,
    level: a.level,
    balance: { $: { currency: a.balance.currency }, _: toMajorString(a.balance) },
  };
}
