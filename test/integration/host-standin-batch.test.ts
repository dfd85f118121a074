/** The in-process stand-in's batch form (`callEach`): the same rows as one call per entry, or none at all. */
import { HostError } from '../../src/contract/errors';
import type { Mgrctl } from '../../src/contract/mgrctl';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import { addIpAddon } from '../../src/host-standin/panel';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';

let t: ThrowawayDb;
let mgrctl: Mgrctl;
const NOW = new Date('2026-11-23T10:00:00Z');

beforeAll(async () => {
  t = await createThrowawayDb();
  mgrctl = createInProcessMgrctl(t.db, { databaseUrl: t.url }, () => NOW);
});

afterAll(async () => {
  await t.drop();
});

interface Services {
  /** Ordered for 12 months, with running operations open, suspend and one without a name. */
  yearly: number;
  /** Opened before, on 2026-01-05, with no expiry yet; a running close operation that no step finishes. */
  openedBefore: number;
  /** No period: opened with no expiry. */
  noPeriod: number;
  /** Active, with an add-on child item. */
  withAddon: number;
}

async function newItem(values: Record<string, unknown>): Promise<number> {
  const [id] = await t.db('item').insert({ status: 1, ...values });
  return Number(id);
}

/** The same four services each time, and an unrelated one whose rows must not change. */
async function services(): Promise<Services> {
  const yearly = await newItem({ period: 12 });
  for (const intname of ['open', 'suspend', null])
    await t.db('runningoperation').insert({ item: yearly, intname });
  const openedBefore = await newItem({ period: 1, opendate: '2026-01-05' });
  await t.db('runningoperation').insert({ item: openedBefore, intname: 'close' });
  const noPeriod = await newItem({});
  const withAddon = await newItem({ status: 2, opendate: '2026-02-01', expiredate: '2026-03-01', period: 1 });
  await newItem({ parent: withAddon, intvalue: 1024 });
  const bystander = await newItem({});
  await t.db('runningoperation').insert({ item: bystander, intname: 'open' });
  return { yearly, openedBefore, noPeriod, withAddon };
}

type Step = [func: string, services: (keyof Services)[]];

/** Every lifecycle callback, a service named twice, and services going through several steps. */
const STEPS: Step[] = [
  ['service.postopen', ['yearly', 'openedBefore', 'noPeriod', 'yearly']],
  ['service.postsuspend', ['yearly', 'openedBefore', 'withAddon']],
  ['service.postresume', ['openedBefore']],
  ['service.postclose', ['noPeriod', 'withAddon']],
];

/** What the callbacks left: the services' rows, their add-ons, running operations and recorded calls, by role. */
async function outcome(world: Services, callsAfter: number, callsUpTo = Infinity): Promise<unknown> {
  const role = new Map(Object.entries(world).map(([name, id]) => [String(id), name]));
  const ids = Object.values(world);
  const items = (await t
    .db('item')
    .whereIn('id', ids)
    .orWhereIn('parent', ids)
    .orderBy('id')
    .select('id', 'parent', 'status', 'opendate', 'expiredate')) as Record<string, unknown>[];
  const operations = (await t
    .db('runningoperation')
    .whereIn('item', ids)
    .orderBy('id')
    .select('item', 'intname')) as { item: number; intname: string | null }[];
  const calls = (await t
    .db('standin_mgrctl_call')
    .where('id', '>', callsAfter)
    .andWhere('id', '<=', Number.isFinite(callsUpTo) ? callsUpTo : 2 ** 31 - 1)
    .orderBy('id')) as {
    func: string;
    params: string;
    created: string;
  }[];
  return {
    items: items.map(({ id, parent, ...row }) => ({
      role: role.get(String(id)) ?? `add-on of ${role.get(String(parent))}`,
      ...row,
    })),
    operations: operations.map((o) => ({ role: role.get(String(o.item)), intname: o.intname })),
    calls: calls.map((c) => {
      const { elid, ...rest } = JSON.parse(c.params) as Record<string, string>;
      return { func: c.func, elid: role.get(elid ?? ''), ...rest, created: c.created };
    }),
  };
}

async function lastCallId(): Promise<number> {
  const row = (await t.db('standin_mgrctl_call').max({ id: 'id' }).first()) as { id: number | null };
  return Number(row.id ?? 0);
}

