/** The functions the sandbox serves, by name: each takes the caller and the request's params, answers a doc body. */
import { HostError } from '../contract/errors';
import { callerOf, openSession } from './access';
import type { FaultSwitches } from './faults';
import { eventXml, itemXml, pricelistXml, tparamsXml, whoamiXml } from './render';
import type { SandboxState } from './state';
import {
  ITEM_TYPES,
  isItemType,
  type AccountView,
  type ItemEvent,
  type ItemType,
  type SellingItem,
} from './types';
import { badValue, integerParam } from './validation';

type Params = Readonly<Record<string, string>>;
type DocBody = Record<string, unknown>;

interface Call {
  state: SandboxState;
  faults: FaultSwitches;
  caller: AccountView;
  params: Params;
}

type Route = (call: Call) => DocBody;

/** Request params that are the protocol's own, never a service parameter to store or edit. */
const PROTOCOL_PARAMS = new Set([
  'func',
  'out',
  'auth',
  'authinfo',
  'sok',
  'elid',
  'lang',
  'clicked_button',
  'sfrom',
]);
/** Order params kept on the service. */
const ORDER_PARAMS = ['domain', 'datacenter'] as const;

const OK: DocBody = { ok: '' };

function sees(caller: AccountView, item: SellingItem): boolean {
  return caller.level === 'admin' || item.owner === caller.username;
}

/** The caller's service `elid` (of `itemtype` when given); someone else's is as missing as an unknown one. */
function ownItem(call: Call, itemtype?: ItemType): SellingItem {
  const id = integerParam('elid', call.params.elid);
  const item = call.state.findItem(id);
  if (!item || !sees(call.caller, item) || (itemtype && item.itemtype !== itemtype)) {
    throw new HostError('missed', 'elid', `no ${itemtype ?? 'service'} ${id}`, { value: String(id) });
  }
  return item;
}

function addonParams(params: Params): Record<number, string> {
  const addons: Record<number, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const match = /^addon_(\d+)$/.exec(name);
    if (match?.[1]) addons[Number(match[1])] = value;
  }
  return addons;
}

function pricelistExport({ state, faults, params }: Call): DocBody {
  const itemtype = params.itemtype;
  if (itemtype && !isItemType(itemtype))
    throw badValue('itemtype', itemtype, `unknown item type '${itemtype}'`);
  let tariffs = state.tariffs(itemtype as ItemType | undefined);
  if (params.elid !== undefined) {
    const id = integerParam('elid', params.elid);
    tariffs = tariffs.filter((t) => t.id === id);
    if (tariffs.length === 0) throw new HostError('missed', 'elid', `no tariff ${id}`, { value: String(id) });
  }
  if (params.onlyavailable === 'on') tariffs = tariffs.filter((t) => t.active);
  return {
    pricelist: tariffs.map((t) => pricelistXml(t, state.shape, faults.unreadableTariffs.has(t.id))),
  };
}

function serviceList(itemtype: ItemType): Route {
  return ({ state, caller, params }) => {
    const items = state
      .items()
      .filter((i) => i.itemtype === itemtype && sees(caller, i))
      .filter((i) => params.remoteid === undefined || i.remoteid === params.remoteid)
      .filter((i) => params.elid === undefined || String(i.id) === params.elid);
    return { elem: items.map(itemXml) };
  };
}

/** BILLmanager 5 `<type>.order.param`; BILLmanager 6 `v2.<type>.order.param` also takes `order_period`. */
function orderParam(itemtype: ItemType, v2: boolean): Route {
  return ({ state, faults, caller, params }) => {
    const periodText = v2 ? (params.order_period ?? params.period) : params.period;
    // Without sok=ok a panel only shows the order form: nothing is ordered.
    if (params.sok !== 'ok') return { pricelist: params.pricelist ?? '', period: periodText ?? '' };
    if (params.skipbasket !== 'on') {
      throw badValue(
        'skipbasket',
        params.skipbasket ?? '',
        'the sandbox only takes orders with skipbasket=on',
      );
    }
    const item = state.order(caller.username, {
      itemtype,
      pricelist: integerParam('pricelist', params.pricelist),
      period: integerParam(v2 ? 'order_period' : 'period', periodText),
      ...(params.remoteid !== undefined ? { remoteid: params.remoteid } : {}),
      ...(params.ostempl ? { ostempl: params.ostempl } : {}),
      addons: addonParams(params),
      params: Object.fromEntries(ORDER_PARAMS.filter((p) => params[p]).map((p) => [p, params[p] ?? ''])),
    });
    return faults.omitOrderId ? OK : { ok: '', id: item.id };
  };
}

