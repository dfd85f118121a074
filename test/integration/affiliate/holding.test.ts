/** The holding area and clawback on MariaDB: commission delay, withdrawals, reversals of refunded payments. */
import {
  applyNow,
  balancesOf,
  decideWithdrawal,
  listWithdrawals,
  requestWithdrawal,
} from '../../../src/affiliate/holding';
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { parseMoney, toMajorString } from '../../../src/domain/money';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';
import { standinCore } from '../../support/core';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

async function runOn(month: string): Promise<void> {
  await runAffiliateMonthly(throwaway.db, {
    core: standinCore(throwaway.db),
    date: `${month}-01`,
    now: new Date(`${month}-01T02:00:00Z`),
  });
}

async function holding(affiliate: number): Promise<{ pending: string; available: string; paidOut: string }> {
  const [usd] = await balancesOf(throwaway.db, affiliate);
  return {
    pending: toMajorString(usd?.pending ?? parseMoney('0', 'USD')),
    available: toMajorString(usd?.available ?? parseMoney('0', 'USD')),
    paidOut: toMajorString(usd?.paidOut ?? parseMoney('0', 'USD')),
  };
}

describe('commission delay', () => {
  afterEach(async () => {
    await world.settings({ commissionDelayDays: 0, autoApply: true, minWithdrawalMinor: 0n });
  });

  it('keeps a reward pending for the delay after the referred invoice was paid, then pays it', async () => {
    await world.settings({ commissionDelayDays: 20 });
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'fixed_after_invoice', amount: '20', currency: 'USD' });
    const { account } = await world.referral(partner, '2026-10-01T00:00:00Z');
    await world.payment(account, '10.00', '2026-10-20 15:00:00'); // available from 2026-11-09

    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: new Date('2026-11-08T23:00:00Z'),
    });
    expect(await holding(partner.id)).toEqual({ pending: '20.00', available: '0.00', paidOut: '0.00' });
    expect(await world.rewardPayments(partner.account)).toEqual([]);

    // A late re-run of the same month, once the delay has passed, clears and pays it.
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: new Date('2026-11-09T00:00:00Z'),
    });
    expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '0.00', paidOut: '20.00' });
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
  });

  it('a reward on expenses waits for the delay after the month it was earned in', async () => {
    await world.settings({ commissionDelayDays: 10 });
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-12-01T00:00:00Z');
    await world.expense(account, '100.00', '2026-12-10 00:00:00');
    await runOn('2027-01');
    expect(await holding(partner.id)).toMatchObject({ pending: '10.00', available: '0.00' });
    await runOn('2027-02');
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);
  });
});

describe('withdrawals from the holding area', () => {
  afterEach(async () => {
    await world.settings({ autoApply: true, minWithdrawalMinor: 0n, supportDepartment: null });
  });

  it('keeps credit available without automatic payment, and pays out at least the minimum on request', async () => {
    await world.settings({ autoApply: false, minWithdrawalMinor: 5000n, supportDepartment: 3 });
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2027-02-01T00:00:00Z');
    await world.expense(account, '300.00', '2027-02-10 00:00:00');
    await runOn('2027-03');
    expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '30.00', paidOut: '0.00' });
    expect(await world.rewardPayments(partner.account)).toEqual([]);

    await expect(
      requestWithdrawal(throwaway.db, partner.id, parseMoney('30', 'USD'), new Date('2027-03-05T00:00:00Z')),
    ).rejects.toThrow(/below the minimum/);
    await world.expense(account, '400.00', '2027-03-10 00:00:00');
    await runOn('2027-04');
    expect((await holding(partner.id)).available).toBe('70.00');
    const now = new Date('2027-04-05T00:00:00Z');
    await expect(
      requestWithdrawal(throwaway.db, partner.id, parseMoney('70.01', 'USD'), now),
    ).rejects.toThrow(/more than the available/);

    const request = await requestWithdrawal(throwaway.db, partner.id, parseMoney('60', 'USD'), now);
    expect(request).toMatchObject({ status: 'requested', department: 3 });
    expect(await holding(partner.id)).toMatchObject({ available: '10.00', paidOut: '60.00' });

    await decideWithdrawal(throwaway.db, request.id, 'rejected', now, 'bank details missing');
    expect(await holding(partner.id)).toMatchObject({ available: '70.00', paidOut: '0.00' });
    await expect(decideWithdrawal(throwaway.db, request.id, 'paid', now)).rejects.toThrow(/already rejected/);

    const second = await requestWithdrawal(throwaway.db, partner.id, parseMoney('70', 'USD'), now);
    await decideWithdrawal(throwaway.db, second.id, 'paid', now);
    expect(await holding(partner.id)).toMatchObject({ available: '0.00', paidOut: '70.00' });
    expect((await listWithdrawals(throwaway.db, { affiliate: partner.id })).map((w) => w.status)).toEqual([
      'rejected',
      'paid',
    ]);
  });

  it('a request dated before the last clearing does not move cleared credit back to pending', async () => {
    await world.settings({ autoApply: false });
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2027-02-01T00:00:00Z');
    await world.expense(account, '300.00', '2027-02-10 00:00:00');
    await runOn('2027-03'); // cleared against 2027-03-01
    await requestWithdrawal(
      throwaway.db,
      partner.id,
      parseMoney('30', 'USD'),
      new Date('2027-02-20T00:00:00Z'),
    );
    expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '0.00', paidOut: '30.00' });
    expect((await world.ledger(partner.id)).filter((e) => e.kind === 'cleared')).toHaveLength(1);
  });

  it('an admin applies available credit to the balance by hand', async () => {
    await world.settings({ autoApply: false });
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2027-04-01T00:00:00Z');
    await world.expense(account, '55.55', '2027-04-10 00:00:00');
    await runOn('2027-05');
    const applied = await applyNow(
      throwaway.db,
      partner.id,
      new Date('2027-05-02T00:00:00Z'),
      standinCore(throwaway.db),
    );
    expect(applied.map(toMajorString)).toEqual(['5.56']);
    expect(
      await applyNow(throwaway.db, partner.id, new Date('2027-05-03T00:00:00Z'), standinCore(throwaway.db)),
    ).toEqual([]);
    expect(await world.rewardPayments(partner.account)).toEqual(['5.56']);
    expect(await world.balance(partner.account)).toBe('5.56');
  });
});

