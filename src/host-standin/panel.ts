/** What an admin does in the panel to add a pmbillmgr processing module: its rows, password encrypted with the host key. */
import { MODULE_NAME } from '../module-name';
import type { Knex } from 'knex';
import { encryptCryptedParam } from '../contract/crypt';
import { addMonths, formatDate, formatDateTime } from '../domain/dates';
import { IP_ADDON_ITEMTYPES } from '../host/facts';
import { publicKeyOf } from './host-key';

export interface ModuleFixture {
  url: string;
  username: string;
  /** Stored encrypted; `null` leaves the crypted param out. */
  password: string | null;
  /** `null` leaves the param out. */
  minbalance: string | null;
  currency: string | null;
  name: string;
  module: string;
  active: boolean;
}

export const MODULE_DEFAULTS: ModuleFixture = {
  url: 'http://127.0.0.1:1/billmgr',
  username: 'reseller',
  password: 'reseller-secret',
  minbalance: null,
  currency: null,
  name: 'Selling BILLmanager',
  module: MODULE_NAME,
  active: true,
};

/** Inserts the module with its params; `keyPath` is the host key (CryptKey). Returns the module id. */
export async function createModule(
  db: Knex,
  overrides: Partial<ModuleFixture>,
  keyPath: string,
): Promise<number> {
  const m = { ...MODULE_DEFAULTS, ...overrides };
  return db.transaction(async (trx) => {
    const [id] = await trx('processingmodule').insert({
      name: m.name,
      module: m.module,
      active: m.active ? 'on' : 'off',
    });
    const moduleId = Number(id);
    const params = { url: m.url, username: m.username, minbalance: m.minbalance, currency: m.currency };
    for (const [intname, value] of Object.entries(params)) {
      if (value !== null) await trx('processingparam').insert({ processingmodule: moduleId, intname, value });
    }
    if (m.password !== null) {
      const value = encryptCryptedParam(m.password, publicKeyOf(keyPath));
      await trx('processingcryptedparam').insert({ processingmodule: moduleId, intname: 'password', value });
    }
    return moduleId;
  });
}

/** The host's currencies as an admin sets them up: one main currency of provider 1, others with a rate into it. */
export async function setupCurrencies(
  db: Knex,
  main: string,
  rates: Readonly<Record<string, string>> = {},
): Promise<Record<string, number>> {
  return db.transaction(async (trx) => {
    if (!(await trx('project').where({ id: 1 }).first()))
      await trx('project').insert({ id: 1, name: 'Provider' });
    const ids: Record<string, number> = {};
    for (const iso of [main, ...Object.keys(rates)]) {
      const [id] = await trx('currency').insert({ name: iso, iso, active: 'on' });
      ids[iso] = Number(id);
    }
    await trx('project2currency').insert({ project: 1, currency: ids[main], main: 'on' });
    for (const [iso, rate] of Object.entries(rates)) {
      await trx('currencyrate').insert({
        currency: ids[iso],
        relcurrency: ids[main],
        rate,
        ratedate: '2026-01-01',
      });
    }
    return ids;
  });
}

export async function createAccount(
  db: Knex,
  name: string,
  email: string,
  currency: number,
): Promise<number> {
  const [id] = await db('account').insert({
    project: 1,
    name,
    email,
    currency,
    registration_date: '2026-01-01 00:00:00',
  });
  return Number(id);
}

export interface OrderFixture {
  account: number;
  pricelist: number;
  period: number;
  currency: number;
  processingmodule: number;
  name?: string;
  /** itemparam rows, e.g. `{ ostempl: 'debian-12' }`. */
  params?: Readonly<Record<string, string>>;
  /** add-on values by the add-on's local pricelist id: integer add-ons take a number. */
  addons?: Readonly<Record<number, number>>;
}

