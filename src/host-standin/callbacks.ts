/**
 * The core's side of the mgrctl callbacks (host contract section 3), applied to the fixture database the way
 * BILLmanager would. Used by bin/host-mgrctl (one process per call) and in-process by the benchmark.
 */
import type { Knex } from 'knex';
import { HostError } from '../contract/errors';
import { addMonths, formatDate, formatDateTime } from '../domain/dates';
import Decimal from 'decimal.js';
import { HOST_PAYMENT_STATUS, IP_ADDON_ITEMTYPES } from '../host/facts';
import { isMysql } from '../db/connect';
import { ensureHostKey } from './host-key';
import { openIpAddons } from './panel';

/** Parameters exactly as mgrctl received them (`key=value`). */
export type CallParams = Readonly<Record<string, string>>;
/** The body of the answer: the stand-in prints `buildDoc(answer)`. */
export type CallAnswer = Record<string, unknown>;

export interface StandinSettings {
  /** The database the stand-in serves; paramlist reports it. */
  readonly databaseUrl?: string;
  /** The stand-in host's root; its key is `<mgrdir>/etc/billmgr.pem`. */
  readonly mgrdir?: string;
}

/** One row of the stand-in table `standin_mgrctl_call`. */
export interface DbStandinMgrctlCallRow {
  id: number;
  func: string;
  params: string;
  created: string;
}

export interface RecordedCall {
  id: number;
  func: string;
  params: Record<string, string>;
  created: string;
}

const ITEM_STATUS = { active: 2, suspended: 3, deleted: 4 } as const;
const PAYMENT_STATUS = HOST_PAYMENT_STATUS;

type Callback = (
  trx: Knex.Transaction,
  params: CallParams,
  now: Date,
  settings: StandinSettings,
) => Promise<CallAnswer>;

const OK: CallAnswer = { ok: '' };

