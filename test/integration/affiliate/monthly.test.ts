/** affiliatemonthly on MariaDB: seed 000's percent of referral expenses, paid as a payment on the partner's account. */
import knex from 'knex';
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { T } from '../../../src/db/affiliate/tables';
import { knexConfigFromUrl } from '../../../src/db/connect';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';
import { standinCore } from '../../support/core';
import { enqueueDebit } from '../../../src/db/host-credit';
import { payPendingCredits } from '../../../src/host/credit';
import type { Mgrctl } from '../../../src/contract/mgrctl';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

const NOV_1 = new Date('2026-11-01T03:00:00Z');

describe('the monthly run pays a percent of the referrals expenses of the previous month', () => {
  it('pays 10% of October, rounded once to the cent, as a paid payment on the partner account', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.expense(account, '100.0000', '2026-10-01 00:00:00'); // first moment of October: counted
    await world.expense(account, '23.4567', '2026-10-31 23:59:59'); // last moment: counted
    await world.expense(account, '50.0000', '2026-09-30 23:59:59'); // September: not this run
    await world.expense(account, '70.0000', '2026-11-01 00:00:00'); // November: not this run

    const summary = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db, () => NOV_1),
      date: '2026-11-01',
      now: NOV_1,
    });

    // 10% of 123.4567 = 12.34567 -> 12.35
    expect(summary).toMatchObject({ period: '2026-10', earned: { USD: '12.35' }, applied: { USD: '12.35' } });
    expect(await world.rewardPayments(partner.account)).toEqual(['12.35']);
    expect(await world.balance(partner.account)).toBe('12.35');
    expect(await world.ledger(partner.id)).toEqual([
      { kind: 'earned', rule: 'percent_of_expenses', amount: '12.35', period: '2026-10' },
      { kind: 'cleared', rule: 'clearing', amount: '12.35', period: '2026-10' },
      { kind: 'applied', rule: 'apply', amount: '-12.35', period: '2026-10' },
    ]);
    const payment = await throwaway
      .db('payment')
      .where({ account: partner.account })
      .whereIn('id', throwaway.db('bmp_host_credit').select('payment'))
      .first();
    expect(payment).toMatchObject({ status: 4, paydate: '2026-11-01 03:00:00' });
    expect(payment.info).toMatch(/^Affiliate reward 2026-10, ledger #\d+$/);

    // Re-running the month, on the same day or later in November, pays nothing more.
    const again = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-17',
      now: new Date('2026-11-17T10:00:00Z'),
    });
    expect(again).toMatchObject({ period: '2026-10', earned: {}, applied: {}, payments: 0 });
    expect(await world.rewardPayments(partner.account)).toEqual(['12.35']);
    expect(await world.balance(partner.account)).toBe('12.35');
    expect(await world.ledger(partner.id)).toHaveLength(3);

    // --date 2026-10-01 pays for September: the expense of September 30.
    const september = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-10-01',
      now: NOV_1,
    });
    expect(september).toMatchObject({ period: '2026-09', earned: { USD: '5.00' } });
    expect(await world.rewardPayments(partner.account)).toEqual(['12.35', '5.00']);
  });

  it.each([
    ['recorded', false],
    ['not recorded yet: the core booked it and its answer was lost', true],
  ])(
    'earns nothing on funds the plugin took back from a referral through the core (an expense of its own, %s)',
    async (_, answerLost) => {
      const program = await world.program({ rewardPercent: '10' });
      const partner = await world.partner(program);
      const { account } = await world.referral(partner, '2030-09-01T00:00:00Z');
      await world.expense(account, '100.0000', '2030-10-10 00:00:00');
      // Unspent certificate funds taken back on October 20: the core books 50.00 as an expense of the referral.
      const takenAt = new Date('2030-10-20T12:00:00Z');
      await enqueueDebit(throwaway.db, {
        credit_key: `test:take-back:${answerLost}`,
        account,
        project: 1,
        amount_minor: '5000',
        currency: 'USD',
        info: 'Certificate funds expired: 50.00 USD unspent',
        created_at: '2030-10-20 12:00:00',
      });
      const { mgrctl } = standinCore(throwaway.db, () => takenAt);
      const losing: Mgrctl = {
        ...mgrctl,
        call: async (func, params) => {
          await mgrctl.call(func, params);
          throw new Error('mgrctl timed out');
        },
      };
      const debits = await payPendingCredits(throwaway.db, answerLost ? losing : mgrctl, {
        concurrency: 1,
        now: () => takenAt,
      });
      expect(debits).toMatchObject({ debited: answerLost ? 0 : 1, waiting: answerLost ? 1 : 0 });
      expect(await throwaway.db('expense').where({ account }).orderBy('id').pluck('amount')).toEqual([
        '100.0000',
        '50.0000',
      ]);

      const summary = await runAffiliateMonthly(throwaway.db, {
        core: standinCore(throwaway.db),
        date: '2030-11-01',
        now: new Date('2030-11-01T03:00:00Z'),
      });
      // 10 % of the 100.00 the referral was charged; the 50.00 taken back is no charge.
      expect(summary).toMatchObject({ period: '2030-10', earned: { USD: '10.00' } });
      expect(await world.rewardPayments(partner.account)).toEqual(['10.00']);
    },
  );

  it('an account that is a partner of two programs gets each reward once on its balance, one partner a page', async () => {
    const account = await world.account();
    const inFirst = await world.partner(await world.program({ rewardPercent: '10' }), account);
    const inSecond = await world.partner(await world.program({ rewardPercent: '20' }), account);
    for (const partner of [inFirst, inSecond]) {
      const referred = await world.referral(partner, '2029-02-01T00:00:00Z');
      await world.expense(referred.account, '100.00', '2029-03-10 00:00:00');
    }

    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2029-04-01',
      now: new Date('2029-04-01T03:00:00Z'),
      pageSize: 1,
    });

    // Two pages are paid at once, so the two partners' payments may come in either order.
    expect((await world.rewardPayments(account)).sort()).toEqual(['10.00', '20.00']);
    expect(await world.balance(account)).toBe('30.00');
  });

  it('counts only expenses inside the referral period: from binding (included) to N months later (excluded)', async () => {
    const program = await world.program({ rewardPercent: '20', referralMonths: 1 });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-09-15T12:00:00Z'); // period ends 2026-10-15 12:00:00
    await world.expense(account, '10.00', '2026-10-15 11:59:59');
    await world.expense(account, '40.00', '2026-10-15 12:00:00');
    const before = await world.referral(partner, '2026-10-20T00:00:00Z');
    await world.expense(before.account, '25.00', '2026-10-19 23:59:59'); // before its binding
    await world.expense(before.account, '5.00', '2026-10-20 00:00:00');

    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: NOV_1,
    });

    // 20% of (10.00 + 5.00)
    expect(await world.rewardPayments(partner.account)).toEqual(['3.00']);
  });

  it('a dry run shows what would be paid and writes nothing', async () => {
    const program = await world.program({ rewardPercent: '50' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2026-09-15T00:00:00Z');
    await world.expense(account, '30.00', '2026-10-05 00:00:00');
    const tables = [T.ledger, T.run, 'payment', T.refusal];
    const before = await Promise.all(tables.map((t) => world.count(t)));
    const balance = await world.balance(partner.account);

    const dry = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: NOV_1,
      dryRun: true,
    });

    expect(dry.dryRun).toBe(true);
    expect(dry.earned.USD).toBeDefined();
    expect(Number(dry.applied.USD)).toBeGreaterThanOrEqual(15);
    expect(await Promise.all(tables.map((t) => world.count(t)))).toEqual(before);
    expect(await world.balance(partner.account)).toBe(balance);

    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: NOV_1,
    });
    expect(await world.rewardPayments(partner.account)).toEqual(['15.00']);
  });

  it('two runs at once pay each partner once', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partners = [];
    for (let i = 0; i < 5; i++) {
      const partner = await world.partner(program);
      for (let j = 0; j < 3; j++) {
        const { account } = await world.referral(partner, '2026-11-02T00:00:00Z');
        await world.expense(account, `${10 + i}.00`, '2026-12-03 00:00:00');
      }
      partners.push(partner);
    }
    const first = knex(knexConfigFromUrl(throwaway.url));
    const second = knex(knexConfigFromUrl(throwaway.url));
    try {
      const dec1 = new Date('2027-01-01T00:00:00Z');
      const [a, b] = await Promise.all([
        runAffiliateMonthly(first, { core: standinCore(first), date: '2027-01-01', now: dec1, pageSize: 2 }),
        runAffiliateMonthly(second, {
          core: standinCore(second),
          date: '2027-01-01',
          now: dec1,
          pageSize: 2,
        }),
      ]);
      expect(a.payments + b.payments).toBe(partners.length);
    } finally {
      await first.destroy();
      await second.destroy();
    }
    for (const [i, partner] of partners.entries()) {
      // 10% of 3 x (10 + i)
      expect(await world.rewardPayments(partner.account)).toEqual([(3 * (10 + i) * 0.1).toFixed(2)]);
      expect((await world.ledger(partner.id)).filter((e) => e.kind === 'earned')).toHaveLength(1);
    }
  });
});