describe('callEach of the in-process stand-in', () => {
  it('writes the same rows as calling call for each service, step by step', async () => {
    const single = await services();
    const singleMark = await lastCallId();
    for (const [func, names] of STEPS) {
      for (const name of names) await mgrctl.call(func, { elid: single[name], sok: 'ok' });
    }
    const singleEnd = await lastCallId();
    const batched = await services();
    const batchedMark = await lastCallId();
    for (const [func, names] of STEPS) {
      await mgrctl.callEach?.(
        func,
        names.map((name) => ({ elid: batched[name], sok: 'ok' })),
      );
    }

    const expected = await outcome(single, singleMark, singleEnd);
    expect(await outcome(batched, batchedMark)).toEqual(expected);
    // The single calls did what the core does, so the comparison is not between two empty results.
    expect(expected).toMatchObject({
      items: [
        { role: 'yearly', status: 3, opendate: '2026-11-23', expiredate: '2027-11-23' },
        { role: 'openedBefore', status: 2, opendate: '2026-01-05', expiredate: '2026-02-05' },
        { role: 'noPeriod', status: 4, opendate: '2026-11-23', expiredate: null },
        { role: 'withAddon', status: 4, opendate: '2026-02-01', expiredate: '2026-03-01' },
        { role: 'add-on of withAddon', status: 4 },
      ],
      operations: [{ role: 'openedBefore', intname: 'close' }],
    });
    expect((expected as { calls: unknown[] }).calls).toHaveLength(10);
  });

  it('refuses a batch naming a missing service with the single call error, and writes nothing', async () => {
    const world = await services();
    const mark = await lastCallId();
    const before = await outcome(world, mark);
    const missing = world.withAddon + 1000;

    const err: unknown = await mgrctl
      .callEach?.('service.postsuspend', [
        { elid: world.withAddon, sok: 'ok' },
        { elid: missing, sok: 'ok' },
      ])
      .catch((e: unknown) => e);
    const single: unknown = await mgrctl
      .call('service.postsuspend', { elid: missing, sok: 'ok' })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({
      type: 'missed',
      message: `mgrctl service.postsuspend: no service ${missing}`,
    });
    const fields = ({ type, object, message, params }: HostError) => ({ type, object, message, params });
    expect(fields(err as HostError)).toEqual(fields(single as HostError));
    const after = (await outcome(world, mark)) as { calls: unknown[] };
    // Only the single call was recorded; the batch left every row as it was.
    expect({ ...after, calls: [] }).toEqual({ ...(before as object), calls: [] });
    expect(after.calls).toEqual([
      { func: 'service.postsuspend', elid: undefined, sok: 'ok', created: '2026-11-23 10:00:00' },
    ]);
  });

  it('refuses an unknown function without recording it', async () => {
    const mark = await lastCallId();
    await expect(mgrctl.callEach?.('service.explode', [{ elid: 1 }])).rejects.toMatchObject({
      type: 'missed',
      object: 'func',
      message: "mgrctl service.explode: unknown function 'service.explode'",
    });
    expect(await lastCallId()).toBe(mark);
  });
});

describe('callEach of service.ip.add and its commit', () => {
  async function ipAddon(): Promise<number> {
    const [tariff] = await t.db('pricelist').insert({ name: 'VPS' });
    const pricelist = await addIpAddon(t.db, Number(tariff));
    const service = await newItem({ pricelist: tariff });
    return newItem({ pricelist, parent: service, intvalue: 2 });
  }

  it('adds every address, answers each row id in order, and the commit batch confirms them', async () => {
    const first = await ipAddon();
    const second = await ipAddon();
    const answers = await mgrctl.callEach?.('service.ip.add', [
      { elid: first, ip: '192.0.2.21', sok: 'ok' },
      { elid: second, ip: '192.0.2.22', sok: 'ok' },
      { elid: first, ip: '192.0.2.23', sok: 'ok' },
    ]);
    const ids = (answers ?? []).map((a) => Number(a['ip.id']));
    const rows = await Promise.all(ids.map((id) => t.db('ip').where({ id }).first('item', 'name')));
    expect(rows).toEqual([
      { item: first, name: '192.0.2.21' },
      { item: second, name: '192.0.2.22' },
      { item: first, name: '192.0.2.23' },
    ]);
    await mgrctl.callEach?.(
      'service.ip.add.commit',
      ids.map((elid) => ({ elid, sok: 'ok' })),
    );
    expect(await t.db('standin_ip_uncommitted').whereIn('ip', ids).pluck('ip')).toEqual([]);
  });

  it('refuses the whole batch when one entry names the service instead of its IP add-on', async () => {
    const addon = await ipAddon();
    const service = Number(
      ((await t.db('item').where({ id: addon }).first('parent')) as { parent: number }).parent,
    );
    await expect(
      mgrctl.callEach?.('service.ip.add', [
        { elid: addon, ip: '192.0.2.31', sok: 'ok' },
        { elid: service, ip: '192.0.2.32', sok: 'ok' },
      ]),
    ).rejects.toMatchObject({ type: 'value', object: 'elid' });
    expect(await t.db('ip').whereIn('name', ['192.0.2.31', '192.0.2.32']).first()).toBeUndefined();
  });
});
