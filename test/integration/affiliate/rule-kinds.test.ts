/** Every reward kind of seed 001 through the monthly run on MariaDB, with the seed's worked numbers. */
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { addGroupRule, ruleFromWhmcsOverride, setOverride } from '../../../src/affiliate/rules';
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

/** Runs affiliatemonthly on the 1st of `month` (paying for the month before). */
async function runOn(month: string): Promise<void> {
  await runAffiliateMonthly(throwaway.db, {
    core: standinCore(throwaway.db),
    date: `${month}-01`,
    now: new Date(`${month}-01T02:00:00Z`),
  });
}

describe('seed 001: "a $60 service ... referred someone who signed up for a $100 service"', () => {
  it('50% of the referred service is $50; a free month of the partner plan is $60, capped by the new plan', async () => {
    const program = await world.program();
    const cases = [
      {
        rule: { kind: 'percent_of_service', percent: '50', occurrence: 'one_time' },
        newPlan: '100',
        expected: '50.00',
      },
      { rule: { kind: 'free_month_own_plan' }, newPlan: '100', expected: '60.00' },
      { rule: { kind: 'free_month_capped' }, newPlan: '100', expected: '60.00' },
      { rule: { kind: 'free_month_capped' }, newPlan: '45.50', expected: '45.50' },
    ];
    const partners = [];
    for (const c of cases) {
      const partner = await world.partner(program);
      await world.service(partner.account, '60'); // the partner's own plan
      await world.service(partner.account, '15', { status: 4 }); // a deleted service does not count
      await world.override(partner, c.rule);
      const { account } = await world.referral(partner, '2026-10-01T00:00:00Z');
      await world.service(account, c.newPlan, { status: 1 });
      partners.push({ partner, account });
    }
    await runOn('2026-11'); // no invoice paid yet: nothing
    for (const { partner } of partners) expect(await world.rewardPayments(partner.account)).toEqual([]);

    for (const { account } of partners) await world.payment(account, '100.00', '2026-11-05 10:00:00');
    await runOn('2026-12');
    await runOn('2027-01'); // one time only

    for (const [i, { partner }] of partners.entries()) {
      expect(await world.rewardPayments(partner.account)).toEqual([cases[i]?.expected]);
    }
    const [first] = partners;
    expect((await world.ledger(first?.partner.id ?? 0))[0]).toEqual({
      kind: 'earned',
      rule: 'percent_of_service',
      amount: '50.00',
      period: 'once',
    });
  });
});

describe('seed 001: "one-time invoice credits (of $20) after the customer they referred has paid their first invoice"', () => {
  it('credits $20 once, on the first paid invoice', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'fixed_after_invoice', amount: '20', currency: 'USD' });
    const { account } = await world.referral(partner, '2027-01-10T00:00:00Z');
    await world.payment(account, '9.99', '2027-01-20 00:00:00');
    await world.payment(account, '9.99', '2027-01-25 00:00:00');
    await runOn('2027-02');
    await world.payment(account, '9.99', '2027-02-20 00:00:00');
    await runOn('2027-03');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
  });

  it('"after the new client pays their second or third bill": waits for the third paid invoice', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, {
      kind: 'fixed_after_invoice',
      amount: '20',
      currency: 'USD',
      nthInvoice: 3,
    });
    const { account } = await world.referral(partner, '2027-01-10T00:00:00Z');
    await world.payment(account, '9.99', '2027-01-20 00:00:00');
    await world.payment(account, '9.99', '2027-01-21 00:00:00', { status: 6 }); // refunded: not a paid invoice
    await world.payment(account, '9.99', '2027-02-20 00:00:00');
    await runOn('2027-03');
    expect(await world.rewardPayments(partner.account)).toEqual([]);
    await world.payment(account, '9.99', '2027-03-20 00:00:00');
    await runOn('2027-04');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
  });

  it('a fixed credit that recurs pays every month with a paid invoice, and only those', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await setOverride(
      throwaway.db,
      partner.id,
      ruleFromWhmcsOverride({ type: 'fixed', amount: '5', currency: 'USD', oneTimeOnly: false }),
      new Date(),
    );
    const { account } = await world.referral(partner, '2027-04-02T00:00:00Z');
    await world.payment(account, '10.00', '2027-04-10 00:00:00');
    await world.payment(account, '10.00', '2027-04-20 00:00:00');
    await world.payment(account, '10.00', '2027-06-10 00:00:00');
    for (const month of ['2027-05', '2027-06', '2027-07']) await runOn(month);
    expect(await world.rewardPayments(partner.account)).toEqual(['5.00', '5.00']);
  });
});