const CALLBACKS: Readonly<Record<string, Callback>> = {
  'service.postopen': async (trx, params, now) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    const opendate = item.opendate ?? formatDate(now);
    // The core starts the paid period when the service opens: expiry = open date + the ordered period.
    const expiredate =
      item.expiredate ?? (Number(item.period) > 0 ? addMonths(opendate, Number(item.period)) : null);
    await trx('item').where({ id: item.id }).update({ status: ITEM_STATUS.active, opendate, expiredate });
    await finishOperation(trx, item.id, 'open');
    return OK;
  },
  'service.postsuspend': (trx, params) => setStatus(trx, params, ITEM_STATUS.suspended, 'suspend'),
  'service.postresume': (trx, params) => setStatus(trx, params, ITEM_STATUS.active, 'resume'),
  'service.postclose': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    await trx('item')
      .where({ id: item.id })
      .orWhere({ parent: item.id })
      .update({ status: ITEM_STATUS.deleted });
    await finishOperation(trx, item.id, 'close');
    return OK;
  },
  'service.postsetparam': (trx, params) => finishOnly(trx, params, 'setparam'),
  'service.postprolong': (trx, params) => finishOnly(trx, params, 'prolong'),
  'runningoperation.setmanual': async (trx, params) => {
    await updateOperation(trx, idParam(params, 'elid'), { manual: 'on' });
    return OK;
  },
  'runningoperation.edit': async (trx, params) => {
    await updateOperation(trx, idParam(params, 'elid'), { errorxml: textParam(params, 'errorxml') });
    return OK;
  },
  'service.saveparam': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    if ('name' in params && 'value' in params)
      throw new HostError(
        'value',
        'name',
        "service.saveparam takes the parameter's own name as the key (<param>=<value>), not name= and value=",
        { value: 'name' },
      );
    const named = Object.entries(params).filter(([key]) => !SAVEPARAM_CONTROL.has(key));
    if (named.length === 0)
      throw new HostError('missed', 'param', 'service.saveparam names no parameter (<param>=<value>)');
    const table = params.crypted === 'on' ? 'itemcryptedparam' : 'itemparam';
    for (const [intname, value] of named) {
      await trx(table)
        .insert({ item: item.id, intname, value })
        .onConflict(['item', 'intname'])
        .merge(['value']);
    }
    return OK;
  },
  'service.dropparam': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    const intname = textParam(params, 'name');
    await trx('itemparam').where({ item: item.id, intname }).delete();
    await trx('itemcryptedparam').where({ item: item.id, intname }).delete();
    return OK;
  },
  'service.setstatus': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    await trx('item')
      .where({ id: item.id })
      .update({ status: idParam(params, 'service_status') });
    return OK;
  },
  'service.ip.add': async (trx, params) => {
    const addon = await requireIpAddon(trx, idParam(params, 'elid'));
    const name = textParam(params, 'ip');
    if (await trx('ip').where({ item: addon, name }).first('id'))
      throw new HostError('exists', 'ip', `IP add-on ${addon} already has the address ${name}`, {
        value: name,
      });
    const [id] = await trx('ip').insert({
      item: addon,
      name,
      mask: params.mask || null,
      gateway: params.gateway || null,
      domain: params.domain || null,
    });
    await trx('standin_ip_uncommitted').insert({ ip: id });
    return { 'ip.id': String(id) };
  },
  'service.ip.add.commit': async (trx, params) => {
    const id = idParam(params, 'elid');
    const done = await trx('standin_ip_uncommitted').where({ ip: id }).delete();
    if (done === 0)
      throw new HostError('missed', 'ip', `no IP address ${id} waiting for its commit`, { elid: String(id) });
    return OK;
  },
  'service.ip.del': async (trx, params) => {
    const id = idParam(params, 'elid');
    const deleted = await trx('ip').where({ id }).delete();
    if (deleted === 0) throw new HostError('missed', 'ip', `no IP address ${id}`, { elid: String(id) });
    await trx('standin_ip_uncommitted').where({ ip: id }).delete();
    return OK;
  },
  'service.setexpiredate': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    await trx('item')
      .where({ id: item.id })
      .update({ expiredate: dateParam(params, 'expiredate') });
    return OK;
  },
  paramlist: async (_trx, _params, _now, settings) => paramlist(settings),
  'payment.add': async (trx, params, now) => {
    const account = (await requireAccount(trx, idParam(params, 'account'))).id;
    const currency = await requireCurrency(trx, idParam(params, 'currency'));
    const amount = amountParam(params, 'amount');
    const [id] = await trx('payment').insert({
      account,
      project: params.project ? idParam(params, 'project') : 1,
      amount,
      currency,
      status: PAYMENT_STATUS.new,
      createdate: formatDateTime(now),
      info: params.info ?? null,
    });
    return { 'payment.id': String(id) };
  },
  'payment.setpaid': async (trx, params, now) => {
    const id = idParam(params, 'elid');
    const payment = (await trx('payment')
      .where({ id })
      .first('id', 'account', 'amount', 'currency', 'status')) as
      { id: number; account: number; amount: string | number; currency: number; status: number } | undefined;
    if (!payment) throw new HostError('missed', 'payment', `no payment ${id}`, { elid: String(id) });
    if (Number(payment.status) === PAYMENT_STATUS.credited)
      throw new HostError('exists', 'payment', `payment ${id} is credited already`, { elid: String(id) });
    await trx('payment')
      .where({ id })
      .update({ status: PAYMENT_STATUS.credited, paydate: formatDateTime(now) });
    // The core keeps account.balance as the sum of what was credited in the account's own currency.
    const account = await requireAccount(trx, Number(payment.account));
    if (Number(account.currency) === Number(payment.currency)) {
      const balance = new Decimal(String(account.balance)).plus(String(payment.amount)).toFixed(4);
      await trx('account').where({ id: payment.account }).update({ balance });
    }
    return OK;
  },
  'expense.edit': async (trx, params, now) => {
    // The plugin only ever books a new expense: editing one (elid) would rewrite a charge the ledger already holds.
    if (params.elid !== undefined && params.elid !== '')
      throw new HostError(
        'value',
        'elid',
        `the plugin never edits expense ${params.elid}; it books new ones`,
        {
          elid: params.elid,
        },
      );
    const account = await requireAccount(trx, idParam(params, 'account'));
    const currency = await requireCurrency(trx, idParam(params, 'currency'));
    const amount = amountParam(params, 'amount');
    const [id] = await trx('expense').insert({
      account: account.id,
      item: params.item ? (await requireItem(trx, idParam(params, 'item'))).id : null,
      project: idParam(params, 'subaccount'),
      amount,
      currency,
      realdate: formatDateTime(now),
      name: textParam(params, 'name'),
    });
    // The core keeps account.balance as credited payments less expenses, in the account's own currency.
    if (Number(account.currency) === currency) {
      const balance = new Decimal(String(account.balance)).minus(amount).toFixed(4);
      await trx('account').where({ id: account.id }).update({ balance });
    }
    return { 'expense.id': String(id) };
  },
  'processing.import.service': importService,
  'processing.import.assign': async (trx, params) => {
    const item = await requireItem(trx, idParam(params, 'elid'));
    const pricelist = params[`pricelist_${item.id}`];
    await trx('item')
      .where({ id: item.id })
      .update({
        account: idParam(params, 'account'),
        ...(pricelist ? { pricelist: idParam(params, `pricelist_${item.id}`) } : {}),
      });
    return OK;
  },
  'processing.savebalance': async (trx, params, now) => {
    const balance = textParam(params, 'balance');
    if (!/^-?\d+(\.\d+)?$/.test(balance))
      throw new HostError('value', 'balance', `balance must be an amount, got '${balance}'`);
    await trx('standin_processing_balance')
      .insert({
        processingmodule: idParam(params, 'processingmodule'),
        balance,
        currency: params.currency ?? '',
        updated: formatDateTime(now),
      })
      .onConflict(['processingmodule'])
      .merge(['balance', 'currency', 'updated']);
    return OK;
  },
};

