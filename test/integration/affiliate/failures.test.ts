/**
 * One partner's failure does not stop the run (issue 13 item 4), and every run's record says what became of it
 * (item 5), on MariaDB.
 */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { runHistory } from '../../../src/affiliate/runs';
import { T } from '../../../src/db/affiliate/tables';
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

function runOn(month: string, pageSize?: number) {
  const now = new Date(`${month}-01T03:00:00Z`);
  return runAffiliateMonthly(throwaway.db, {
    core: standinCore(throwaway.db, () => now),
    date: `${month}-01`,
    now,
    ...(pageSize !== undefined ? { pageSize } : {}),
  });
}

describe('a partner that cannot be paid fails alone', () => {
  it('a reward too large for one host payment and a bad rule row are reported by partner; the others are paid', async () => {
    const program = await world.program({ rewardPercent: '100' });
    // 100% of 2 x 9,000,000,000.00: more than payment.amount decimal(14,4) holds.
    const whale = await world.partner(program);
    for (let i = 0; i < 2; i++) {
      const { account } = await world.referral(whale, '2030-01-01T00:00:00Z');
      await world.expense(account, '9000000000.0000', '2030-01-10 00:00:00');
    }
    // An override row that no longer validates (written by a newer version, or by hand).
    const broken = await world.partner(program);
    await throwaway.db(T.override).insert({
      affiliate: broken.id,
      rule_kind: 'percent_of_everything',
      updated_at: '2030-01-01 00:00:00',
    });
    const honest = [];
    for (let i = 0; i < 3; i++) {
      const partner = await world.partner(program);
      const { account } = await world.referral(partner, '2030-01-01T00:00:00Z');
      await world.expense(account, `${i + 1}.00`, '2030-01-10 00:00:00');
      honest.push(partner);
    }
    const broken2 = await world.referral(broken, '2030-01-01T00:00:00Z');
    await world.expense(broken2.account, '7.00', '2030-01-10 00:00:00');

    const summary = await runOn('2030-02');

    expect(summary.failedPartners).toEqual([
      {
        affiliate: whale.id,
        error: expect.stringContaining(
          `partner ${whale.id}: 18000000000.00 USD is more than one host payment holds (9999999999.99)`,
        ) as unknown,
      },
      { affiliate: broken.id, error: expect.stringContaining('kind must be one of') as unknown },
    ]);
    // 100% of 1.00, 2.00 and 3.00, one payment each; the failed partners have nothing booked.
    expect(summary).toMatchObject({ partners: 3, payments: 3, earned: { USD: '6.00' } });
    for (const [i, partner] of honest.entries())
      expect(await world.rewardPayments(partner.account)).toEqual([`${i + 1}.00`]);
    for (const partner of [whale, broken]) {
      expect(await world.ledger(partner.id)).toEqual([]);
      expect(await world.rewardPayments(partner.account)).toEqual([]);
    }
    const [record] = await runHistory(throwaway.db, 1);
    expect(record).toMatchObject({
      run: summary.run,
      status: 'finished',
      failedPartners: summary.failedPartners,
      earned: { USD: '6.00' },
      payments: 3,
    });

    // A page of one partner is isolated the same way, and a re-run pays the others nothing more.
    const again = await runOn('2030-02', 1);
    expect(again.failedPartners.map((f) => f.affiliate)).toEqual([whale.id, broken.id]);
    expect(again).toMatchObject({ partners: 3, payments: 0, earned: {} });
    for (const [i, partner] of honest.entries())
      expect(await world.rewardPayments(partner.account)).toEqual([`${i + 1}.00`]);
    await throwaway.db(T.override).where({ affiliate: broken.id }).delete();
    await throwaway.db(T.program).where({ id: program.id }).update({ active: false });
  });
});

describe('the run history', () => {
  it('a run left unfinished is marked killed by the next run, which says what it had committed', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    const { account } = await world.referral(partner, '2030-03-01T00:00:00Z');
    await world.expense(account, '250.00', '2030-03-10 00:00:00');
    // What a run killed after its first page leaves: its row still `running`, its page's entries committed.
    const first = await runOn('2030-04');
    await throwaway
      .db(T.run)
      .where({ id: first.run })
      .update({ status: 'running', finished_at: null, summary: null });

    const next = await runOn('2030-05');

    expect(next.killedRuns).toEqual([
      {
        run: first.run,
        period: '2030-03',
        startedAt: '2030-04-01 03:00:00',
        earned: { USD: '25.00' },
        reversed: {},
        applied: { USD: '25.00' },
        payments: 1,
      },
    ]);
    const history = await runHistory(throwaway.db, 2);
    expect(history.map((r) => [r.run, r.status, r.killedFoundBy])).toEqual([
      [next.run, 'finished', null],
      [first.run, 'killed', next.run],
    ]);
    expect(history[1]).toMatchObject({ killedFoundAt: '2030-05-01 03:00:00', applied: { USD: '25.00' } });
    // Found once: the run after does not report it again.
    expect((await runOn('2030-05')).killedRuns).toEqual([]);
  });
});
