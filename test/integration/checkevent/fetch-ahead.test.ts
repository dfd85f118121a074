/**
 * Receiving one page ahead: page k+1 is listed (`p_num=2`) while page k is stored and not yet acknowledged.
 * Selling sides that ignore `p_num`, or acknowledge only part of a page, are seen by ids and read one page at a time.
 */
import { createSellingClient } from '../../../src/billmgr-api/client';
import type { SellingClient, SellingParams } from '../../../src/billmgr-api/types';
import type { ModuleSettings } from '../../../src/db/processing-module';
import type { EventLog } from '../../../src/events';
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

interface SellingCall {
  func: string;
  params: SellingParams;
}

/** How the selling side under test differs from the sandbox: the params it sees, the ids it deletes. */
interface Quirks {
  list?: (params: SellingParams) => SellingParams;
  acknowledge?: (ids: string[]) => string[];
}

/**
 * A client of the sandbox that records the itemevent calls in the order they are made and, at each
 * acknowledgement, which of its events had no committed receipt yet.
 */
function recordingClient(quirks: Quirks = {}) {
  const calls: SellingCall[] = [];
  const acknowledgedUnstored: string[] = [];
  const client = (settings: ModuleSettings): SellingClient => {
    const real = createSellingClient({ ...settings, timeoutMs: 5000, retries: 0, maxBackoffMs: 10 });
    return {
      list: (func, params = {}) => {
        if (func === 'itemevent') calls.push({ func, params });
        return real.list(func, func === 'itemevent' && quirks.list ? quirks.list(params) : params);
      },
      call: async (func, params = {}, options) => {
        if (func !== 'itemevent.delete') return real.call(func, params, options);
        calls.push({ func, params: { elid: params.elid } });
        const ids = String(params.elid).split(',');
        const stored = await w
          .db('bmp_event_receipt')
          .where({ processingmodule: w.module })
          .whereIn('selling_event_id', ids)
          .pluck('selling_event_id');
        acknowledgedUnstored.push(...ids.filter((id) => !stored.includes(id)));
        const elid = (quirks.acknowledge ? quirks.acknowledge(ids) : ids).join(',');
        return real.call(func, { ...params, elid }, options);
      },
    };
  };
  return { client, calls, acknowledgedUnstored };
}

function recordingLog(): EventLog & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    infos,
    warnings,
    info: (message) => infos.push(message),
    warn: (message) => warnings.push(message),
    error: () => undefined,
  };
}

async function activeService(): Promise<Service> {
  const s = await w.service();
  w.sandbox.state.activate(s.selling.id);
  expect((await w.check()).ok).toBe(true);
  return s;
}

/** Parameter changes, then suspend, resume, suspend in between: only applied in selling-id order do they end as checked. */
function emitOrderedEvents(s: Service, count: number): string[] {
  const state = w.sandbox.state;
  const before = new Set(state.events().map((e) => e.id));
  for (let i = 1; state.events().length - before.size < count; i += 1) {
    if (i % 3 === 0) state.suspend(s.selling.id);
    else if (i % 3 === 1 && i > 1) state.resume(s.selling.id);
    else state.edit(s.selling.id, { params: { username: `user${i}` } });
  }
  return state
    .events()
    .filter((e) => !before.has(e.id))
    .map((e) => String(e.id));
}

async function username(s: Service): Promise<string[]> {
  return w.db('itemparam').where({ item: s.local, intname: 'username' }).pluck('value');
}

async function status(s: Service): Promise<number> {
  return Number((await w.db('item').where({ id: s.local }).first('status')).status);
}

async function receiptsOf(ids: readonly string[]): Promise<string[]> {
  return w
    .db('bmp_event_receipt')
    .where({ processingmodule: w.module })
    .whereIn('selling_event_id', ids)
    .orderBy('selling_event_id')
    .pluck('selling_event_id');
}

const list = (p_cnt: number, p_num?: number): SellingCall => ({
  func: 'itemevent',
  params: p_num === undefined ? { p_cnt } : { p_cnt, p_num },
});
const ack = (...ids: string[]): SellingCall => ({
  func: 'itemevent.delete',
  params: { elid: ids.join(',') },
});

