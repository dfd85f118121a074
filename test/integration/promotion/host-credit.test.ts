/**
 * A certificate credited through the host adapter (the outbox bmp_host_credit, then the core's payment functions,
 * here the strict in-process stand-in) on MariaDB: once per use however often retried, and a percentage certificate
 * is never based on a payment the plugin made itself.
 */
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

it('refuses to take funds back while the core has no function for it, and writes no expiry (eligibility: always)', async () => {
  const promotion = await world.promotion({ kind: 'certificate' });
  const [code = ''] = await makeCertificates(throwaway.db, {
    promotion,
    amount: { kind: 'fixed', amount: money(1000n, 'USD') },
    fundsPeriod: { type: 'day', length: 1 },
  });
  const account = await world.account();
  await redeem(throwaway.db, { account, code }, hostPorts());
  const later = new Date(now.getTime() + 2 * 86_400_000);
  await expect(expireCredits(throwaway.db, hostPorts(later))).rejects.toThrow(/has no core function yet/);
  const expiries = (await throwaway
    .db('bmp_promotion_ledger')
    .where({ account, kind: 'expiry' })) as unknown[];
  expect(expiries).toEqual([]);
});