describe('seed 001: "$50 half amount, full amount or 1 and half amount of the first month of referral"', () => {
  it.each([
    ['0.5', '16.67'], // 0.5 x 33.33 = 16.665
    ['1', '33.33'],
    ['1.5', '50.00'], // 49.995
  ])('%sx a first month of $33.33 is $%s, paid once', async (factor, expected) => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'first_month_multiple', factor });
    const { account } = await world.referral(partner, '2027-05-15T00:00:00Z');
    await world.expense(account, '13.33', '2027-05-15 00:00:00');
    await world.expense(account, '20.00', '2027-05-31 23:00:00');
    await world.expense(account, '99.00', '2027-06-15 00:00:00'); // the second month does not count
    await world.payment(account, '33.33', '2027-06-02 00:00:00');
    for (const month of ['2027-06', '2027-07', '2027-08']) await runOn(month);
    expect(await world.rewardPayments(partner.account)).toEqual([expected]);
  });
});

describe('seed 001: "as long as you had 4 active referrals you would continue getting a discount"', () => {
  it('pays the monthly discount while 4 referrals are billed, stops at 3, and resumes at 4', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, {
      kind: 'active_referrals_discount',
      minActive: 4,
      amount: '15',
      currency: 'USD',
    });
    const referred = [];
    for (let i = 0; i < 4; i++)
      referred.push((await world.referral(partner, '2027-08-01T00:00:00Z')).account);
    for (const account of referred) await world.expense(account, '30.00', '2027-08-10 00:00:00');
    for (const account of referred.slice(0, 3)) await world.expense(account, '30.00', '2027-09-10 00:00:00');
    for (const account of referred) await world.expense(account, '30.00', '2027-10-10 00:00:00');

    for (const month of ['2027-09', '2027-10', '2027-11']) await runOn(month);

    const earned = (await world.ledger(partner.id)).filter((e) => e.kind === 'earned');
    expect(earned).toEqual([
      { kind: 'earned', rule: 'active_referrals_discount', amount: '15.00', period: '2027-08' },
      { kind: 'earned', rule: 'active_referrals_discount', amount: '15.00', period: '2027-10' },
    ]);
  });
});

describe('"residual income": a percentage of the referred service, monthly or yearly', () => {
  it('monthly pays 10% of the $100 plan in each month with a paid invoice', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'percent_of_service', percent: '10', occurrence: 'monthly' });
    const { account } = await world.referral(partner, '2028-01-01T00:00:00Z');
    await world.service(account, '100');
    await world.payment(account, '100.00', '2028-01-03 00:00:00');
    await world.payment(account, '100.00', '2028-03-03 00:00:00');
    for (const month of ['2028-02', '2028-03', '2028-04']) await runOn(month);
    expect(await world.rewardPayments(partner.account)).toEqual(['10.00', '10.00']);
  });

  it('yearly pays 10% of the yearly price in the month of the first paid invoice and twelve months later', async () => {
    const program = await world.program({ referralMonths: 0 });
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'percent_of_service', percent: '10', occurrence: 'yearly' });
    const { account } = await world.referral(partner, '2028-01-01T00:00:00Z');
    await world.service(account, '100', { annually: '1000' });
    for (const paid of ['2028-01-05', '2028-02-05', '2029-01-05'])
      await world.payment(account, '100.00', `${paid} 00:00:00`);
    for (const month of ['2028-02', '2028-03', '2029-02']) await runOn(month);
    expect(await world.rewardPayments(partner.account)).toEqual(['100.00', '100.00']);
  });
});