/** What the core does when a client orders: the service row (status 1, ordered), its add-on rows and parameters. */
export async function placeOrder(db: Knex, order: OrderFixture): Promise<number> {
  return db.transaction(async (trx) => {
    const base = { account: order.account, period: order.period, currency: order.currency, status: 1 };
    const [id] = await trx('item').insert({
      ...base,
      pricelist: order.pricelist,
      processingmodule: order.processingmodule,
      name: order.name ?? null,
      createdate: formatDate(new Date()),
    });
    const item = Number(id);
    for (const [pricelist, intvalue] of Object.entries(order.addons ?? {})) {
      await trx('item').insert({ ...base, pricelist: Number(pricelist), parent: item, intvalue });
    }
    for (const [intname, value] of Object.entries(order.params ?? {})) {
      await trx('itemparam').insert({ item, intname, value });
    }
    await openIpAddons(trx, item, order.pricelist, Object.keys(order.addons ?? {}).map(Number), base);
    return item;
  });
}

/**
 * The tariff's IP add-ons not ordered explicitly get their child item too, with one address included: where the
 * core puts the service's IP addresses. [assumed] that the core opens them with the service.
 */
export async function openIpAddons(
  trx: Knex.Transaction,
  item: number,
  pricelist: number,
  ordered: readonly number[],
  base: Readonly<Record<string, unknown>>,
): Promise<void> {
  const ipAddons = (await trx('pricelist as p')
    .join('itemtype as t', 't.id', 'p.itemtype')
    .where('p.parent', pricelist)
    .whereIn('t.intname', [...IP_ADDON_ITEMTYPES])
    .pluck('p.id')) as number[];
  for (const addon of ipAddons.map(Number)) {
    if (!ordered.includes(addon))
      await trx('item').insert({ ...base, pricelist: addon, parent: item, intvalue: 1 });
  }
}

/** What a provider does to give a tariff IP addresses: an integer add-on of the host's item type `ip`. */
export async function addIpAddon(db: Knex, tariff: number): Promise<number> {
  const type = (await db('itemtype').where({ intname: 'ip' }).first('id')) as { id: number } | undefined;
  const itemtype = type
    ? Number(type.id)
    : Number((await db('itemtype').insert({ intname: 'ip', name: 'IP addresses' }))[0]);
  const [id] = await db('pricelist').insert({
    name: 'IP address',
    intname: 'ip',
    parent: tariff,
    itemtype,
    addontype: 2,
    billtype: 2,
    active: 'on',
  });
  return Number(id);
}

/** The core registers an operation before it runs the module's handler; returns the runningoperation id. */
export async function startOperation(db: Knex, item: number, intname: string): Promise<number> {
  const row = await db('item').where({ id: item }).first('processingmodule');
  const [id] = await db('runningoperation').insert({
    item,
    processingmodule: row?.processingmodule ?? null,
    intname,
    trycount: 1,
    manual: 'off',
    createdate: formatDateTime(new Date()),
  });
  return Number(id);
}

/** Product types as the host has them, each with its order periods switched on (`monthly: 'on'`, ...). */
export async function setupItemtypes(
  db: Knex,
  intnames: readonly string[],
  periods: readonly string[] = ['monthly', 'quarterly', 'annually'],
): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const intname of intnames) {
    const [id] = await db('itemtype').insert({
      intname,
      name: intname,
      ...Object.fromEntries(periods.map((p) => [p, 'on'])),
    });
    ids[intname] = Number(id);
  }
  return ids;
}

/** A client paid for one more period: the core moves the expiry date, then runs the module's prolong. */
export async function payProlongation(db: Knex, item: number): Promise<string> {
  const row = await db('item')
    .where({ id: item })
    .first<{ expiredate: string | null; period: number }>('expiredate', 'period');
  if (!row?.expiredate) throw new Error(`service ${item} has no expiry date to move`);
  const expiredate = addMonths(row.expiredate, Number(row.period));
  await db('item').where({ id: item }).update({ expiredate });
  return expiredate;
}