export const STANDIN_FUNCTIONS = Object.keys(CALLBACKS);

/** Records the call, then applies it in one transaction. Unknown functions are recorded too, then refused. */
export async function applyCallback(
  db: Knex,
  func: string,
  params: CallParams,
  now: Date,
  settings: StandinSettings = {},
): Promise<CallAnswer> {
  await db('standin_mgrctl_call').insert({
    func,
    params: JSON.stringify(params),
    created: formatDateTime(now),
  });
  const callback = CALLBACKS[func];
  if (!callback) throw new HostError('missed', 'func', `unknown function '${func}'`, { value: func });
  if (!confirmed(func, params)) return formAnswer(params);
  return db.transaction((trx) => callback(trx, params, now, settings));
}

/** Functions that only read: everything else changes something and needs `sok=ok` (contract section 3). */
const READING = new Set(['paramlist']);

/** Keys of service.saveparam that are not a parameter of the service. */
const SAVEPARAM_CONTROL = new Set(['elid', 'sok', 'crypted', 'out', 'lang', 'su']);

function confirmed(func: string, params: CallParams): boolean {
  return READING.has(func) || params.sok === 'ok';
}

/**
 * A changing function called without `sok=ok`: the core only shows its form (the fields as they are) and changes
 * nothing. The call is recorded all the same, so a test sees it.
 */
function formAnswer(params: CallParams): CallAnswer {
  return { ...(params.elid !== undefined ? { elid: params.elid } : {}), tparams: { ...params } };
}

/** The ip row's item must be an IP add-on: a child item whose tariff's item type is `ip` or `privateip`. */
async function requireIpAddon(trx: Knex.Transaction, id: number): Promise<number> {
  const row = (await trx('item as i')
    .leftJoin('pricelist as p', 'p.id', 'i.pricelist')
    .leftJoin('itemtype as t', 't.id', 'p.itemtype')
    .where('i.id', id)
    .first('i.id', 'i.parent', 't.intname')) as
    { id: number; parent: number | null; intname: string | null } | undefined;
  if (!row) throw new HostError('missed', 'item', `no service ${id}`, { elid: String(id) });
  if (row.parent === null || !IP_ADDON_ITEMTYPES.includes(row.intname ?? ''))
    throw new HostError(
      'value',
      'elid',
      `item ${id} is not an IP add-on (a child item of item type ip or privateip): IP addresses belong to the service's IP add-on`,
      { elid: String(id) },
    );
  return Number(row.id);
}

/**
 * The batch form of `applyCallback`: the same rows as calling it for each of `paramsList` in order, written in one
 * transaction, one recorded call per entry. The lifecycle callbacks are written set-based; the others one by one.
 * All or nothing: when one entry is refused, nothing is written or recorded, so the caller can call one by one
 * to learn which.
 */
