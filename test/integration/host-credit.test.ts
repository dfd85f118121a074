/**
 * Crediting an account through the core (host/credit.ts) on MariaDB, against the strict host stand-in: the calls
 * in the SDK's form, each credit once through a lost answer, a refusal kept for the next time without stopping
 * the others, and two processes at once.
 */
import { enqueueCredits } from '../../src/db/host-credit';
import type { Mgrctl } from '../../src/contract/mgrctl';
import { payPendingCredits } from '../../src/host/credit';
import { createInProcessMgrctl } from '../../src/host-standin/in-process';
import { recordedCalls } from '../../src/host-standin/callbacks';
import { AffiliateWorld } from './affiliate/world';
import { createThrowawayDb, type ThrowawayDb } from '../support/mysql';

const NOW = new Date('2026-12-01T03:00:00Z');
let t: ThrowawayDb;
let world: AffiliateWorld;
let core: Mgrctl;

beforeAll(async () => {
  t = await createThrowawayDb();
  world = new AffiliateWorld(t.db);
  await world.currency('USD');
  core = createInProcessMgrctl(t.db, {}, () => NOW);
});
afterAll(async () => {
  await t.drop();
});
beforeEach(async () => {
  await t.db('bmp_host_credit').delete();
  await t.db('standin_mgrctl_call').delete();
});

async function enqueue(key: string, account: number, amountMinor: number, currency = 'USD'): Promise<void> {
  await enqueueCredits(
    t.db,
    'SELECT ? AS credit_key, ? AS account, 1 AS project, ? AS amount_minor, ? AS currency, ? AS info, ? AS created_at',
    [key, account, amountMinor, currency, `Test credit ${key}`, '2026-12-01 03:00:00'],
  );
}

const options = { concurrency: 4, now: () => NOW };

async function creditPayments(account: number): Promise<Array<{ amount: string; status: number }>> {
  const rows = (await t.db('payment').where({ account }).orderBy('id').select('amount', 'status')) as Array<{
    amount: string;
    status: number;
  }>;
  return rows.map((r) => ({ amount: String(r.amount), status: Number(r.status) }));
}

describe('crediting an account through the core', () => {
  it('makes a payment with payment.add and credits it with payment.setpaid, both with sok=ok, once', async () => {
    const account = await world.account();
    await enqueue('test:1', account, 1235);
    await enqueue('test:1', account, 1235); // the same source again: still one credit

    const report = await payPendingCredits(t.db, core, options);
    expect(report).toMatchObject({ credited: 1, failed: [], waiting: 0, busy: false });
    expect(await creditPayments(account)).toEqual([{ amount: '12.3500', status: 4 }]);
    expect(await world.balance(account)).toBe('12.35');

    const calls = await recordedCalls(t.db);
    expect(calls.map((c) => c.func)).toEqual(['payment.add', 'payment.setpaid']);
    expect(calls[0]?.params).toMatchObject({ account: String(account), amount: '12.35', sok: 'ok' });
    expect(calls[1]?.params).toEqual({ elid: expect.stringMatching(/^\d+$/), sok: 'ok' });

    expect(await payPendingCredits(t.db, core, options)).toMatchObject({ credited: 0, waiting: 0 });
    expect(await creditPayments(account)).toHaveLength(1);
  });

  it('a credit whose payment.add answer was lost is found by its payment, not made twice', async () => {
    const account = await world.account();
    await enqueue('test:lost', account, 500);
    // The core makes the payment, and the process dies before it hears the answer.
    const dying: Mgrctl = {
      async call(func, params) {
        const answer = await core.call(func, params);
        if (func === 'payment.add') throw new Error('killed after payment.add');
        return answer;
      },
    };
    const first = await payPendingCredits(t.db, dying, options);
    expect(first.failed).toEqual([{ key: 'test:lost', account, error: 'killed after payment.add' }]);
    expect(await creditPayments(account)).toEqual([{ amount: '5.0000', status: 1 }]);

    const second = await payPendingCredits(t.db, core, options);
    expect(second).toMatchObject({ credited: 1, failed: [], waiting: 0 });
    expect(await creditPayments(account)).toEqual([{ amount: '5.0000', status: 4 }]);
    expect(await world.balance(account)).toBe('5.00');
    expect((await recordedCalls(t.db, 'payment.add')).length).toBe(1);
  });

  it('a refused credit waits with its error and does not stop the others', async () => {
    const good = await world.account();
    await enqueue('test:unknown-account', 999_999, 100);
    await enqueue('test:good', good, 250);

    const report = await payPendingCredits(t.db, core, options);
    expect(report.credited).toBe(1);
    expect(report.waiting).toBe(1);
    expect(report.failed).toEqual([
      {
        key: 'test:unknown-account',
        account: 999_999,
        error: expect.stringContaining('no client account 999999'),
      },
    ]);
    expect(await world.balance(good)).toBe('2.50');
    const waiting = await t.db('bmp_host_credit').where({ credit_key: 'test:unknown-account' }).first();
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting.last_error).toContain('no client account 999999');
  });

  it('two processes at once credit each account once', async () => {
    const accounts = [];
    for (let i = 0; i < 12; i++) {
      const account = await world.account();
      await enqueue(`test:both:${i}`, account, 100 + i);
      accounts.push(account);
    }
    const [a, b] = await Promise.all([
      payPendingCredits(t.db, core, options),
      payPendingCredits(
        t.db,
        createInProcessMgrctl(t.db, {}, () => NOW),
        options,
      ),
    ]);
    expect(a.credited + b.credited).toBe(12);
    for (const [i, account] of accounts.entries()) {
      expect(await creditPayments(account)).toEqual([
        { amount: `1.${String(i).padStart(2, '0')}00`, status: 4 },
      ]);
    }
    expect((await recordedCalls(t.db, 'payment.add')).length).toBe(12);
  });
});
