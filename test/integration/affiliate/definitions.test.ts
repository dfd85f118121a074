/**
 * Issue 13's definitions on MariaDB with worked numbers (src/domain/affiliate/definitions.ts): an active referral,
 * a paid invoice, which side the program's groups apply to, and percentages stored exactly.
 */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { getOverride, ruleFromWhmcsOverride, setOverride } from '../../../src/affiliate/rules';
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

/** Runs affiliatemonthly at 03:00 on the 1st of `month` (paying for the month before); the core's clock too. */
async function runOn(month: string): Promise<void> {
  const now = new Date(`${month}-01T03:00:00Z`);
  await runAffiliateMonthly(throwaway.db, {
    core: standinCore(throwaway.db, () => now),
    date: `${month}-01`,
    now,
  });
}

async function setBalance(account: number, balance: string): Promise<void> {
  await throwaway.db('account').where({ id: account }).update({ balance });
}

describe('an active referral: its main service active and not in arrears, whatever its billing period', () => {
  it('counts an annual-plan referral paid up, not one charged on the 1st and suspended unpaid on the 3rd', async () => {
    const program = await world.program({ rewardPercent: null });
    const discount = {
      kind: 'active_referrals_discount',
      minActive: 1,
      amount: '15',
      currency: 'USD',
    } as const;

    // Paid for the year in January: no expense in March, its service active, its balance 0.00.
    const annual = await world.partner(program);
    await world.override(annual, discount);
    const yearly = await world.referral(annual, '2027-01-05T00:00:00Z');
    const yearlyService = await world.service(yearly.account, '10', { annually: '120' });
    await throwaway.db('item').where({ id: yearlyService }).update({ period: 12 });
    await world.expense(yearly.account, '120.00', '2027-01-05 00:00:00');

    // Charged 30.00 on March 1st, never paid, suspended on the 3rd: balance -30.00, service status 3.
    const unpaid = await world.partner(program);
    await world.override(unpaid, discount);
    const suspended = await world.referral(unpaid, '2027-01-05T00:00:00Z');
    const suspendedService = await world.service(suspended.account, '30');
    await world.expense(suspended.account, '30.00', '2027-03-01 00:00:00');
    await setBalance(suspended.account, '-30.0000');
    await throwaway.db('item').where({ id: suspendedService }).update({ status: 3 });

    // Its service still active, but in arrears: not active either.
    const owing = await world.partner(program);
    await world.override(owing, discount);
    const debtor = await world.referral(owing, '2027-01-05T00:00:00Z');
    await world.service(debtor.account, '30');
    await world.expense(debtor.account, '30.00', '2027-03-01 00:00:00');
    await setBalance(debtor.account, '-0.0100');

    // An add-on active under a suspended main service does not make the referral active.
    const addonOnly = await world.partner(program);
    await world.override(addonOnly, discount);
    const withAddon = await world.referral(addonOnly, '2027-01-05T00:00:00Z');
    const main = await world.service(withAddon.account, '30', { status: 3 });
    await throwaway.db('item').insert({ account: withAddon.account, parent: main, status: 2, name: 'IP' });

    await runOn('2027-04'); // pays for March

    expect(await world.ledger(annual.id)).toContainEqual({
      kind: 'earned',
      rule: 'active_referrals_discount',
      amount: '15.00',
      period: '2027-03',
    });
    expect(await world.rewardPayments(annual.account)).toEqual(['15.00']);
    for (const partner of [unpaid, owing, addonOnly]) {
      expect(await world.ledger(partner.id)).toEqual([]);
      expect(await world.rewardPayments(partner.account)).toEqual([]);
    }

    // The debtor pays up: in April it is active again.
    await setBalance(debtor.account, '0.0000');
    await runOn('2027-05');
    expect(await world.rewardPayments(owing.account)).toEqual(['15.00']);
  });
});

