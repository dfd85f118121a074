/**
 * The admin's loop of the affiliates on MariaDB (issue 13 item 6), with worked numbers: template collisions
 * refused when saved, manual adjustments, withdrawals with a payout reference, unassigning a referral, the
 * partner overview and one partner's commissions with their sources.
 */
import { adjustCredit } from '../../../src/affiliate/adjustments';
import { assignReferral, bindByPromoCode, unassignReferral } from '../../../src/affiliate/attribution';
import { balancesOf, decideWithdrawal, requestWithdrawal } from '../../../src/affiliate/holding';
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { addPartner, createProgram, updateProgram } from '../../../src/affiliate/programs';
import { partnerCommissions, partnerOverview, referralLog } from '../../../src/affiliate/reports';
import { T } from '../../../src/db/affiliate/tables';
import { ConflictError, NotFoundError, ValidationError } from '../../../src/domain/errors';
import { parseMoney, toMajorString } from '../../../src/domain/money';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { standinCore } from '../../support/core';
import { AffiliateWorld } from './world';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
  await world.currency('USD');
});
afterAll(async () => {
  await throwaway.drop();
});

const NOW = new Date('2026-06-01T00:00:00Z');
const usd = (amount: string) => parseMoney(amount, 'USD');

async function balance(affiliate: number) {
  const [b] = await balancesOf(throwaway.db, affiliate);
  return b
    ? {
        pending: toMajorString(b.pending),
        available: toMajorString(b.available),
        paidOut: toMajorString(b.paidOut),
      }
    : undefined;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

const program = (template: string) => ({
  name: `Program ${template}`,
  promocodeTemplate: template,
  rewardPercent: '10',
  websiteUrl: 'https://provider.example/',
});

describe('promo-code templates that could make the same code', () => {
  it('refuses Q1@ID@ next to Q@ID@, naming the program and an id pair; stores nothing', async () => {
    const q = await createProgram(throwaway.db, program('Q@ID@'), NOW);
    const before = await world.count(T.program);
    const err = await caught(createProgram(throwaway.db, program('Q1@ID@'), NOW));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([
      `promo code template Q1@ID@ can make the same code as program ${q.id} ('Program Q@ID@', template Q@ID@): ` +
        'partner 1 here and partner 11 there would both get Q11',
    ]);
    expect(await world.count(T.program)).toBe(before);
    // The same template twice is no collision (a partner id is never in two programs); an edit is checked too.
    const other = await createProgram(throwaway.db, program('Q@ID@'), NOW);
    await expect(updateProgram(throwaway.db, other.id, { promocodeTemplate: 'q1@ID@' })).rejects.toThrow(
      /can make the same code as program .* would both get Q11/,
    );
    await expect(updateProgram(throwaway.db, other.id, { name: 'Renamed' })).resolves.toMatchObject({
      name: 'Renamed',
    });
  });

  it('refuses a template that would give a future partner a code a partner holds already', async () => {
    const holder = await createProgram(throwaway.db, program('KEEP@ID@'), NOW);
    const account = await world.account();
    const [id] = await throwaway.db(T.affiliate).insert({
      program: holder.id,
      account,
      promocode: 'W5',
      active: 1,
      created_at: '2026-01-01 00:00:00',
    });
    await expect(createProgram(throwaway.db, program('W@ID@'), NOW)).rejects.toThrow(
      `promo code template W@ID@ would give partner 5 the code W5, which partner ${id} (program ${holder.id}) holds`,
    );
  });

  it('a collision that still happens on partner add is a ConflictError with a message, not a raw SQL error', async () => {
    const prog = await createProgram(throwaway.db, program('ZZ@ID@'), NOW);
    const max = (await throwaway.db(T.affiliate).max({ id: 'id' }).first()) as { id: number };
    const next = Number(max.id) + 2;
    // A code the template could not have known of: written by hand after the template was saved.
    await throwaway.db(T.affiliate).insert({
      id: next - 1,
      program: prog.id,
      account: await world.account(),
      promocode: `ZZ${next}`,
      active: 1,
      created_at: '2026-01-01 00:00:00',
    });
    const err = await caught(addPartner(throwaway.db, prog.id, await world.account(), NOW));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toBe(
      `partner ${next} of program ${prog.id} would get promo code ZZ${next}, which partner ${next - 1} holds: ` +
        `change program ${prog.id}'s template (ZZ@ID@) and add it again`,
    );
  });

  it('names unknown ids', async () => {
    await expect(addPartner(throwaway.db, 999999, 1, NOW)).rejects.toThrow(
      new NotFoundError('program', 'there is no affiliate program 999999'),
    );
  });
});

describe('manual adjustments', () => {
  it('adds and takes credit with a reason, as ledger entries; the available balance follows at once', async () => {
    const partner = await world.partner(await world.program());
    const plus = await adjustCredit(throwaway.db, {
      affiliate: partner.id,
      amount: usd('12.50'),
      reason: 'goodwill for the outage',
      by: 'alice',
      now: NOW,
    });
    expect(await balance(partner.id)).toEqual({ pending: '0.00', available: '12.50', paidOut: '0.00' });
    await adjustCredit(throwaway.db, {
      affiliate: partner.id,
      amount: usd('-2.50'),
      reason: `corrects adjustment ${plus.id}`,
      by: 'alice',
      now: NOW,
    });
    expect(await balance(partner.id)).toEqual({ pending: '0.00', available: '10.00', paidOut: '0.00' });
    expect(await world.ledger(partner.id)).toEqual([
      { kind: 'earned', rule: 'adjustment', amount: '12.50', period: 'once' },
      { kind: 'cleared', rule: 'clearing', amount: '12.50', period: 'once' },
      { kind: 'reversed', rule: 'adjustment', amount: '-2.50', period: 'once' },
      { kind: 'cleared', rule: 'clearing', amount: '-2.50', period: 'once' },
    ]);
    // Available means available: a withdrawal of all 10.00 is allowed, 10.01 is not.
    await expect(requestWithdrawal(throwaway.db, partner.id, usd('10.01'), NOW)).rejects.toThrow(
      /more than the available credit/,
    );
    await requestWithdrawal(throwaway.db, partner.id, usd('10.00'), NOW);
    expect(await balance(partner.id)).toEqual({ pending: '0.00', available: '0.00', paidOut: '10.00' });
  });

  it('refuses an adjustment of 0 without a reason naming both problems, and an unknown partner by id', async () => {
    const partner = await world.partner(await world.program());
    const err = await caught(
      adjustCredit(throwaway.db, { affiliate: partner.id, amount: usd('0'), reason: ' ', by: 'a', now: NOW }),
    );
    expect((err as ValidationError).problems).toEqual([
      'an adjustment must be of an amount other than 0',
      'an adjustment needs a reason',
    ]);
    await expect(
      adjustCredit(throwaway.db, { affiliate: 987654, amount: usd('1'), reason: 'x', by: 'a', now: NOW }),
    ).rejects.toThrow(new NotFoundError('partner', 'there is no partner 987654'));
    await expect(
      adjustCredit(throwaway.db, {
        affiliate: partner.id,
        amount: parseMoney('1', 'XYZ'),
        reason: 'x',
        by: 'a',
        now: NOW,
      }),
    ).rejects.toThrow(/the host has no currency XYZ/);
    expect(await world.ledger(partner.id)).toEqual([]);
  });
});

describe('withdrawals with a payout reference', () => {
  it('is marked paid with its reference, or rejected with the credit back by a new entry', async () => {
    const partner = await world.partner(await world.program());
    await adjustCredit(throwaway.db, {
      affiliate: partner.id,
      amount: usd('30'),
      reason: 'seed',
      by: 'a',
      now: NOW,
    });
    const first = await requestWithdrawal(throwaway.db, partner.id, usd('20'), NOW);
    await expect(decideWithdrawal(throwaway.db, first.id, 'paid', NOW)).rejects.toThrow(
      /a paid withdrawal needs its payout reference/,
    );
    const paid = await decideWithdrawal(throwaway.db, first.id, 'paid', NOW, undefined, 'SEPA 2026-06-0042');
    expect(paid).toMatchObject({ status: 'paid', payoutReference: 'SEPA 2026-06-0042' });
    expect(await balance(partner.id)).toEqual({ pending: '0.00', available: '10.00', paidOut: '20.00' });

    const second = await requestWithdrawal(throwaway.db, partner.id, usd('10'), NOW);
    expect(await balance(partner.id)).toMatchObject({ available: '0.00', paidOut: '30.00' });
    const rejected = await decideWithdrawal(throwaway.db, second.id, 'rejected', NOW, 'no bank details');
    expect(rejected).toMatchObject({ status: 'rejected', payoutReference: null, note: 'no bank details' });
    expect(await balance(partner.id)).toEqual({ pending: '0.00', available: '10.00', paidOut: '20.00' });
    expect((await world.ledger(partner.id)).filter((e) => e.kind === 'withdrawn')).toEqual([
      { kind: 'withdrawn', rule: 'withdrawal', amount: '-20.00', period: 'once' },
      { kind: 'withdrawn', rule: 'withdrawal', amount: '-10.00', period: 'once' },
      { kind: 'withdrawn', rule: 'withdrawal_rejected', amount: '10.00', period: 'once' },
    ]);
    await expect(decideWithdrawal(throwaway.db, second.id, 'rejected', NOW)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(decideWithdrawal(throwaway.db, 424242, 'rejected', NOW)).rejects.toThrow(
      'there is no withdrawal 424242',
    );
  });
});

describe('unassigning a referral', () => {
  it('stops earning from then on, keeps what was earned, and binds again only by hand under the rules', async () => {
    const prog = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(prog);
    const { account } = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.expense(account, '100.00', '2026-10-05 00:00:00');
    await world.expense(account, '50.00', '2026-10-25 00:00:00');

    const out = await unassignReferral(throwaway.db, {
      account,
      by: 'alice',
      now: new Date('2026-10-20T00:00:00Z'),
    });
    expect(out).toMatchObject({ affiliate: partner.id, changed: true, unassignedAt: '2026-10-20 00:00:00' });
    const again = await unassignReferral(throwaway.db, {
      account,
      by: 'bob',
      now: new Date('2026-10-21T00:00:00Z'),
    });
    expect(again).toMatchObject({
      changed: false,
      unassignedAt: '2026-10-20 00:00:00',
      unassignedBy: 'alice',
    });

    // 10 % of the 100.00 charged before the unassignment; the 50.00 after it earns nothing.
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: new Date('2026-11-01T03:00:00Z'),
    });
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);
    await world.expense(account, '70.00', '2026-11-10 00:00:00');
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-12-01',
      now: new Date('2026-12-01T03:00:00Z'),
    });
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);
    const log = await referralLog(throwaway.db, partner.account);
    expect(log.partners[0]!.referrals[0]).toMatchObject({ account, unassignedAt: '2026-10-20 00:00:00' });

    // A promo code binds on first use only: not now. An admin's assign may, under the binding rules.
    const other = await world.partner(prog);
    expect(
      await bindByPromoCode(throwaway.db, {
        account,
        code: other.promocode,
        now: new Date('2026-12-02T00:00:00Z'),
      }),
    ).toMatchObject({ bound: false, reason: 'already_referred' });
    expect(
      await assignReferral(throwaway.db, {
        account,
        affiliate: other.id,
        assignedBy: 'alice',
        now: new Date('2026-12-02T00:00:00Z'),
      }),
    ).toMatchObject({ bound: true, affiliate: other.id });
    await world.expense(account, '40.00', '2026-12-10 00:00:00');
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2027-01-01',
      now: new Date('2027-01-01T03:00:00Z'),
    });
    expect(await world.rewardPayments(other.account)).toEqual(['4.00']);
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);

    await expect(unassignReferral(throwaway.db, { account: 876543, by: 'a', now: NOW })).rejects.toThrow(
      "account 876543 is no partner's referral",
    );
  });

  it('a self-referral stays refused after an unassignment', async () => {
    const partner = await world.partner(await world.program(), { email: 'same@example.com' });
    const { account } = await world.referral(partner);
    await unassignReferral(throwaway.db, { account, by: 'a', now: NOW });
    const twin = await world.partner(await world.program(), { email: 'twin@example.com' });
    await throwaway.db('account').where({ id: account }).update({ email: 'twin@example.com' });
    expect(
      await assignReferral(throwaway.db, { account, affiliate: twin.id, assignedBy: 'a', now: NOW }),
    ).toMatchObject({ bound: false, reason: 'same_email' });
  });
});