export async function applyCallbacks(
  db: Knex,
  func: string,
  paramsList: readonly CallParams[],
  now: Date,
  settings: StandinSettings = {},
): Promise<CallAnswer[]> {
  const callback = CALLBACKS[func];
  if (!callback) throw new HostError('missed', 'func', `unknown function '${func}'`, { value: func });
  if (paramsList.length === 0) return [];
  const unconfirmed = paramsList.find((params) => !confirmed(func, params));
  if (unconfirmed)
    throw new HostError('value', 'sok', `${func} without sok=ok only shows its form`, { value: 'sok' });
  return db.transaction(async (trx) => {
    const created = formatDateTime(now);
    for (const chunk of chunks(paramsList)) {
      await trx('standin_mgrctl_call').insert(
        chunk.map((params) => ({ func, params: JSON.stringify(params), created })),
      );
    }
    const setBased = SET_BASED[func];
    if (setBased) {
      const ids = paramsList.map((params) => idParam(params, 'elid'));
      for (const chunk of chunks(ids)) await setBased(trx, chunk, now);
      return paramsList.map(() => OK);
    }
    const answering = SET_BASED_ANSWERING[func];
    if (answering) return answering(trx, paramsList);
    const answers: CallAnswer[] = [];
    for (const params of paramsList) answers.push(await callback(trx, params, now, settings));
    return answers;
  });
}

/**
 * The IP functions over many rows at once, with the same refusals as one call each (an item that is not an IP
 * add-on, an address it already has, a row that waits for no commit) and one answer per entry.
 */
const SET_BASED_ANSWERING: Readonly<
  Record<string, (trx: Knex.Transaction, paramsList: readonly CallParams[]) => Promise<CallAnswer[]>>
> = {
  'service.ip.add': async (trx, paramsList) => {
    const rows = paramsList.map((params) => ({
      item: idParam(params, 'elid'),
      name: textParam(params, 'ip'),
      mask: params.mask || null,
      gateway: params.gateway || null,
      domain: params.domain || null,
    }));
    const addons = [...new Set(rows.map((row) => row.item))];
    const found = new Set<number>();
    for (const chunk of chunks(addons)) {
      const ok = (await trx('item as i')
        .join('pricelist as p', 'p.id', 'i.pricelist')
        .join('itemtype as t', 't.id', 'p.itemtype')
        .whereIn('i.id', chunk)
        .whereNotNull('i.parent')
        .whereIn('t.intname', [...IP_ADDON_ITEMTYPES])
        .pluck('i.id')) as number[];
      for (const id of ok) found.add(Number(id));
    }
    const stray = rows.find((row) => !found.has(row.item));
    if (stray) await requireIpAddon(trx, stray.item);
    for (const chunk of chunks(rows)) await trx('ip').insert(chunk);
    const ids = new Map<string, number>();
    for (const chunk of chunks(rows)) {
      const made = (await trx('ip')
        .whereIn(
          ['item', 'name'],
          chunk.map((row) => [row.item, row.name]),
        )
        .select('id', 'item', 'name')) as { id: number; item: number; name: string }[];
      for (const row of made) ids.set(`${row.item}\u0000${row.name}`, Number(row.id));
    }
    const answered = rows.map((row) => ids.get(`${row.item}\u0000${row.name}`) ?? 0);
    for (const chunk of chunks(answered))
      await trx('standin_ip_uncommitted').insert(chunk.map((ip) => ({ ip })));
    return answered.map((id) => ({ 'ip.id': String(id) }));
  },
  'service.ip.add.commit': async (trx, paramsList) => {
    const ids = paramsList.map((params) => idParam(params, 'elid'));
    let done = 0;
    for (const chunk of chunks(ids))
      done += Number(await trx('standin_ip_uncommitted').whereIn('ip', chunk).delete());
    if (done !== new Set(ids).size) throw new HostError('missed', 'ip', 'an IP address waits for no commit');
    return ids.map(() => OK);
  },
};

/**
 * The lifecycle callbacks over many services at once. Each sets a status (and postopen dates that only depend on
 * the service's row), so a service named twice ends as after two single calls.
 */
const SET_BASED: Readonly<
  Record<string, (trx: Knex.Transaction, ids: readonly number[], now: Date) => Promise<void>>
