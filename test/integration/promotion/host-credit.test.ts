/**
 * A certificate credited through the host adapter (the outbox bmp_host_credit, then the core's payment functions,
 * here the strict in-process stand-in) on MariaDB: once per use however often retried, and a percentage certificate
 * is never based on a payment the plugin made itself.
 */
import type { Mgrctl } from '../../../src/contract/mgrctl';
import { money } from '../../../src/domain/money';
import { payPendingCredits } from '../../../src/host/credit';
import { expireCredits } from '../../../src/promotions/redemption/expire';
import { redeem } from '../../../src/promotions/redemption/redeem';
import { accountLedger } from '../../../src/promotions/redemption/reports';
import { outboxCredit } from '../../../src/promotions/redemption/wiring';
import type { RedemptionPorts } from '../../../src/promotions/redemption/ports';
import { standinCore } from '../../support/core';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { alwaysEligible, makeCertificates } from './redemption-world';
import { PromotionWorld } from './codes-world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
const now = new Date('2026-12-02T10:00:00Z');

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

function hostPorts(at = now): RedemptionPorts {
  return { now: at, eligibility: alwaysEligible, credit: outboxCredit(at) };
}

async function payments(account: number): Promise<{ amount: string; status: number }[]> {
  const rows = (await throwaway
    .db('payment')
    .where({ account })
    .orderBy('id')
    .select('amount', 'status')) as {
    amount: string;
    status: number;
  }[];
  return rows.map((r) => ({ amount: String(r.amount), status: Number(r.status) }));
}

it('credits a certificate through the core once, retried or not, and bases a percentage on the client payment (eligibility: always)', async () => {
  const fixedPromotion = await world.promotion({ kind: 'certificate' });
  const [fixed = ''] = await makeCertificates(throwaway.db, {
    promotion: fixedPromotion,
    amount: { kind: 'fixed', amount: money(2500n, 'USD') },
  });
  const account = await world.account();
  const own = await world.payment(account, '40.0000', '2026-11-30 12:00:00');
  const core = standinCore(throwaway.db, () => now);

  await redeem(throwaway.db, { account, code: fixed, key: 'gift-1' }, hostPorts());
  await redeem(throwaway.db, { account, code: fixed, key: 'gift-1' }, hostPorts());
  const outbox = (await throwaway.db('bmp_host_credit').select('credit_key', 'amount_minor', 'state')) as {
    credit_key: string;
    amount_minor: string;
  }[];
  expect(outbox).toEqual([
    { credit_key: expect.stringMatching(/^promotion:ledger:\d+$/), amount_minor: '2500', state: 'pending' },
  ]);
  const report = await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 2, now: () => now });
  expect(report).toMatchObject({ credited: 1, failed: [], waiting: 0 });
  expect(await payments(account)).toEqual([
    { amount: '40.0000', status: 4 },
    { amount: '25.0000', status: 4 },
  ]);
  // The client's promotion ledger names the payment the core made for the credit.
  const made = (await throwaway.db('payment').where({ account, amount: '25.0000' }).first('id')) as {
    id: number;
  };
  const { entries } = await accountLedger(throwaway.db, account);
  expect(entries.filter((e) => e.kind === 'credit')).toEqual([
    expect.objectContaining({ amount: '25.00', currency: 'USD', payment: Number(made.id) }),
  ]);

  // The certificate's own payment (25.00, the latest) is the plugin's: 10 % is of the client's 40.00.
  const sharePromotion = await world.promotion({ kind: 'certificate' });
  const [share = ''] = await makeCertificates(throwaway.db, {
    promotion: sharePromotion,
    amount: { kind: 'last_payment', percent: '10' },
  });
  const used = await redeem(throwaway.db, { account, code: share }, hostPorts());
  expect(used.redeemed && used.redemption).toMatchObject({ amount: '4.00', basedOnPayment: own });
});

async function expenses(account: number): Promise<{ amount: string; name: string | null }[]> {
  const rows = (await throwaway.db('expense').where({ account }).orderBy('id').select('amount', 'name')) as {
    amount: string;
    name: string | null;
  }[];
  return rows.map((r) => ({ amount: String(r.amount), name: r.name }));
}

async function balanceOf(account: number): Promise<string> {
  const row = (await throwaway.db('account').where({ id: account }).first('balance')) as { balance: string };
  return String(row.balance);
}

async function calls(func: string): Promise<Record<string, string>[]> {
  const rows = (await throwaway.db('standin_mgrctl_call').where({ func }).orderBy('id').select('params')) as {
    params: string;
  }[];
  return rows.map((r) => JSON.parse(r.params) as Record<string, string>);
}

/** A certificate of 10.00 USD whose funds are valid one day, used by a new client and credited through the core. */
async function creditedCertificate(): Promise<{ account: number; core: ReturnType<typeof standinCore> }> {
  const promotion = await world.promotion({ kind: 'certificate' });
  const [code = ''] = await makeCertificates(throwaway.db, {
    promotion,
    amount: { kind: 'fixed', amount: money(1000n, 'USD') },
    fundsPeriod: { type: 'day', length: 1 },
  });
  const account = await world.account();
  const core = standinCore(throwaway.db, () => now);
  await redeem(throwaway.db, { account, code }, hostPorts());
  await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 2, now: () => now });
  return { account, core };
}