describe('the partner overview and the commissions with their sources', () => {
  it('counts visits, hits, signups and active referrals, with the holding area', async () => {
    const prog = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(prog);
    const visit = (visitor: string, day: string, hits: number) => ({
      affiliate: partner.id,
      visitor,
      visited_at: `${day} 10:00:00`,
      visit_day: day,
      hits,
    });
    await throwaway
      .db(T.visit)
      .insert([visit('aaa', '2026-10-01', 3), visit('aaa', '2026-10-02', 1), visit('bbb', '2026-10-01', 2)]);
    const active = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.service(active.account, '10.00');
    const suspended = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.service(suspended.account, '10.00', { status: 3 });
    const gone = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.service(gone.account, '10.00');
    await unassignReferral(throwaway.db, {
      account: gone.account,
      by: 'a',
      now: new Date('2026-10-10T00:00:00Z'),
    });
    await world.expense(active.account, '100.0000', '2026-10-03 00:00:00');
    await world.expense(active.account, '23.4567', '2026-10-30 00:00:00');
    await world.expense(suspended.account, '20.0000', '2026-10-03 00:00:00');
    await world.expense(gone.account, '5.0000', '2026-10-05 00:00:00');
    await world.expense(gone.account, '500.0000', '2026-10-15 00:00:00'); // after the unassignment
    await world.settings({ autoApply: false });
    try {
      const run = await runAffiliateMonthly(throwaway.db, {
        core: standinCore(throwaway.db),
        date: '2026-11-01',
        now: new Date('2026-11-01T03:00:00Z'),
      });
      await adjustCredit(throwaway.db, {
        affiliate: partner.id,
        amount: usd('-1.00'),
        reason: 'fee',
        by: 'a',
        now: new Date('2026-11-02T00:00:00Z'),
      });

      const [overview] = await partnerOverview(throwaway.db, {
        affiliate: partner.id,
        now: new Date('2026-11-05T00:00:00Z'),
      });
      // 10 % of 100.0000 + 23.4567 + 20.0000 + 5.0000 = 14.84567 -> 14.85; less the 1.00 fee.
      expect(overview).toEqual({
        affiliate: partner.id,
        account: partner.account,
        program: prog.id,
        promocode: partner.promocode,
        active: true,
        visits: 3,
        hits: 6,
        signups: 3,
        activeReferrals: 1,
        balances: [{ currency: 'USD', pending: usd('0'), available: usd('13.85'), paidOut: usd('0') }],
      });
      const all = await partnerOverview(throwaway.db, { now: NOW });
      expect(all.find((o) => o.affiliate === partner.id)).toMatchObject({ visits: 3, hits: 6 });

      const commissions = await partnerCommissions(throwaway.db, { affiliate: partner.id });
      expect(commissions).toEqual([
        expect.objectContaining({
          kind: 'earned',
          rule: 'percent_of_expenses',
          ruleRef: `program:${prog.id}`,
          period: '2026-10',
          amount: usd('14.85'),
          run: expect.any(Number),
          source: {
            kind: 'expenses',
            id: partner.id,
            referral: null,
            referredAccount: null,
            payment: null,
            charges: [
              { referral: active.referral, account: active.account, currency: 'USD', charged: '123.4567' },
              {
                referral: suspended.referral,
                account: suspended.account,
                currency: 'USD',
                charged: '20.0000',
              },
              { referral: gone.referral, account: gone.account, currency: 'USD', charged: '5.0000' },
            ],
          },
        }),
        expect.objectContaining({
          kind: 'reversed',
          rule: 'adjustment',
          amount: usd('-1.00'),
          run: null,
          source: expect.objectContaining({ kind: 'adjustment' }),
        }),
      ]);
      expect(commissions[0]!.run).toBe(run.run);
      expect(await partnerCommissions(throwaway.db, { affiliate: partner.id, period: '2026-09' })).toEqual(
        [],
      );
      await expect(partnerOverview(throwaway.db, { affiliate: 765432, now: NOW })).rejects.toThrow(
        'there is no partner 765432',
      );
    } finally {
      await world.settings({ autoApply: true });
    }
  });
});
