/** Each event of seed 004's table, from the sandbox's own lifecycle over HTTP to the host's rows (runCheckevent in-process). */
import type { Mgrctl } from '../../../src/contract/mgrctl';
import { callsNotInSdkForm } from '../../support/services';
import { createSellingClient } from '../../../src/billmgr-api/client';
import { HostError } from '../../../src/contract/errors';
import type { ItemEventType } from '../../../src/sandbox/server';
import { startEventWorld, type EventWorld, type Service } from './world';

let w: EventWorld;

beforeAll(async () => {
  w = await startEventWorld();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

beforeEach(() => {
  w.sandbox.faults.reset();
});

const today = (): string => new Date().toISOString().slice(0, 10);

async function item(id: number): Promise<Record<string, unknown>> {
  return (await w.db('item').where({ id }).first()) as Record<string, unknown>;
}

async function callbacksFor(local: number): Promise<string[]> {
  return (await w.mgrctlCalls())
    .filter((c) => c.func.startsWith('service.') && c.params.elid === String(local))
    .map((c) => c.func);
}

async function itemeventsOf(local: number): Promise<{ type: string; error: string | null }[]> {
  return w.db('itemevent').where({ item: local }).orderBy('id').select('type', 'error');
}

/** The selling event ids received for a selling service: one receipt per event, kept after it is applied. */
async function receiptsOf(sellingItem: number): Promise<string[]> {
  return (
    (await w
      .db('bmp_event_receipt')
      .where({ processingmodule: w.module, selling_item: String(sellingItem) })
      .orderBy('id')
      .pluck('selling_event_id')) as unknown[]
  ).map(String);
}

async function activeService(): Promise<Service> {
  const s = await w.service();
  w.sandbox.state.activate(s.selling.id);
  expect((await w.check()).ok).toBe(true);
  return s;
}

function sellingAddonId(intname: string): number {
  const addon = w.sandbox.state.tariffByIntname('vps-start').addons.find((a) => a.intname === intname);
  if (!addon) throw new Error(`no add-on ${intname}`);
  return addon.id;
}

describe('checkevent applies each selling event', () => {
  it('setup: the service becomes active through service.postopen, with its open date', async () => {
    const s = await w.service();
    w.sandbox.state.activate(s.selling.id);

    const result = await w.check();

    expect(result.ok).toBe(true);
    expect(result.modules[0]).toMatchObject({ fetched: 1, applied: 1, kept: [] });
    expect(await item(s.local)).toMatchObject({ status: 2, opendate: today() });
    expect(await callbacksFor(s.local)).toEqual(['service.postopen']);
    expect(await itemeventsOf(s.local)).toEqual([]);
    expect(w.sandbox.state.events()).toEqual([]);
    // The receipt stays after the event is applied: it refuses the event if the selling side sends it again.
    expect(await receiptsOf(s.selling.id)).toHaveLength(1);
  });

  it('suspend, activate and delete: suspended, active again, deleted, each through its callback', async () => {
    const s = await activeService();

    w.sandbox.state.suspend(s.selling.id);
    await w.check();
    expect((await item(s.local)).status).toBe(3);

    w.sandbox.state.resume(s.selling.id);
    await w.check();
    expect((await item(s.local)).status).toBe(2);

    w.sandbox.state.remove(s.selling.id);
    await w.check();
    expect((await item(s.local)).status).toBe(4);

    expect(await callbacksFor(s.local)).toEqual([
      'service.postopen',
      'service.postsuspend',
      'service.postresume',
      'service.postclose',
    ]);
  });

  it('events of one service in one run apply in order: setup then suspend ends suspended', async () => {
    const s = await w.service();
    w.sandbox.state.activate(s.selling.id);
    w.sandbox.state.suspend(s.selling.id);

    const result = await w.check();

    expect(result.modules[0]?.applied).toBe(2);
    expect((await item(s.local)).status).toBe(3);
    expect(await callbacksFor(s.local)).toEqual(['service.postopen', 'service.postsuspend']);
  });

  it("ip_add and ip_del: the core adds and removes the address on the service's IP add-on", async () => {
    const s = await activeService();

    w.sandbox.state.addIp(s.selling.id, '203.0.113.5');
    w.sandbox.state.addIp(s.selling.id, '203.0.113.6');
    await w.check();
    expect(await w.db('ip').where({ item: s.children.ip }).orderBy('name').pluck('name')).toEqual([
      '203.0.113.5',
      '203.0.113.6',
    ]);
    expect(await w.db('ip').where({ item: s.local }).pluck('name')).toEqual([]);
    expect(await w.db('standin_ip_uncommitted').pluck('ip')).toEqual([]);
    const added = await w.mgrctlCalls('service.ip.add');
    expect(added.slice(-2).map((c) => c.params)).toEqual([
      { elid: String(s.children.ip), ip: '203.0.113.5', mask: '', gateway: '', domain: '', sok: 'ok' },
      { elid: String(s.children.ip), ip: '203.0.113.6', mask: '', gateway: '', domain: '', sok: 'ok' },
    ]);

    const row = (await w.db('ip').where({ item: s.children.ip, name: '203.0.113.5' }).first('id')) as {
      id: number;
    };
    w.sandbox.state.removeIp(s.selling.id, '203.0.113.5');
    await w.check();
    expect(await w.db('ip').where({ item: s.children.ip }).pluck('name')).toEqual(['203.0.113.6']);
    expect((await w.mgrctlCalls('service.ip.del')).slice(-1).map((c) => c.params)).toEqual([
      { elid: String(row.id), sok: 'ok' },
    ]);
  });

  it('ip_add whose commit failed: the next run commits the row it added, and adds nothing twice', async () => {
    const s = await activeService();
    // One call at a time (no batch form), and the core refuses the first commit.
    let refused = false;
    const flaky: Mgrctl = {
      async call(func, params) {
        if (func === 'service.ip.add.commit' && !refused) {
          refused = true;
          throw new HostError('mgrctl', func, 'mgrctl service.ip.add.commit failed: the core is restarting');
        }
        return w.mgrctl.call(func, params);
      },
    };

    w.sandbox.state.addIp(s.selling.id, '203.0.113.21');
    const first = await w.check({}, flaky);
    expect(first.modules[0]?.kept.map((k) => k.error)).toEqual([
      expect.stringContaining('the core is restarting'),
    ]);
    const row = (await w.db('ip').where({ item: s.children.ip, name: '203.0.113.21' }).first('id')) as {
      id: number;
    };
    expect(await w.db('standin_ip_uncommitted').pluck('ip')).toEqual([row.id]);

    const second = await w.check({}, flaky);
    expect(second.modules[0]).toMatchObject({ kept: [] });
    expect(await w.db('standin_ip_uncommitted').pluck('ip')).toEqual([]);
    expect(await w.db('bmp_ip_uncommitted').pluck('ip')).toEqual([]);
    expect(await w.db('ip').where({ item: s.children.ip, name: '203.0.113.21' }).pluck('id')).toEqual([
      row.id,
    ]);
    const adds = (await w.mgrctlCalls('service.ip.add')).filter((c) => c.params.ip === '203.0.113.21');
    expect(adds).toHaveLength(1);
    const commits = (await w.mgrctlCalls('service.ip.add.commit')).filter(
      (c) => c.params.elid === String(row.id),
    );
    expect(commits).toHaveLength(1);
    expect(await itemeventsOf(s.local)).toEqual([]);
  });

  it('ip_add to a service without an IP add-on is kept with the reason, and nothing is written', async () => {
    const s = await activeService();
    await w.db('item').where({ id: s.children.ip }).delete();

    w.sandbox.state.addIp(s.selling.id, '203.0.113.9');
    const result = await w.check();

    expect(result.modules[0]?.kept.map((k) => k.error)).toEqual([
      expect.stringContaining(`service ${s.local} has no IP add-on`),
    ]);
    expect(await w.db('ip').where({ name: '203.0.113.9' }).first()).toBeUndefined();
    await w.db('itemevent').where({ item: s.local }).delete();
  });

  it('addon: integer, boolean and enum values land on the child items', async () => {
    const s = await activeService();
    const panel = w.sandbox.state.tariffByIntname('vps-start').addons.find((a) => a.intname === 'panel');
    const isplite = panel?.enumeration?.items.find((i) => i.intname === 'isplite');

    w.sandbox.state.edit(s.selling.id, {
      addons: {
        [sellingAddonId('ram')]: '2048',
        [sellingAddonId('backup')]: 'on',
        [sellingAddonId('panel')]: String(isplite?.id),
      },
    });
    const result = await w.check();

    expect(result.modules[0]).toMatchObject({ applied: 3, kept: [] });
    expect((await item(s.children.ram)).intvalue).toBe(2048);
    expect((await item(s.children.backup)).boolvalue).toBe('on');
    expect((await item(s.children.panel)).enumerationitem).toBe(w.vps.enumerationItems.isplite);
  });

  it('param: the service parameter is created, then changed', async () => {
    const s = await activeService();

    w.sandbox.state.edit(s.selling.id, { params: { username: 'alice' } });
    await w.check();
    w.sandbox.state.edit(s.selling.id, { params: { username: 'bob' } });
    await w.check();

    expect(await w.db('itemparam').where({ item: s.local, intname: 'username' }).pluck('value')).toEqual([
      'bob',
    ]);
  });

  it('prolong: the expiry date moves to the selling one', async () => {
    const s = await activeService();

    const prolonged = w.sandbox.state.prolong(s.selling.id, 1);
    await w.check();

    expect((await item(s.local)).expiredate).toBe(prolonged.expiredate);
  });

  it('logs each applied event with the callback it took', async () => {
    const s = await w.service();
    w.sandbox.state.activate(s.selling.id);
    const lines: string[] = [];
    const log = {
      info: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(m),
      error: (m: string) => lines.push(m),
    };

    await w.check({ log });

    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`applied event \\d+ setup to service ${s.local} via service.postopen`),
      ),
    ]);
  });
});