describe('pages paid at once', () => {
  it('three pages at once pay every partner once, what a dry run (one page after another) shows', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partners = [];
    for (let i = 0; i < 9; i++) {
      const partner = await world.partner(program);
      const { account } = await world.referral(partner, '2031-01-01T00:00:00Z');
      await world.expense(account, `${20 + i}.15`, '2031-02-10 00:00:00');
      partners.push(partner);
    }
    const options = { date: '2031-03-01', now: new Date('2031-03-01T03:00:00Z'), pageSize: 2 };
    const dry = await runAffiliateMonthly(throwaway.db, { ...options, dryRun: true });
    const paid = await runAffiliateMonthly(throwaway.db, {
      ...options,
      core: standinCore(throwaway.db),
      pageConcurrency: 3,
    });
    expect(paid).toMatchObject({ earned: dry.earned, applied: dry.applied, payments: 9, failedPartners: [] });
    expect(dry.earned).toEqual({ USD: '21.78' }); // 10 % of 20.15 ... 28.15, each rounded half up: 2.02 ... 2.82
    for (const [i, partner] of partners.entries())
      expect(await world.rewardPayments(partner.account)).toEqual([
        `2.${String(2 + i * 10).padStart(2, '0')}`,
      ]);
  });
});

describe('who may earn', () => {
  it('a partner in the forbidden group, or outside the client group, earns nothing; the others do', async () => {
    const members = await world.group('Partners');
    const banned = await world.group('Banned');
    const program = await world.program({
      rewardPercent: '10',
      clientGroup: members,
      forbiddenGroup: banned,
    });
    const good = await world.account();
    await world.join(good, members);
    const goodPartner = await world.partner(program, good);
    const bad = await world.account();
    await world.join(bad, members);
    const badPartner = await world.partner(program, bad);
    await world.join(bad, banned); // joined the forbidden group after becoming a partner
    const leaver = await world.account();
    await world.join(leaver, members);
    const leaverPartner = await world.partner(program, leaver);
    await throwaway.db('account2group').where({ account: leaver }).delete(); // left the client group
    for (const partner of [goodPartner, badPartner, leaverPartner]) {
      const { account } = await world.referral(partner, '2027-01-10T00:00:00Z');
      await world.expense(account, '100.00', '2027-02-10 00:00:00');
    }

    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2027-03-01',
      now: new Date('2027-03-01T00:00:00Z'),
    });

    expect(await world.rewardPayments(good)).toEqual(['10.00']);
    expect(await world.rewardPayments(bad)).toEqual([]);
    expect(await world.rewardPayments(leaver)).toEqual([]);
  });

  it('refuses to make a partner of an account in the forbidden group', async () => {
    const banned = await world.group('Banned again');
    const program = await world.program({ forbiddenGroup: banned });
    const account = await world.account();
    await world.join(account, banned);
    await expect(world.partner(program, account)).rejects.toThrow(/forbidden group/);
  });

  it('a referral that pays with the partner payment identity is refused, reported, and earns nothing', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    await world.payment(partner.account, '10.00', '2026-05-01 00:00:00', { payer: 'card:4242-XYZ' });
    const honest = await world.referral(partner, '2027-03-10T00:00:00Z');
    const sock = await world.referral(partner, '2027-03-10T00:00:00Z');
    await world.payment(sock.account, '50.00', '2027-04-02 00:00:00', { payer: ' CARD:4242-xyz' });
    await world.expense(honest.account, '40.00', '2027-04-05 00:00:00');
    await world.expense(sock.account, '50.00', '2027-04-05 00:00:00');

    const summary = await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2027-05-01',
      now: new Date('2027-05-01T00:00:00Z'),
    });

    expect(summary.refusedReferrals).toEqual([
      { referral: sock.referral, affiliate: partner.id, account: sock.account, reason: 'same_payer' },
    ]);
    expect(await world.rewardPayments(partner.account)).toEqual(['4.00']);
    const referral = await throwaway.db(T.referral).where({ id: sock.referral }).first();
    expect(referral).toMatchObject({ status: 'refused', status_reason: 'same_payer' });
    const report = await throwaway.db(T.refusal).where({ account: sock.account }).first();
    expect(report).toMatchObject({ affiliate: partner.id, source: 'run', reason: 'same_payer' });
  });

  it('does nothing while the program is disabled in the settings', async () => {
    await world.settings({ enabled: false });
    try {
      const summary = await runAffiliateMonthly(throwaway.db, {
        core: standinCore(throwaway.db),
        date: '2026-11-01',
        now: NOV_1,
      });
      expect(summary).toMatchObject({ enabled: false, partners: 0, payments: 0 });
    } finally {
      await world.settings({ enabled: true });
    }
  });
});
