/**
 * checkevent's test world: the shared reseller env (sandbox selling panel, throwaway MariaDB, one pmbillmgr module,
 * host stand-in) with a real imported VPS tariff, and services that exist on both sides. Events are made on the
 * selling side (the sandbox's own lifecycle, or injected). `npm run build` first (the tariff import is spawned).
 */
import type { Mgrctl } from '../../../src/contract/mgrctl';
import { runCheckevent, type CheckeventOptions, type CheckeventResult } from '../../../src/events';
import { createInProcessMgrctl } from '../../../src/host-standin/in-process';
import { addIpAddon } from '../../../src/host-standin/panel';
import type { ItemEventType, SellingItem } from '../../../src/sandbox/server';
import { spawnHandler, type HandlerRun } from '../../support/reseller-env';
import {
  importTariff,
  orderService,
  startServicesEnv,
  type LocalTariff,
  type ServicesEnv,
} from '../../support/services';

export interface EventWorld extends ServicesEnv {
  vps: LocalTariff;
  /** The host stand-in without spawning: for in-process runs. */
  mgrctl: Mgrctl;
  /** runCheckevent in this process, with the stand-in in-process. */
  /** runCheckevent in-process, through the stand-in's mgrctl or the one given. */
  check(options?: Partial<CheckeventOptions>, via?: Mgrctl): Promise<CheckeventResult>;
  /** The real `handlers/checkevent`, spawned, with the stand-in's bin/host-mgrctl. */
  checkevent(args?: readonly string[], extraEnv?: Record<string, string>): Promise<HandlerRun>;
  service(): Promise<Service>;
  snapshot(): Promise<Snapshot>;
}

export interface Service {
  local: number;
  selling: SellingItem;
  /** Add-on child items by add-on intname; `ip` holds the service's IP addresses. */
  children: { ram: number; backup: number; panel: number; ip: number };
}

export const HTTP = { timeoutMs: 5000, retries: 1, maxBackoffMs: 100 };

export async function startEventWorld(): Promise<EventWorld> {
  const env = await startServicesEnv();
  try {
    const vps = await importTariff(env, 'vps-start');
    // The provider gives the tariff IP addresses: the core keeps a service's addresses on this add-on.
    vps.addons.ip = await addIpAddon(env.db, vps.id);
    const mgrctl = createInProcessMgrctl(env.db, { databaseUrl: env.dbUrl, mgrdir: env.mgrdir });
    const world: EventWorld = {
      ...env,
      vps,
      mgrctl,
      check: (options = {}, via = mgrctl) => runCheckevent(env.db, via, { http: HTTP, ...options }),
      checkevent: (args = [], extraEnv = {}) => spawnHandler('checkevent', args, { ...env.env, ...extraEnv }),
      service: () => newService(env, vps),
      snapshot: () => snapshot(env),
    };
    return world;
  } catch (err) {
    await env.close();
    throw err;
  }
}

/** A VPS ordered locally and on the selling side, linked both ways, waiting for setup (status 1 on both). */
async function newService(env: ServicesEnv, vps: LocalTariff): Promise<Service> {
  const local = await orderService(env, {
    tariff: vps,
    addons: { ram: 1024 },
    enumerations: { panel: 'none' },
  });
  const backup = await env
    .db('item')
    .insert({ parent: local, pricelist: vps.addons.backup, status: 1, boolvalue: 'off' });
  const tariff = env.sandbox.state.tariffByIntname('vps-start');
  const selling = env.sandbox.state.addItem({
    pricelist: tariff.id,
    status: 1,
    remoteid: String(local),
    username: 'reseller',
  });
  await env
    .db('item')
    .where({ id: local })
    .update({ remoteid: String(selling.id) });
  const child = async (intname: string): Promise<number> =>
    Number(
      (
        (await env.db('item').where({ parent: local, pricelist: vps.addons[intname] }).first('id')) as {
          id: number;
        }
      ).id,
    );
  return {
    local,
    selling,
    children: {
      ram: await child('ram'),
      backup: Number(backup[0]),
      panel: await child('panel'),
      ip: await child('ip'),
    },
  };
}

/** Everything a run of checkevent changes, free of ids and times that differ between two equal runs. */
export interface Snapshot {
  items: unknown[];
  params: unknown[];
  ips: unknown[];
  itemevents: unknown[];
  receipts: unknown[];
  callbacks: unknown[];
  pendingOnSellingSide: number;
}

async function snapshot(env: ServicesEnv): Promise<Snapshot> {
  const db = env.db;
  return {
    items: await db('item')
      .orderBy('id')
      .select('id', 'parent', 'status', 'opendate', 'expiredate', 'intvalue', 'boolvalue', 'enumerationitem'),
    params: await db('itemparam').orderBy(['item', 'intname']).select('item', 'intname', 'value'),
    ips: await db('ip').orderBy(['item', 'name']).select('item', 'name'),
    itemevents: await db('itemevent')
      .orderBy('externalid')
      .select('item', 'externalid', 'type', 'param', 'value', 'error'),
    // A received event is applied once its itemevent row is gone.
    receipts: (
      await db('bmp_event_receipt as r')
        .leftJoin('itemevent as e', function () {
          this.on('e.processingmodule', '=', 'r.processingmodule').andOn(
            'e.externalid',
            '=',
            'r.selling_event_id',
          );
        })
        .orderBy('r.selling_event_id')
        .select('r.selling_event_id', 'r.selling_item', { stored: 'e.id' })
    ).map((r: { selling_event_id: string; selling_item: string; stored: number | null }) => ({
      event: r.selling_event_id,
      item: r.selling_item,
      applied: r.stored === null,
    })),
    // Services' callbacks run side by side: only each service's own order is fixed.
    callbacks: (await env.mgrctlCalls())
      .filter((c) => c.func.startsWith('service.'))
      .map((c) => ({ func: c.func, params: c.params }))
      .sort((x, y) => Number(x.params.elid) - Number(y.params.elid)),
    pendingOnSellingSide: env.sandbox.state.events().length,
  };
}

/**
 * Every kind of event over six services, two events that cannot be applied, all made on the selling side before
 * any run. Built the same way in two worlds, it gives the same ids: the crash test compares them.
 */
export async function mixedScenario(w: EventWorld): Promise<void> {
  const state = w.sandbox.state;
  const services: Service[] = [];
  for (let i = 0; i < 6; i++) services.push(await w.service());
  const [a, b, c, d, e, f] = services.map((s) => s.selling.id) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const addonId = (intname: string): number =>
    state.tariffByIntname('vps-start').addons.find((x) => x.intname === intname)?.id ?? 0;
  state.activate(a);
  state.edit(a, { params: { username: 'alice' } });
  state.addIp(a, '203.0.113.10');
  state.emitEvent({ item: a, type: 'prolong', value: '2027-06-30' });
  state.activate(b);
  state.suspend(b);
  state.activate(c);
  state.edit(c, { addons: { [addonId('ram')]: '2048', [addonId('backup')]: 'on' } });
  state.activate(d);
  state.suspend(d);
  state.resume(d);
  state.addIp(d, '203.0.113.20');
  state.removeIp(d, '203.0.113.20');
  state.activate(e);
  state.remove(e);
  state.emitEvent({ item: f, type: 'reboot' as ItemEventType });
  const stranger = state.addItem({
    pricelist: state.tariffByIntname('vps-start').id,
    status: 1,
    username: 'reseller',
  });
  state.activate(stranger.id);
  state.activate(f);
}