> = {
  'service.postopen': async (trx, ids, now) => {
    const byDates = new Map<string, { opendate: string; expiredate: string | null; ids: number[] }>();
    for (const item of await requireItems(trx, ids)) {
      const opendate = item.opendate ?? formatDate(now);
      const expiredate =
        item.expiredate ?? (Number(item.period) > 0 ? addMonths(opendate, Number(item.period)) : null);
      const key = `${opendate} ${expiredate}`;
      const group = byDates.get(key) ?? { opendate, expiredate, ids: [] };
      group.ids.push(item.id);
      byDates.set(key, group);
    }
    for (const { opendate, expiredate, ids: same } of byDates.values()) {
      await trx('item').whereIn('id', same).update({ status: ITEM_STATUS.active, opendate, expiredate });
    }
    await finishOperations(trx, ids, 'open');
  },
  'service.postsuspend': (trx, ids) => setStatuses(trx, ids, ITEM_STATUS.suspended, 'suspend'),
  'service.postresume': (trx, ids) => setStatuses(trx, ids, ITEM_STATUS.active, 'resume'),
  'service.postclose': async (trx, ids) => {
    await requireItems(trx, ids);
    await trx('item').whereIn('id', ids).orWhereIn('parent', ids).update({ status: ITEM_STATUS.deleted });
    await finishOperations(trx, ids, 'close');
  },
};

/** Rows per INSERT and ids per IN (...). */
const CHUNK = 1000;