it('takes unspent certificate funds back through the core as an expense of their own, once however often re-run (eligibility: always)', async () => {
  const { account, core } = await creditedCertificate();
  expect(await balanceOf(account)).toBe('10.0000');
  // The client spends 3.00 of the 10.00 during the term (the host books the charge).
  await world.expense(account, '3.0000', '2026-12-02 15:00:00');
  const later = new Date(now.getTime() + 2 * 86_400_000);

  expect(await expireCredits(throwaway.db, hostPorts(later))).toEqual({ settled: 1, takenBack: 1 });
  expect(await expireCredits(throwaway.db, hostPorts(later))).toEqual({ settled: 0, takenBack: 0 });
  const report = await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 2, now: () => later });
  expect(report).toMatchObject({ credited: 0, debited: 1, failed: [], waiting: 0 });
  expect(
    await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 2, now: () => later }),
  ).toMatchObject({ credited: 0, debited: 0, waiting: 0 });

  // The credit's payment is untouched; the 7.00 left is an expense of its own, which the balance shows.
  expect(await payments(account)).toEqual([{ amount: '10.0000', status: 4 }]);
  expect(await expenses(account)).toEqual([
    { amount: '3.0000', name: null },
    {
      amount: '7.0000',
      name: expect.stringMatching(/^Certificate funds expired: 7\.00 USD unspent, promotion ledger #\d+$/),
    },
  ]);
  expect(await balanceOf(account)).toBe('3.0000');
  const sent = (await calls('expense.edit')).filter((c) => c.account === String(account));
  expect(sent).toEqual([
    {
      account: String(account),
      subaccount: '1',
      amount: '7.00',
      currency: expect.stringMatching(/^\d+$/),
      name: expect.stringMatching(/^Certificate funds expired/),
      sok: 'ok',
    },
  ]);
  const { entries, balance } = await accountLedger(throwaway.db, account);
  expect(entries.map((e) => [e.kind, e.amount])).toEqual([
    ['redemption', '0.00'],
    ['credit', '10.00'],
    ['expiry', '-7.00'],
  ]);
  expect(balance).toEqual([{ amount: '3.00', currency: 'USD' }]);
});

it('never books a take-back twice when the core made it and its answer was lost (eligibility: always)', async () => {
  const { account, core } = await creditedCertificate();
  const later = new Date(now.getTime() + 2 * 86_400_000);
  await expireCredits(throwaway.db, hostPorts(later));
  // The core books the expense, then the answer is lost (mgrctl killed, a timeout) before the plugin records it.
  const losing: Mgrctl = {
    ...core.mgrctl,
    call: async (func, params) => {
      await core.mgrctl.call(func, params);
      throw new Error('mgrctl timed out');
    },
  };
  const lost = await payPendingCredits(throwaway.db, losing, { concurrency: 1, now: () => later });
  expect(lost).toMatchObject({ debited: 0, waiting: 1, failed: [expect.objectContaining({ account })] });

  const retried = await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 1, now: () => later });
  expect(retried).toMatchObject({ debited: 1, failed: [], waiting: 0 });
  expect((await expenses(account)).map((e) => e.amount)).toEqual(['10.0000']);
  expect((await calls('expense.edit')).filter((c) => c.account === String(account))).toHaveLength(1);
  const outbox = (await throwaway
    .db('bmp_host_credit')
    .where({ account, kind: 'debit' })
    .first('state', 'expense')) as { state: string; expense: number };
  const made = (await throwaway.db('expense').where({ account }).first('id')) as { id: number };
  expect(outbox).toEqual({ state: 'done', expense: made.id });
});

it('counts funds it took back as no spending: a second certificate of the same term keeps its own unspent funds (eligibility: always)', async () => {
  const { account, core } = await creditedCertificate();
  const promotion = await world.promotion({ kind: 'certificate' });
  const [code = ''] = await makeCertificates(throwaway.db, {
    promotion,
    amount: { kind: 'fixed', amount: money(500n, 'USD') },
    fundsPeriod: { type: 'day', length: 2 },
  });
  await redeem(throwaway.db, { account, code }, hostPorts());
  await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 1, now: () => now });
  // The first certificate's 10.00 are taken back on day 2, inside the second one's term.
  const day2 = new Date(now.getTime() + 86_400_000 + 60_000);
  expect(await expireCredits(throwaway.db, hostPorts(day2))).toEqual({ settled: 1, takenBack: 1 });
  await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 1, now: () => day2 });
  const day3 = new Date(now.getTime() + 3 * 86_400_000);
  expect(await expireCredits(throwaway.db, hostPorts(day3))).toEqual({ settled: 1, takenBack: 1 });
  await payPendingCredits(throwaway.db, core.mgrctl, { concurrency: 1, now: () => day3 });
  expect((await expenses(account)).map((e) => e.amount)).toEqual(['10.0000', '5.0000']);
  expect(await balanceOf(account)).toBe('0.0000');
});