function lifecycle(itemtype: ItemType, action: 'suspend' | 'resume' | 'remove'): Route {
  return (call) => {
    call.state[action](ownItem(call, itemtype).id);
    return OK;
  };
}

function edit(itemtype: ItemType): Route {
  return (call) => {
    const item = ownItem(call, itemtype);
    if (call.params.sok !== 'ok') return itemXml(item);
    const params = Object.fromEntries(
      Object.entries(call.params).filter(
        ([name]) => !PROTOCOL_PARAMS.has(name) && !name.startsWith('addon_'),
      ),
    );
    call.state.edit(item.id, { params, addons: addonParams(call.params) });
    return OK;
  };
}

function prolong(call: Call): DocBody {
  const item = ownItem(call);
  if (call.params.sok !== 'ok') return { elid: item.id, expiredate: item.expiredate };
  call.state.prolong(item.id, integerParam('period', call.params.period));
  return OK;
}

function itemEvents({ state, caller, params }: Call): DocBody {
  const visible = (e: ItemEvent): boolean => {
    const item = state.findItem(e.item);
    return item !== undefined && sees(caller, item);
  };
  const pageSize = params.p_cnt ? integerParam('p_cnt', params.p_cnt) : Infinity;
  const page = params.p_num ? integerParam('p_num', params.p_num) : 1;
  const skip = pageSize === Infinity ? 0 : (page - 1) * pageSize;
  return { elem: state.eventPage(visible, skip, pageSize).map((e) => eventXml(e, state.shape)) };
}

function deleteEvents({ state, caller, params }: Call): DocBody {
  const ids = new Set(
    (params.elid ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => /^\d+$/.test(s))
      .map(Number),
  );
  const own = [...ids].filter((id) => {
    const event = state.pendingEvent(id);
    return event !== undefined && sees(caller, state.item(event.item));
  });
  state.acknowledgeEvents(own);
  return OK;
}

const ROUTES = new Map<string, Route>([
  ['whoami', ({ state, caller }) => whoamiXml(caller, state.shape)],
  ['pricelist.export', pricelistExport],
  ['service.prolong', prolong],
  ['itemevent', itemEvents],
  ['itemevent.delete', deleteEvents],
]);
for (const type of ITEM_TYPES) {
  ROUTES.set(type, serviceList(type));
  ROUTES.set(`${type}.order.param`, orderParam(type, false));
  ROUTES.set(`v2.${type}.order.param`, orderParam(type, true));
  ROUTES.set(`${type}.suspend`, lifecycle(type, 'suspend'));
  ROUTES.set(`${type}.resume`, lifecycle(type, 'resume'));
  ROUTES.set(`${type}.delete`, lifecycle(type, 'remove'));
  ROUTES.set(`${type}.edit`, edit(type));
}

/** Answers one call: authenticates it, runs its function; refusals are thrown as HostError. */
export function answer(state: SandboxState, faults: FaultSwitches, func: string, params: Params): DocBody {
  if (func === 'auth') {
    const sid = openSession(state, params);
    return { auth: { $: { id: sid }, _: sid } };
  }
  const caller = callerOf(state, params);
  const route = ROUTES.get(func);
  if (!route) throw new HostError('access', 'func', `unknown function '${func}'`, { value: func });
  const body = route({ state, faults, caller, params });
  return state.shape === 'variant' ? { ...body, tparams: tparamsXml(params) } : body;
}