describe('rules per client group and per account type', () => {
  it('a partner group rule beats a referral account-type rule, which beats the program reward', async () => {
    const salespeople = await world.group('Salespeople');
    const program = await world.program({ rewardPercent: '10' });
    await addGroupRule(
      throwaway.db,
      {
        program: program.id,
        accountGroup: salespeople,
        rule: { kind: 'percent_of_expenses', percent: '25' },
      },
      new Date(),
    );
    await addGroupRule(
      throwaway.db,
      { accountType: 'business', rule: { kind: 'fixed_after_invoice', amount: '30', currency: 'USD' } },
      new Date(),
    );
    const salesAccount = await world.account();
    await world.join(salesAccount, salespeople);
    const sales = await world.partner(program, salesAccount);
    const client = await world.partner(program);
    for (const partner of [sales, client]) {
      const business = await world.referral(partner, '2028-05-01T00:00:00Z', { account_type: 'business' });
      const home = await world.referral(partner, '2028-05-01T00:00:00Z', { account_type: 'residential' });
      for (const { account } of [business, home]) {
        await world.expense(account, '100.00', '2028-05-10 00:00:00');
        await world.payment(account, '100.00', '2028-05-11 00:00:00');
      }
    }
    await runOn('2028-06');
    // The salesperson: 25% of both referrals' 200.00. The client: $30 for the business referral, 10% of the home one.
    expect(await world.rewardPayments(sales.account)).toEqual(['50.00']);
    expect(await world.rewardPayments(client.account)).toEqual(['40.00']);
    const rules = (await world.ledger(client.id))
      .filter((e) => e.kind === 'earned')
      .map((e) => [e.rule, e.amount]);
    expect(rules).toEqual(
      expect.arrayContaining([
        ['percent_of_expenses', '10.00'],
        ['fixed_after_invoice', '30.00'],
      ]),
    );
  });

  it("a partner's override beats its group; a program without a reward uses the global default percentage", async () => {
    await world.settings({ defaultPercent: '7' });
    const vip = await world.group('VIP');
    const program = await world.program({ rewardPercent: null });
    await addGroupRule(
      throwaway.db,
      { accountGroup: vip, rule: { kind: 'percent_of_expenses', percent: '40' } },
      new Date(),
    );
    const vipAccount = await world.account();
    await world.join(vipAccount, vip);
    const overridden = await world.partner(program, vipAccount);
    await world.override(overridden, { kind: 'percent_of_expenses', percent: '1' });
    const plain = await world.partner(program);
    for (const partner of [overridden, plain]) {
      const { account } = await world.referral(partner, '2028-07-01T00:00:00Z');
      await world.expense(account, '100.00', '2028-07-10 00:00:00');
    }
    await runOn('2028-08');
    expect(await world.rewardPayments(overridden.account)).toEqual(['1.00']);
    expect(await world.rewardPayments(plain.account)).toEqual(['7.00']);
    const entry = await throwaway.db(T.ledger).where({ affiliate: plain.id, kind: 'earned' }).first();
    expect(entry.rule_ref).toBe('default');
  });

  it('changing a partner from one one-time rule to another never pays a referral twice', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    await world.override(partner, { kind: 'fixed_after_invoice', amount: '20', currency: 'USD' });
    const { account } = await world.referral(partner, '2028-09-01T00:00:00Z');
    await world.payment(account, '50.00', '2028-09-02 00:00:00');
    await runOn('2028-10');
    await world.override(partner, {
      kind: 'fixed_after_invoice',
      amount: '25',
      currency: 'USD',
      nthInvoice: 2,
    });
    await world.payment(account, '50.00', '2028-10-02 00:00:00');
    await runOn('2028-11');
    expect(await world.rewardPayments(partner.account)).toEqual(['20.00']);
  });
});