function chunks<T>(list: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Every call the stand-in received, oldest first; only those of `func` when given. */
export async function recordedCalls(db: Knex | Knex.Transaction, func?: string): Promise<RecordedCall[]> {
  const calls = db<DbStandinMgrctlCallRow>('standin_mgrctl_call').orderBy('id');
  const rows = await (func === undefined ? calls : calls.where({ func }));
  return rows.map((row) => ({
    id: Number(row.id),
    func: row.func,
    params: JSON.parse(row.params) as Record<string, string>,
    created: String(row.created),
  }));
}

async function setStatus(
  trx: Knex.Transaction,
  params: CallParams,
  status: number,
  operation: string,
): Promise<CallAnswer> {
  const item = await requireItem(trx, idParam(params, 'elid'));
  await trx('item').where({ id: item.id }).update({ status });
  await finishOperation(trx, item.id, operation);
  return OK;
}

async function setStatuses(
  trx: Knex.Transaction,
  ids: readonly number[],
  status: number,
  operation: string,
): Promise<void> {
  await requireItems(trx, ids);
  await trx('item').whereIn('id', ids).update({ status });
  await finishOperations(trx, ids, operation);
}

async function finishOnly(trx: Knex.Transaction, params: CallParams, operation: string): Promise<CallAnswer> {
  const item = await requireItem(trx, idParam(params, 'elid'));
  await finishOperation(trx, item.id, operation);
  return OK;
}

/**
 * The operation is finished: the core drops its running operation. A row without intname is taken to be the
 * one finishing; rows of another operation on the same item stay.
 */
async function finishOperation(trx: Knex.Transaction, item: number, operation: string): Promise<void> {
  await trx('runningoperation')
    .where({ item })
    .andWhere((q) => q.where({ intname: operation }).orWhereNull('intname'))
    .delete();
}

async function finishOperations(
  trx: Knex.Transaction,
  items: readonly number[],
  operation: string,
): Promise<void> {
  await trx('runningoperation')
    .whereIn('item', items)
    .andWhere((q) => q.where({ intname: operation }).orWhereNull('intname'))
    .delete();
}

async function updateOperation(
  trx: Knex.Transaction,
  id: number,
  values: Record<string, string>,
): Promise<void> {
  const updated = await trx('runningoperation').where({ id }).update(values);
  if (updated === 0)
    throw new HostError('missed', 'runningoperation', `no running operation ${id}`, { elid: String(id) });
}

async function importService(trx: Knex.Transaction, params: CallParams, now: Date): Promise<CallAnswer> {
  const intname = textParam(params, 'import_pricelist_intname');
  const pricelist = await trx('pricelist')
    .where({ intname })
    .orderBy('id')
    .first<{ id: number } | undefined>('id');
  if (!pricelist)
    throw new HostError('missed', 'pricelist', `no tariff with intname '${intname}'`, { intname });
  const [id] = await trx('item').insert({
    processingmodule: idParam(params, 'module'),
    pricelist: pricelist.id,
    name: params.import_service_name ?? null,
    status: params.status ? idParam(params, 'status') : ITEM_STATUS.active,
    createdate: formatDate(now),
    expiredate: params.expiredate ? dateParam(params, 'expiredate') : null,
    period: params.period ? intParam(params, 'period') : null,
    remoteid: params.remoteid ?? null,
  });
  const status = params.status ? idParam(params, 'status') : ITEM_STATUS.active;
  await openIpAddons(trx, Number(id), pricelist.id, [], {
    status,
    processingmodule: idParam(params, 'module'),
  });
  return { service_id: String(id) };
}

/**
 * What paramlist reports on a real host: the core's database settings and its key file, one setting per `<elem>`
 * named by its element, as ISPsystem's SDK reads them (`<doc><elem><DBName>billmgr</DBName></elem>...</doc>`).
 */
function paramlist(settings: StandinSettings): CallAnswer {
  if (!settings.mgrdir)
    throw new HostError('config', 'paramlist', 'the stand-in was started without a mgrdir');
  const values: Record<string, string> = { CryptKey: ensureHostKey(settings.mgrdir) };
  if (settings.databaseUrl?.startsWith('mysql:')) {
    const url = new URL(settings.databaseUrl);
    Object.assign(values, {
      DBHost: url.hostname,
      // Not in the contract's list: reported so that a server on another port can be found. [assumed]
      ...(url.port ? { DBPort: url.port } : {}),
      DBUser: decodeURIComponent(url.username),
      DBPassword: decodeURIComponent(url.password),
      DBName: url.pathname.replace(/^\//, ''),
      DBSocket: url.searchParams.get('socket') ?? '',
    });
  }
  return { elem: Object.entries(values).map(([name, value]) => ({ [name]: value })) };
}

interface StandinItem {
  id: number;
  opendate: string | null;
  expiredate: string | null;
  period: number | null;
}

async function requireItem(trx: Knex.Transaction, id: number): Promise<StandinItem> {
  const item = await trx('item')
    .where({ id })
    .first<StandinItem | undefined>('id', 'opendate', 'expiredate', 'period');
  if (!item) throw new HostError('missed', 'item', `no service ${id}`, { elid: String(id) });
  return { ...item, id: Number(item.id) };
}

/** Each of the services `ids` (in no particular order); refuses the first one missing, as a single call would. */
async function requireItems(trx: Knex.Transaction, ids: readonly number[]): Promise<StandinItem[]> {
  const rows = await trx('item')
    .whereIn('id', ids)
    .select<StandinItem[]>('id', 'opendate', 'expiredate', 'period');
  const items = rows.map((item) => ({ ...item, id: Number(item.id) }));
  const found = new Set(items.map((item) => item.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined)
    throw new HostError('missed', 'item', `no service ${missing}`, { elid: String(missing) });
  return items;
}

function textParam(params: CallParams, name: string): string {
  const value = params[name];
  if (value === undefined || value === '')
    throw new HostError('missed', name, `parameter '${name}' is required`, { value: name });
  return value;
}

function intParam(params: CallParams, name: string): number {
  const value = textParam(params, name);
  if (!/^-?\d+$/.test(value))
    throw new HostError('value', name, `'${name}' must be a whole number, got '${value}'`, { value: name });
  return Number(value);
}

function idParam(params: CallParams, name: string): number {
  const value = intParam(params, name);
  if (value <= 0)
    throw new HostError('value', name, `'${name}' must be an id, got '${value}'`, { value: name });
  return value;
}

function dateParam(params: CallParams, name: string): string {
  const value = textParam(params, name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new HostError('value', name, `'${name}' must be a date YYYY-MM-DD, got '${value}'`, {
      value: name,
    });
  }
  return value;
}

/** A positive amount as the core's forms take it: major units with at most the currency's two decimals. */
interface StandinAccount {
  id: number;
  balance: string | number;
  currency: number | null;
}

/** The client's account, its row locked until the call's transaction ends (its balance may change). */
async function requireAccount(trx: Knex.Transaction, id: number): Promise<StandinAccount> {
  const account = (await trx('account')
    .where({ id })
    .modify((q) => (isMysql(trx) ? q.forUpdate() : q))
    .first('id', 'balance', 'currency')) as StandinAccount | undefined;
  if (!account) throw new HostError('missed', 'account', `no client account ${id}`, { value: String(id) });
  return { ...account, id: Number(account.id) };
}

async function requireCurrency(trx: Knex.Transaction, id: number): Promise<number> {
  if (!(await trx('currency').where({ id }).first('id')))
    throw new HostError('missed', 'currency', `no currency ${id}`, { value: String(id) });
  return id;
}

function amountParam(params: CallParams, name: string): string {
  const value = textParam(params, name);
  if (!/^\d+(\.\d{1,2})?$/.test(value) || /^0+(\.0+)?$/.test(value))
    throw new HostError('value', name, `'${name}' must be a positive amount, got '${value}'`, {
      value: name,
    });
  return value;
}