describe('clawback: a refunded or cancelled referred payment reverses its commission', () => {
  it('takes back a one-time reward even after it cleared and was paid, from later earnings', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'fixed_after_invoice', amount: '20', currency: 'USD' });
    const first = await world.referral(partner, '2027-06-01T00:00:00Z');
    const paid = await world.payment(first.account, '50.00', '2027-06-02 00:00:00');
    await runOn('2027-07');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);

    await world.setPaymentStatus(paid, 6); // refunded
    await runOn('2027-08');
    await runOn('2027-08'); // the reversal is keyed: once
    expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '-20.00', paidOut: '20.00' });
    const reversed = (await world.ledger(partner.id)).filter((e) => e.kind === 'reversed');
    expect(reversed).toEqual([
      { kind: 'reversed', rule: 'fixed_after_invoice', amount: '-20.00', period: 'once' },
    ]);

    // The next referral's $20 pays the debt: nothing is paid out, and nothing is owed.
    const second = await world.referral(partner, '2027-08-01T00:00:00Z');
    await world.payment(second.account, '50.00', '2027-08-03 00:00:00');
    await runOn('2027-09');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
    expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '0.00', paidOut: '20.00' });
  });

  it('a cancellation while the reward is still pending cancels it before it is ever paid', async () => {
    await world.settings({ commissionDelayDays: 30 });
    try {
      const program = await world.program();
      const partner = await world.partner(program);
      await world.override(partner, { kind: 'free_month_own_plan' });
      await world.service(partner.account, '25');
      const { account } = await world.referral(partner, '2027-10-01T00:00:00Z');
      const paid = await world.payment(account, '50.00', '2027-10-20 00:00:00');
      await runOn('2027-11');
      expect(await holding(partner.id)).toMatchObject({ pending: '25.00' });
      await world.setPaymentStatus(paid, 5); // cancelled
      await runOn('2027-12');
      expect(await holding(partner.id)).toEqual({ pending: '0.00', available: '0.00', paidOut: '0.00' });
      await runOn('2028-01');
      expect(await world.rewardPayments(partner.account)).toEqual([]);
    } finally {
      await world.settings({ commissionDelayDays: 0 });
    }
  });

  it('a percent of expenses loses that percent of the refunded payment, at most of what the referral was charged', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2028-01-01T00:00:00Z');
    await world.expense(account, '80.00', '2028-01-10 00:00:00');
    const paid = await world.payment(account, '100.00', '2028-01-11 00:00:00'); // 20.00 more than was charged
    await runOn('2028-02');
    expect(await world.rewardPayments(partner.account)).toEqual(['8.00']);
    await world.setPaymentStatus(paid, 6);
    await runOn('2028-03');
    expect(await holding(partner.id)).toMatchObject({ available: '-8.00' });
  });

  it('a month of net refunds (negative expenses) gives a negative commission', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2028-03-01T00:00:00Z');
    await world.expense(account, '50.00', '2028-03-10 00:00:00');
    await world.expense(account, '-30.00', '2028-04-10 00:00:00');
    await runOn('2028-04');
    await runOn('2028-05');
    expect(await world.ledger(partner.id)).toEqual(
      expect.arrayContaining([
        { kind: 'reversed', rule: 'percent_of_expenses', amount: '-3.00', period: '2028-04' },
      ]),
    );
    expect(await holding(partner.id)).toMatchObject({ available: '-3.00', paidOut: '5.00' });
  });
});

describe('signup bonus', () => {
  it('credits the settings bonus once when an account becomes a partner', async () => {
    await world.settings({ signupBonusMinor: 500n });
    try {
      const program = await world.program();
      const partner = await world.partner(program);
      expect(await world.ledger(partner.id)).toEqual([
        { kind: 'earned', rule: 'signup_bonus', amount: '5.00', period: 'once' },
      ]);
      await runOn('2028-06');
      expect(await world.rewardPayments(partner.account)).toEqual(['5.00']);
    } finally {
      await world.settings({ signupBonusMinor: 0n });
    }
  });
});