describe('receiving one page ahead', () => {
  it('lists page k+1 with p_num=2 before page k is acknowledged; acknowledges each page only once it is stored; applies in order', async () => {
    const s = await activeService();
    const ids = emitOrderedEvents(s, 7);
    const [e1, e2, e3, e4, e5, e6, e7] = ids as [string, string, string, string, string, string, string];
    const selling = recordingClient();

    const result = await w.check({ pageSize: 2, sellingClient: selling.client });

    expect(result.ok).toBe(true);
    expect(result.modules[0]).toMatchObject({ fetched: 7, stored: 7, redelivered: 0, applied: 7, kept: [] });
    expect(selling.calls).toEqual([
      list(2),
      list(2, 2),
      ack(e1, e2),
      list(2, 2),
      ack(e3, e4),
      list(2, 2),
      ack(e5, e6),
      ack(e7),
    ]);
    expect(selling.acknowledgedUnstored).toEqual([]);
    expect(w.sandbox.state.events()).toEqual([]);
    expect(await receiptsOf(ids)).toEqual([...ids].sort());
    // user1, user2, suspend, resume, user5, suspend, resume: active, with the last name.
    expect(await status(s)).toBe(2);
    expect(await username(s)).toEqual(['user5']);
  });

  it('a selling side that ignores p_num: its page 1 again is seen by ids, and the run goes on one page at a time', async () => {
    const s = await activeService();
    const ids = emitOrderedEvents(s, 6);
    const [e1, e2, e3, e4, e5, e6] = ids as [string, string, string, string, string, string];
    const selling = recordingClient({ list: ({ p_num: _ignored, ...rest }) => rest });
    const log = recordingLog();

    const result = await w.check({ pageSize: 2, sellingClient: selling.client, log });

    expect(result.ok).toBe(true);
    expect(result.modules[0]).toMatchObject({ fetched: 6, stored: 6, redelivered: 0, applied: 6, kept: [] });
    expect(selling.calls).toEqual([
      list(2),
      list(2, 2),
      ack(e1, e2),
      list(2),
      ack(e3, e4),
      list(2),
      ack(e5, e6),
      list(2),
    ]);
    expect(log.infos.filter((m) => m.includes('one page at a time'))).toHaveLength(1);
    expect(log.warnings).toEqual([]);
    expect(selling.acknowledgedUnstored).toEqual([]);
    expect(w.sandbox.state.events()).toEqual([]);
    expect(await receiptsOf(ids)).toEqual([...ids].sort());
    // user1, user2, suspend, resume, user5, suspend.
    expect(await status(s)).toBe(3);
    expect(await username(s)).toEqual(['user5']);
  });

  it('a page acknowledged only in part: the event left behind shifts page 2, the overlap is seen, nothing is lost or stored twice', async () => {
    const s = await activeService();
    const ids = emitOrderedEvents(s, 5);
    const [e1, e2, e3, e4, e5] = ids as [string, string, string, string, string];
    let dropped = false;
    const selling = recordingClient({
      acknowledge: (elid) => {
        if (dropped || elid[0] !== e1) return elid;
        dropped = true;
        return elid.slice(1);
      },
    });

    const result = await w.check({ pageSize: 2, sellingClient: selling.client });

    expect(result.ok).toBe(true);
    // e1 stays on the selling side: page 2 then starts at e4, which was already fetched; e1 comes back with e5.
    expect(selling.calls).toEqual([
      list(2),
      list(2, 2),
      ack(e1, e2),
      list(2, 2),
      ack(e3, e4),
      list(2),
      ack(e1, e5),
      list(2),
    ]);
    expect(result.modules[0]).toMatchObject({ fetched: 6, stored: 5, redelivered: 1, applied: 5, kept: [] });
    expect(selling.acknowledgedUnstored).toEqual([]);
    expect(w.sandbox.state.events()).toEqual([]);
    expect(await receiptsOf(ids)).toEqual([...ids].sort());
    // user1, user2, suspend, resume, user5.
    expect(await status(s)).toBe(2);
    expect(await username(s)).toEqual(['user5']);
  });

  it('--limit: the page ahead is listed as full pages are counted and cut to the limit; the rest stays on the selling side', async () => {
    const s = await activeService();
    const ids = emitOrderedEvents(s, 5);
    const [e1, e2, e3, e4, e5] = ids as [string, string, string, string, string];
    const selling = recordingClient();

    const result = await w.check({ pageSize: 2, limit: 3, sellingClient: selling.client });

    expect(result.modules[0]).toMatchObject({ fetched: 3, stored: 3, applied: 3 });
    expect(selling.calls).toEqual([list(2), list(2, 2), ack(e1, e2), ack(e3)]);
    expect(w.sandbox.state.events().map((e) => String(e.id))).toEqual([e4, e5]);
    expect(await receiptsOf(ids)).toEqual([e1, e2, e3].sort());

    const rest = await w.check({ pageSize: 2, sellingClient: recordingClient().client });
    expect(rest.modules[0]).toMatchObject({ fetched: 2, stored: 2, applied: 2 });
    expect(await status(s)).toBe(2);
    expect(await username(s)).toEqual(['user5']);
  });

  it('a page 2 that cannot be listed: the stored page is still acknowledged, the run fails, the next run gets the rest', async () => {
    const s = await activeService();
    const ids = emitOrderedEvents(s, 4);
    const [e1, e2] = ids as [string, string];
    const selling = recordingClient({
      list: (params) => {
        if (params.p_num !== undefined) throw new Error('the selling side is down');
        return params;
      },
    });

    const result = await w.check({ pageSize: 2, sellingClient: selling.client });

    expect(result.ok).toBe(false);
    expect(result.modules[0]?.error).toMatch(/the selling side is down/);
    expect(result.modules[0]).toMatchObject({ fetched: 2, stored: 2, applied: 2 });
    expect(selling.calls).toEqual([list(2), list(2, 2), ack(e1, e2)]);
    expect(w.sandbox.state.events()).toHaveLength(2);

    const next = await w.check({ pageSize: 2 });
    expect(next.modules[0]).toMatchObject({ fetched: 2, stored: 2, redelivered: 0, applied: 2 });
    expect(await receiptsOf(ids)).toEqual([...ids].sort());
    // user1, user2, suspend, resume.
    expect(await status(s)).toBe(2);
    expect(await username(s)).toEqual(['user2']);
  });
});