describe('guarantees', () => {
  it('re-delivered events are acknowledged again but neither stored nor applied twice', async () => {
    const s = await w.service();
    w.sandbox.state.activate(s.selling.id);
    w.sandbox.faults.failNext('itemevent.delete', { kind: 'error', type: 'internal', msg: 'try later' });

    const first = await w.check();
    expect(first.ok).toBe(false);
    expect(first.modules[0]?.error).toMatch(/try later/);
    expect(first.modules[0]).toMatchObject({ fetched: 1, stored: 1, applied: 1 });
    expect(w.sandbox.state.events()).toHaveLength(1);

    const second = await w.check();
    expect(second.ok).toBe(true);
    expect(second.modules[0]).toMatchObject({ fetched: 1, stored: 0, redelivered: 1, applied: 0 });
    expect(w.sandbox.state.events()).toEqual([]);
    expect(await callbacksFor(s.local)).toEqual(['service.postopen']);
    expect(await receiptsOf(s.selling.id)).toHaveLength(1);
  });

  it('an unknown type and an unknown service are kept with their errors; the other events go through', async () => {
    const s = await w.service();
    const stranger = w.sandbox.state.addItem({
      pricelist: s.selling.pricelist,
      status: 1,
      username: 'reseller',
    });
    w.sandbox.state.emitEvent({ item: s.selling.id, type: 'reboot' as ItemEventType });
    w.sandbox.state.activate(stranger.id);
    w.sandbox.state.activate(s.selling.id);

    const result = await w.check();

    expect(result.ok).toBe(true);
    expect(result.modules[0]?.applied).toBe(1);
    expect(result.modules[0]?.kept.map((k) => k.error)).toEqual([
      "unknown event type 'reboot'",
      `unknown service: no service of this module is linked to selling service ${stranger.id}`,
    ]);
    expect((await item(s.local)).status).toBe(2);
    expect(await itemeventsOf(s.local)).toEqual([{ type: 'reboot', error: "unknown event type 'reboot'" }]);
    const orphan = await w.db('itemevent').whereNull('item').select('type', 'error');
    expect(orphan).toEqual([
      { type: 'setup', error: expect.stringContaining(`selling service ${stranger.id}`) },
    ]);

    // Kept rows are neither duplicated nor lost by the next run; once the service is linked, its event applies.
    await w.check();
    expect(await w.db('itemevent').pluck('type')).toEqual(['reboot', 'setup']);
    const [local] = await w
      .db('item')
      .insert({ processingmodule: w.module, status: 1, remoteid: String(stranger.id) });
    const third = await w.check();
    expect(third.modules[0]?.applied).toBe(1);
    expect((await item(Number(local))).status).toBe(2);
    expect(await w.db('itemevent').pluck('type')).toEqual(['reboot']);
    await w.db('itemevent').delete();
  });

  it('a selling side that ignores acknowledgements: the fetch stops with a warning, each event stored and applied once', async () => {
    const s = await activeService();
    for (const username of ['a', 'b', 'c', 'd', 'e', 'f']) {
      w.sandbox.state.edit(s.selling.id, { params: { username } });
    }
    const warnings: string[] = [];
    const result = await w.check({
      pageSize: 2,
      log: { info: () => undefined, error: () => undefined, warn: (message) => warnings.push(message) },
      sellingClient: (settings) => {
        const real = createSellingClient({ ...settings, timeoutMs: 5000, retries: 0, maxBackoffMs: 10 });
        return {
          list: (func, params) => real.list(func, params),
          call: (func, params, options) =>
            func === 'itemevent.delete' ? Promise.resolve({ ok: '' }) : real.call(func, params, options),
        };
      },
    });

    // a-b, then c-d listed ahead; page 2 listed ahead again is c-d (a-b was not deleted), so the run reads one
    // page at a time, gets a-b again, which it acknowledged: it stops there.
    expect(result.modules[0]).toMatchObject({ fetched: 4, stored: 4, applied: 4 });
    expect(warnings).toEqual([expect.stringContaining('the selling side lists events it has acknowledged')]);
    expect(await w.db('itemparam').where({ item: s.local, intname: 'username' }).pluck('value')).toEqual([
      'd',
    ]);
    // Nothing was acknowledged: the next run gets all six again, stores only the last two, applies them.
    const next = await w.check();
    expect(next.modules[0]).toMatchObject({ fetched: 6, stored: 2, redelivered: 4, applied: 2 });
    expect(await w.db('itemparam').where({ item: s.local, intname: 'username' }).pluck('value')).toEqual([
      'f',
    ]);
  });

  it('an event kept between applied ones stays stored and unapplied; the ones around it leave itemevent', async () => {
    const s = await activeService();
    w.sandbox.state.edit(s.selling.id, { params: { username: 'before' } });
    const kept = w.sandbox.state.emitEvent({ item: s.selling.id, type: 'reboot' as ItemEventType });
    w.sandbox.state.edit(s.selling.id, { params: { username: 'after', panelid: 'p-1' } });

    const result = await w.check();

    expect(result.modules[0]).toMatchObject({ applied: 3 });
    expect(await itemeventsOf(s.local)).toEqual([{ type: 'reboot', error: "unknown event type 'reboot'" }]);
    // Every event has its receipt; of them only the kept one is still stored, unapplied.
    const receipts = await receiptsOf(s.selling.id);
    expect(receipts).toHaveLength(5);
    expect(
      await w
        .db('itemevent')
        .where({ processingmodule: w.module })
        .whereIn('externalid', receipts)
        .pluck('externalid'),
    ).toEqual([String(kept.id)]);
    expect(
      await w.db('itemparam').where({ item: s.local }).orderBy('intname').select('intname', 'value'),
    ).toEqual([
      { intname: 'panelid', value: 'p-1' },
      { intname: 'username', value: 'after' },
    ]);
    await w.db('itemevent').where({ item: s.local }).delete();
  });

  it('a failed callback keeps the events of its service, later ones included, for the next run; others go on', async () => {
    const failing = await activeService();
    const other = await w.service();
    w.sandbox.state.suspend(failing.selling.id);
    w.sandbox.state.activate(other.selling.id);
    w.sandbox.state.edit(failing.selling.id, { params: { username: 'late' } });
    const refusing: Mgrctl = {
      call: (func, params) =>
        func === 'service.postsuspend' && params?.elid === failing.local
          ? Promise.reject(new HostError('mgrctl', func, `mgrctl ${func}: the core is busy`))
          : w.mgrctl.call(func, params),
    };
    const { runCheckevent } = await import('../../../src/events');

    const result = await runCheckevent(w.db, refusing, {
      http: { timeoutMs: 5000, retries: 0, maxBackoffMs: 10 },
      batchSize: 2,
    });

    expect(result.modules[0]).toMatchObject({ applied: 1, waiting: 1 });
    expect(result.modules[0]?.kept.map((k) => k.error)).toEqual([
      'service.postsuspend failed: mgrctl service.postsuspend: the core is busy',
    ]);
    expect((await item(failing.local)).status).toBe(2);
    expect((await item(other.local)).status).toBe(2);
    expect(
      await w.db('itemparam').where({ item: failing.local, intname: 'username' }).first(),
    ).toBeUndefined();

    const next = await w.check();
    expect(next.modules[0]).toMatchObject({ applied: 2, kept: [] });
    expect((await item(failing.local)).status).toBe(3);
    expect(
      await w.db('itemparam').where({ item: failing.local, intname: 'username' }).pluck('value'),
    ).toEqual(['late']);
  });
  it('one call at a time per service, at most callbackConcurrency services at once, each in its own order', async () => {
    const services = await Promise.all(Array.from({ length: 8 }, () => w.service()));
    for (const s of services) {
      w.sandbox.state.activate(s.selling.id);
      w.sandbox.state.addIp(s.selling.id, `192.0.2.${s.local % 250}`);
      w.sandbox.state.suspend(s.selling.id);
    }
    let inFlight = 0;
    let most = 0;
    const order = new Map<string, string[]>();
    // No batch form: the calls go one by one, as to the real mgrctl, slowly enough to overlap.
    const slow: Mgrctl = {
      call: async (func, params) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        const key = func.startsWith('service.ip.add') ? 'ip' : String(params?.elid);
        if (key !== 'ip') order.set(key, [...(order.get(key) ?? []), func]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        try {
          return await w.mgrctl.call(func, params);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const { runCheckevent } = await import('../../../src/events');

    const result = await runCheckevent(w.db, slow, {
      http: { timeoutMs: 5000, retries: 0, maxBackoffMs: 10 },
      callbackConcurrency: 3,
    });

    expect(result.modules[0]).toMatchObject({ applied: 24, kept: [] });
    expect(most).toBe(3);
    for (const s of services) {
      expect(order.get(String(s.local))).toEqual(['service.postopen', 'service.postsuspend']);
      expect((await item(s.local)).status).toBe(3);
      expect(await w.db('ip').where({ item: s.children.ip }).pluck('name')).toEqual([
        `192.0.2.${s.local % 250}`,
      ]);
    }
  });

  it('with host writes through the core, parameters and expiry dates are saveparam and setexpiredate calls', async () => {
    const s = await activeService();
    w.sandbox.state.edit(s.selling.id, { params: { username: 'via-core' } });
    w.sandbox.state.emitEvent({ item: s.selling.id, type: 'prolong', value: '2028-02-29' });

    const result = await w.check({ hostWrites: 'core' });

    expect(result.modules[0]).toMatchObject({ applied: 2, kept: [] });
    expect((await w.mgrctlCalls('service.saveparam')).slice(-1).map((c) => c.params)).toEqual([
      { elid: String(s.local), username: 'via-core', crypted: 'off', sok: 'ok' },
    ]);
    expect((await w.mgrctlCalls('service.setexpiredate')).slice(-1).map((c) => c.params)).toEqual([
      { elid: String(s.local), expiredate: '2028-02-29', sok: 'ok' },
    ]);
    expect(await w.db('itemparam').where({ item: s.local, intname: 'username' }).pluck('value')).toEqual([
      'via-core',
    ]);
    expect((await item(s.local)).expiredate).toBe('2028-02-29');
  });

  it('with the batch form, callbacks go by step: each service keeps its order, one batch per step and function', async () => {
    const opensAndSuspends = await w.service();
    const opens = await w.service();
    const suspends = await activeService();
    w.sandbox.state.activate(opensAndSuspends.selling.id);
    w.sandbox.state.activate(opens.selling.id);
    w.sandbox.state.suspend(suspends.selling.id);
    w.sandbox.state.suspend(opensAndSuspends.selling.id);
    const batches: { func: string; elids: unknown[] }[] = [];
    const recording: Mgrctl = {
      call: (func, params) => w.mgrctl.call(func, params),
      callEach: (func, list) => {
        batches.push({ func, elids: list.map((p) => p.elid) });
        return w.mgrctl.callEach?.(func, list) ?? Promise.reject(new Error('no batch form'));
      },
    };
    const { runCheckevent } = await import('../../../src/events');

    const result = await runCheckevent(w.db, recording, {
      http: { timeoutMs: 5000, retries: 0, maxBackoffMs: 10 },
    });

    expect(result.modules[0]).toMatchObject({ applied: 4, kept: [], callbacks: 4 });
    expect(batches).toEqual([
      { func: 'service.postopen', elids: [opensAndSuspends.local, opens.local] },
      { func: 'service.postsuspend', elids: [suspends.local] },
      { func: 'service.postsuspend', elids: [opensAndSuspends.local] },
    ]);
    expect(await callbacksFor(opensAndSuspends.local)).toEqual(['service.postopen', 'service.postsuspend']);
    expect((await item(opensAndSuspends.local)).status).toBe(3);
    expect((await item(opens.local)).status).toBe(2);
    expect((await item(suspends.local)).status).toBe(3);
  });

  it('with the batch form, a refused batch is made again one call at a time: only the refusing service is kept', async () => {
    const failing = await activeService();
    const other = await activeService();
    w.sandbox.state.suspend(failing.selling.id);
    w.sandbox.state.suspend(other.selling.id);
    w.sandbox.state.edit(failing.selling.id, { params: { username: 'late' } });
    const refuses = (func: string, elid: unknown): boolean =>
      func === 'service.postsuspend' && String(elid) === String(failing.local);
    const busy = (func: string) =>
      Promise.reject(new HostError('mgrctl', func, `mgrctl ${func}: the core is busy`));
    const refusing: Mgrctl = {
      call: (func, params) => (refuses(func, params?.elid) ? busy(func) : w.mgrctl.call(func, params)),
      callEach: (func, list) =>
        list.some((p) => refuses(func, p.elid))
          ? busy(func)
          : (w.mgrctl.callEach?.(func, list) ?? Promise.reject(new Error('no batch form'))),
    };
    const { runCheckevent } = await import('../../../src/events');

    const result = await runCheckevent(w.db, refusing, {
      http: { timeoutMs: 5000, retries: 0, maxBackoffMs: 10 },
    });

    expect(result.modules[0]).toMatchObject({ applied: 1, waiting: 0 });
    expect(result.modules[0]?.kept.map((k) => [k.type, k.error])).toEqual([
      ['suspend', 'service.postsuspend failed: mgrctl service.postsuspend: the core is busy'],
      ['param', 'service.postsuspend failed: mgrctl service.postsuspend: the core is busy'],
    ]);
    expect((await item(failing.local)).status).toBe(2);
    expect((await item(other.local)).status).toBe(3);
    expect(await callbacksFor(other.local)).toEqual(['service.postopen', 'service.postsuspend']);

    const next = await w.check();
    expect(next.modules[0]).toMatchObject({ applied: 2, kept: [] });
    expect((await item(failing.local)).status).toBe(3);
    expect(
      await w.db('itemparam').where({ item: failing.local, intname: 'username' }).pluck('value'),
    ).toEqual(['late']);
  });
});

describe('the calls checkevent made to the core', () => {
  it('each changing call carries sok=ok and saves no parameter as name=/value=', async () => {
    const calls = await w.mgrctlCalls();
    expect(calls.length).toBeGreaterThan(10);
    expect(callsNotInSdkForm(calls)).toEqual([]);
  });
});