describe('a paid invoice: a client payment for services, not the plugin payouts or other credits', () => {
  it('a referral that is also a partner and receives a reward payment has not paid an invoice', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'fixed_after_invoice', amount: '20', currency: 'USD' });
    // The referral becomes a partner itself and earns 10% of its own referral's 100.00 in May.
    const referred = await world.referral(partner, '2028-05-01T00:00:00Z');
    const referralAsPartner = await world.partner(program, referred.account);
    const grandchild = await world.referral(referralAsPartner, '2028-05-01T00:00:00Z');
    await world.expense(grandchild.account, '100.00', '2028-05-10 00:00:00');
    // A credit an admin or a certificate put on the account: paid, but without a payment method.
    await throwaway.db('payment').insert({
      account: referred.account,
      amount: '5.00',
      currency: await world.currency('USD'),
      status: 4,
      createdate: '2028-06-03 00:00:00',
      paydate: '2028-06-03 00:00:00',
      info: 'Gift certificate',
      paymethod: null,
    });

    await runOn('2028-06'); // pays the referral-partner 10.00 on June 1st, through the core
    expect(await world.rewardPayments(referred.account)).toEqual(['10.00']);
    await runOn('2028-07'); // June: the reward payment and the credit are no invoices
    expect(await world.rewardPayments(partner.account)).toEqual([]);

    await world.payment(referred.account, '9.99', '2028-07-04 00:00:00'); // its first paid invoice
    await runOn('2028-08');
    await runOn('2028-09');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
    const [earned] = (await throwaway
      .db(T.ledger)
      .where({ affiliate: partner.id, kind: 'earned' })) as Array<{
      note: string;
    }>;
    expect(earned?.note).toMatch(/paid invoice \d+$/);
  });
});

describe("the program's client group and forbidden group apply to the partner, not to its referrals", () => {
  it('a partner in the client group earns on referrals outside it and on referrals in the forbidden group', async () => {
    const members = await world.group('Members');
    const banned = await world.group('Banned');
    const program = await world.program({
      rewardPercent: '10',
      clientGroup: members,
      forbiddenGroup: banned,
    });
    const account = await world.account();
    await world.join(account, members);
    const partner = await world.partner(program, account);
    const outside = await world.referral(partner, '2028-10-01T00:00:00Z');
    const forbidden = await world.referral(partner, '2028-10-01T00:00:00Z');
    await world.join(forbidden.account, banned);
    await world.expense(outside.account, '100.00', '2028-10-10 00:00:00');
    await world.expense(forbidden.account, '50.00', '2028-10-10 00:00:00');

    await runOn('2028-11');

    // 10% of (100.00 + 50.00)
    expect(await world.rewardPayments(account)).toEqual(['15.00']);
  });
});

describe('percentages are stored and paid exactly', () => {
  it.each([
    ['0.7', '0.70'],
    ['33.33', '33.33'],
  ])(
    'a one-time override of %s %% pays %s on a first month of 100.00, and a recurring one too',
    async (percent, expected) => {
      const program = await world.program({ rewardPercent: null });
      const once = await world.partner(program);
      const rule = ruleFromWhmcsOverride({ type: 'percentage', amount: percent, oneTimeOnly: true });
      await setOverride(throwaway.db, once.id, rule, new Date('2026-01-02T00:00:00Z'));
      expect(await getOverride(throwaway.db, once.id)).toEqual(rule); // the factor read back as it was set
      const recurring = await world.partner(program);
      await setOverride(
        throwaway.db,
        recurring.id,
        ruleFromWhmcsOverride({ type: 'percentage', amount: percent, oneTimeOnly: false }),
        new Date('2026-01-02T00:00:00Z'),
      );
      for (const partner of [once, recurring]) {
        const { account } = await world.referral(partner, '2029-01-01T00:00:00Z');
        await world.expense(account, '100.00', '2029-01-05 00:00:00');
        await world.payment(account, '100.00', '2029-01-06 00:00:00');
      }

      await runOn('2029-02');
      await runOn('2029-03'); // one time only; nothing charged in February

      expect(await world.rewardPayments(once.account)).toEqual([expected]);
      expect(await world.rewardPayments(recurring.account)).toEqual([expected]);
    },
  );
});
