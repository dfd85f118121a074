/**
 * The 17 condition types of seed 002 on MariaDB, each with its boundaries: every comparison, every period type,
 * inclusive ends, and the seed's special rules of 4 (the order date counts) and 10 (no services: today).
 * Each test checks one client through the single-client check and reads the condition's outcome and explanation.
 */
import { checkAccount } from '../../../src/promotions/eligibility';
import type { PromotionInput } from '../../../src/domain/promotion/promotion';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { NOW, PromotionWorld } from './world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
  await world.currency('RUB');
  await world.currency('USD');
});
afterAll(async () => {
  await throwaway.drop();
});

/** The one condition's outcome for the account. */
async function outcome(
  code: string,
  args: Record<string, string>,
  account: number,
  { promotion, code: given }: { promotion?: PromotionInput; code?: string } = {},
): Promise<{ passed: boolean; text: string }> {
  const p = await world.promotionWith([[code, args]], promotion);
  const result = await checkAccount(throwaway.db, p.id, account, {
    now: NOW,
    ...(given ? { code: given } : {}),
  });
  expect(result.conditions).toHaveLength(1);
  const [only] = result.conditions;
  expect(result.eligible).toBe(only?.passed);
  return { passed: only?.passed ?? false, text: only?.text ?? '' };
}

async function passes(
  code: string,
  args: Record<string, string>,
  account: number,
  options = {},
): Promise<boolean> {
  return (await outcome(code, args, account, options)).passed;
}

describe('1. none', () => {
  it('lets every client in; an unknown stored code fails closed', async () => {
    const account = await world.account();
    expect(await outcome('none', {}, account)).toEqual({ passed: true, text: 'no conditions: every client' });
    const p = await world.promotion();
    await throwaway.db('bmp_promotion_condition').insert({
      promotion: p.id,
      code: 'moon_phase',
      args: '{}',
      created_at: '2026-12-01 00:00:00',
    });
    const result = await checkAccount(throwaway.db, p.id, account, { now: NOW });
    expect(result.eligible).toBe(false);
    expect(result.conditions[0]?.text).toBe("unknown condition type 'moon_phase': not met");
  });
});

describe('2. registration_period (now minus the period against the registration day)', () => {
  const reg = (day: string): Promise<number> => world.account({ registration_date: `${day} 08:00:00` });
  it('year: more than, exactly, less than one year around the boundary day 2025-12-02', async () => {
    const args = (comparison: string): Record<string, string> => ({
      comparison,
      periodType: 'year',
      length: '1',
    });
    const before = await reg('2025-12-01');
    const on = await reg('2025-12-02');
    const after = await reg('2025-12-03');
    expect(await outcome('registration_period', args('gt'), before)).toEqual({
      passed: true,
      text: 'registered 2025-12-01, needs more than 1 year ago (on or before 2025-12-01)',
    });
    expect(await passes('registration_period', args('gt'), on)).toBe(false);
    expect(await passes('registration_period', args('eq'), on)).toBe(true);
    expect(await passes('registration_period', args('eq'), before)).toBe(false);
    expect(await passes('registration_period', args('lt'), on)).toBe(false);
    expect(await outcome('registration_period', args('<'), after)).toEqual({
      passed: true,
      text: 'registered 2025-12-03, needs less than 1 year ago (on or after 2025-12-03)',
    });
  });
  it('month and day periods', async () => {
    const m = await reg('2026-10-02');
    expect(
      await passes('registration_period', { comparison: 'eq', periodType: 'month', length: '2' }, m),
    ).toBe(true);
    expect(
      await passes('registration_period', { comparison: 'gt', periodType: 'month', length: '2' }, m),
    ).toBe(false);
    const d = await reg('2026-11-22');
    expect(
      await passes('registration_period', { comparison: 'eq', periodType: 'day', length: '10' }, d),
    ).toBe(true);
    expect(
      await passes('registration_period', { comparison: 'lt', periodType: 'day', length: '11' }, d),
    ).toBe(true);
    expect(await passes('registration_period', { comparison: 'gt', periodType: 'day', length: '9' }, d)).toBe(
      true,
    );
  });
  it('fails a client without a registration date', async () => {
    const none = await world.account({ registration_date: null });
    expect(
      await outcome('registration_period', { comparison: 'lt', periodType: 'year', length: '1' }, none),
    ).toEqual({
      passed: false,
      text: 'registration date unknown',
    });
  });
});

describe('3. service_count', () => {
  it('counts active, processing and stopped services, not ordered or deleted ones, against each comparison', async () => {
    const a = await world.account();
    for (const status of [2, 5, 3, 1, 4]) await world.service(a, { status });
    const args = (comparison: string, count: string): Record<string, string> => ({ comparison, count });
    expect(await outcome('service_count', args('gt', '3'), a)).toEqual({
      passed: false,
      text: 'services (active, processing or stopped) 3, needs more than 3',
    });
    expect(await passes('service_count', args('gt', '2'), a)).toBe(true);
    expect(await passes('service_count', args('eq', '3'), a)).toBe(true);
    expect(await passes('service_count', args('lt', '3'), a)).toBe(false);
    expect(await passes('service_count', args('lt', '4'), a)).toBe(true);
  });
  it('narrows to a tariff, a product type, order periods and paid services; add-ons never count', async () => {
    const vds = await world.pricelist(7);
    const other = await world.pricelist(8);
    const a = await world.account();
    const paid = await world.service(a, { pricelist: vds, period: 12 });
    await world.service(a, { pricelist: vds, period: 1 });
    await world.service(a, { pricelist: other, period: 12 });
    await world.service(a, { pricelist: vds, period: 12, parent: paid });
    await world.expense(a, '10.00', '2026-11-01 10:00:00', { item: paid });
    const eq = (n: string, more: Record<string, string>): Promise<boolean> =>
      passes('service_count', { comparison: 'eq', count: n, ...more }, a);
    expect(await eq('2', { pricelist: String(vds) })).toBe(true);
    expect(await eq('2', { itemtype: '7' })).toBe(true);
    expect(await eq('2', { periods: 'annually' })).toBe(true);
    expect(await eq('1', { pricelist: String(vds), periods: '12' })).toBe(true);
    expect(await eq('1', { paidOnly: 'on' })).toBe(true);
    expect(
      (await outcome('service_count', { comparison: 'gt', count: '0', itemtype: '7', paidOnly: 'on' }, a))
        .text,
    ).toBe('services (active, processing or stopped, product type 7, paid) 1, needs more than 0');
  });
});

describe('4. has_service (ordered within the promotion window)', () => {
  const window: PromotionInput = { startsAt: '2026-12-01', endsAt: '2027-01-01' };
  it('counts a service ordered on the first day, and a free one; not one ordered before and paid inside, nor a renewal', async () => {
    const tariff = await world.pricelist(7);
    const args = { pricelist: String(tariff) };
    const firstDay = await world.account();
    await world.service(firstDay, { pricelist: tariff, createdate: '2026-12-01', status: 1 });
    expect(await outcome('has_service', args, firstDay, { promotion: window })).toEqual({
      passed: true,
      text: `1 service of tariff ${tariff} ordered within the promotion (from 2026-12-01 to before 2027-01-01), needs at least one`,
    });
    const free = await world.account();
    await world.service(free, { pricelist: tariff, createdate: '2026-12-05', cost: '0' });
    expect(await passes('has_service', args, free, { promotion: window })).toBe(true);
    const paidLater = await world.account();
    const early = await world.service(paidLater, { pricelist: tariff, createdate: '2026-11-30' });
    await world.expense(paidLater, '100.00', '2026-12-01 09:00:00', { item: early });
    expect(await passes('has_service', args, paidLater, { promotion: window })).toBe(false);
    const renewed = await world.account();
    const old = await world.service(renewed, {
      pricelist: tariff,
      createdate: '2026-06-01',
      expiredate: '2027-06-01',
    });
    await world.expense(renewed, '100.00', '2026-12-10 09:00:00', { item: old });
    expect(await passes('has_service', args, renewed, { promotion: window })).toBe(false);
  });
  it('leaves out the end (exclusive), other tariffs and deleted services; an end later in a day keeps that day', async () => {
    const tariff = await world.pricelist(7);
    const args = { pricelist: String(tariff) };
    const onEnd = await world.account();
    await world.service(onEnd, { pricelist: tariff, createdate: '2027-01-01' });
    expect(await passes('has_service', args, onEnd, { promotion: window })).toBe(false);
    expect(
      await passes('has_service', args, onEnd, {
        promotion: { startsAt: '2026-12-01', endsAt: '2027-01-01 18:00' },
      }),
    ).toBe(true);
    const otherTariff = await world.account();
    await world.service(otherTariff, { pricelist: tariff + 1000, createdate: '2026-12-02' });
    await world.service(otherTariff, { pricelist: tariff, createdate: '2026-12-02', status: 4 });
    expect(await passes('has_service', args, otherTariff, { promotion: window })).toBe(false);
    expect(await passes('has_service', { itemtype: '7' }, onEnd, { promotion: window })).toBe(false);
  });
});

describe('5. expenses_over_period (at the promotion provider, in one currency, now minus the period to now)', () => {
  const month = (comparison: string, amount: string): Record<string, string> => ({
    comparison,
    periodType: 'month',
    length: '1',
    amount,
    currency: 'RUB',
  });
  it('explains the value beside the threshold, and compares exactly at the amount', async () => {
    const a = await world.account();
    await world.expense(a, '740.00', '2026-11-20 10:00:00');
    expect(await outcome('expenses_over_period', month('gt', '1000'), a)).toEqual({
      passed: false,
      text: 'expenses over the last month 740.00 RUB, needs more than 1,000.00',
    });
    await world.expense(a, '260.00', '2026-12-02 12:00:00'); // now itself: included
    expect(await passes('expenses_over_period', month('gt', '1000'), a)).toBe(false);
    expect(await passes('expenses_over_period', month('eq', '1000'), a)).toBe(true);
    expect(await passes('expenses_over_period', month('lt', '1000.01'), a)).toBe(true);
  });
  it('includes the start moment, leaves out what is before it, other currencies and other providers', async () => {
    const a = await world.account();
    await world.expense(a, '100.00', '2026-11-02 12:00:00');
    await world.expense(a, '50.00', '2026-11-02 11:59:59');
    await world.expense(a, '70.00', '2026-11-20 10:00:00', { currency: await world.currency('USD') });
    await world.expense(a, '30.00', '2026-11-20 10:00:00', { project: 2 });
    await world.expense(a, '20.00', '2026-12-02 12:00:01');
    expect((await outcome('expenses_over_period', month('eq', '100'), a)).passed).toBe(true);
    expect(
      await passes(
        'expenses_over_period',
        { comparison: 'eq', periodType: 'year', length: '1', amount: '150', currency: 'RUB' },
        a,
      ),
    ).toBe(true);
    expect(
      await passes(
        'expenses_over_period',
        { comparison: 'eq', periodType: 'day', length: '30', amount: '100', currency: 'RUB' },
        a,
      ),
    ).toBe(true);
    expect(
      await passes(
        'expenses_over_period',
        { comparison: 'eq', periodType: 'month', length: '1', amount: '70', currency: 'usd' },
        a,
      ),
    ).toBe(true);
    expect(await passes('expenses_over_period', month('eq', '30'), a, { promotion: { project: 2 } })).toBe(
      true,
    );
  });
  it('leaves out funds the plugin took back through the core (the expense of a debit in its outbox)', async () => {
    const a = await world.account();
    await world.expense(a, '100.00', '2026-11-20 10:00:00');
    await world.expense(a, '900.00', '2026-11-21 10:00:00', { name: 'Certificate funds expired' });
    const [takenBack] = (await throwaway.db('expense').where({ account: a }).max({ id: 'id' })) as {
      id: number;
    }[];
    await throwaway.db('bmp_host_credit').insert({
      credit_key: `test:debit:${takenBack?.id}`,
      kind: 'debit',
      account: a,
      amount_minor: 90000,
      currency: 'RUB',
      info: 'Certificate funds expired',
      state: 'done',
      expense: takenBack?.id,
      created_at: '2026-11-21 10:00:00',
    });
    expect(await outcome('expenses_over_period', month('gt', '500'), a)).toEqual({
      passed: false,
      text: 'expenses over the last month 100.00 RUB, needs more than 500.00',
    });
  });
});

describe('6. payments_over_period (credited payments only)', () => {
  it('sums credited payments in the period, not new ones, and includes both ends', async () => {
    const a = await world.account();
    await world.payment(a, '500.00', '2026-11-02 12:00:00');
    await world.payment(a, '250.50', '2026-12-02 12:00:00');
    await world.payment(a, '999.00', '2026-11-15 12:00:00', { status: 1 });
    await world.payment(a, '1.00', '2026-11-02 11:59:59');
    const args = (comparison: string, amount: string): Record<string, string> => ({
      comparison,
      periodType: 'month',
      length: '1',
      amount,
      currency: 'RUB',
    });
    expect(await outcome('payments_over_period', args('gt', '750'), a)).toEqual({
      passed: true,
      text: 'credited payments over the last month 750.50 RUB, needs more than 750.00',
    });
    expect(await passes('payments_over_period', args('eq', '750.50'), a)).toBe(true);
    expect(await passes('payments_over_period', args('lt', '750.50'), a)).toBe(false);
  });
});

describe('7. promo_code (against bmp_promotion_code)', () => {
  it("passes with one of the promotion's valid codes only", async () => {
    const a = await world.account();
    const p = await world.promotionWith([['promo_code', {}]]);
    const other = await world.promotion();
    const code = (row: Record<string, unknown>): Promise<unknown> =>
      throwaway
        .db('bmp_promotion_code')
        .insert({ promotion: p.id, kind: 'code', uses: 0, created_at: '2026-12-01 00:00:00', ...row });
    await code({ code: 'SPRING-1', code_key: 'SPRING1' });
    await code({ code: 'OLD', code_key: 'OLD', revoked_at: '2026-12-01 10:00:00' });
    await code({ code: 'FULL', code_key: 'FULL', uses: 3, uses_limit: 3 });
    await code({ code: 'ELSEWHERE', code_key: 'ELSEWHERE', promotion: other.id });
    const check = async (given?: string): Promise<string | undefined> =>
      (await checkAccount(throwaway.db, p.id, a, { now: NOW, ...(given ? { code: given } : {}) }))
        .conditions[0]?.text;
    expect(await check('SPRING1')).toBe("promo code SPRING-1 is one of the promotion's codes");
    expect(await check('OLD')).toBe('promo code OLD was revoked');
    expect(await check('FULL')).toBe('promo code FULL is used up');
    expect(await check('ELSEWHERE')).toBe("promo code ELSEWHERE is not one of the promotion's codes");
    expect(await check()).toBe("no promo code given, needs one of the promotion's codes");
    expect((await checkAccount(throwaway.db, p.id, a, { now: NOW, code: 'SPRING1' })).eligible).toBe(true);
    expect((await checkAccount(throwaway.db, p.id, a, { now: NOW, code: 'OLD' })).eligible).toBe(false);
  });
});

describe('8. affiliate_program', () => {
  it('passes a client referred under the program (active referral) only', async () => {
    const db = throwaway.db;
    const program = async (name: string): Promise<number> =>
      Number(
        (
          await db('bmp_affiliate_program').insert({
            name,
            promocode_template: `${name}@ID@`,
            website_url: 'https://p.example/',
            created_at: '2026-01-01 00:00:00',
          })
        )[0],
      );
    const p1 = await program('one');
    const p2 = await program('two');
    const partner = await world.account();
    const [affiliate] = await db('bmp_affiliate').insert({
      program: p1,
      account: partner,
      promocode: 'ONE1',
      created_at: '2026-01-01 00:00:00',
    });
    const referred = await world.account();
    const refused = await world.account();
    const alone = await world.account();
    const refer = (account: number, status: string): Promise<unknown> =>
      db('bmp_affiliate_referral').insert({
        affiliate,
        account,
        source: 'link',
        bound_at: '2026-02-01 00:00:00',
        status,
      });
    await refer(referred, 'active');
    await refer(refused, 'refused');
    expect(await outcome('affiliate_program', { program: String(p1) }, referred)).toEqual({
      passed: true,
      text: `referred under affiliate program ${p1}, needs affiliate program ${p1}`,
    });
    expect(await passes('affiliate_program', { program: String(p2) }, referred)).toBe(false);
    expect(await passes('affiliate_program', { program: String(p1) }, refused)).toBe(false);
    expect((await outcome('affiliate_program', { program: String(p1) }, alone)).text).toBe(
      `not referred by a partner, needs affiliate program ${p1}`,
    );
  });
});

describe('9. client_groups', () => {
  it('passes a member of any selected group', async () => {
    const a = await world.account();
    const b = await world.account();
    await throwaway.db('account2group').insert([
      { account: a, accountgroup: 4 },
      { account: a, accountgroup: 7 },
    ]);
    expect(await outcome('client_groups', { groups: '2,7' }, a)).toEqual({
      passed: true,
      text: 'client groups 4, 7, needs any of 2, 7',
    });
    expect(await passes('client_groups', { groups: '2,3' }, a)).toBe(false);
    expect((await outcome('client_groups', { groups: '4' }, b)).text).toBe(
      'in no client group, needs any of 4',
    );
  });
});

describe('10. first_service_period (no services: compared with today)', () => {
  const lessThanADay = { comparison: 'lt', periodType: 'day', length: '1' };
  it('passes a client without services for "less than", fails it for "more than" and "equal"', async () => {
    const none = await world.account();
    expect(await outcome('first_service_period', lessThanADay, none)).toEqual({
      passed: true,
      text: 'no services yet: compared with today 2026-12-02, needs less than 1 day ago (on or after 2026-12-02)',
    });
    expect(await passes('first_service_period', { ...lessThanADay, comparison: 'gt' }, none)).toBe(false);
    expect(await passes('first_service_period', { ...lessThanADay, comparison: 'eq' }, none)).toBe(false);
  });
  it('takes the first order (else activation) day of any service', async () => {
    const today = await world.account();
    await world.service(today, { createdate: '2026-12-02' });
    expect(await passes('first_service_period', lessThanADay, today)).toBe(true);
    const yesterday = await world.account();
    await world.service(yesterday, { createdate: '2026-12-02' });
    await world.service(yesterday, { createdate: null, opendate: '2026-12-01', status: 4 });
    expect(await passes('first_service_period', lessThanADay, yesterday)).toBe(false);
    expect(
      await passes('first_service_period', { comparison: 'eq', periodType: 'day', length: '1' }, yesterday),
    ).toBe(true);
    const old = await world.account();
    await world.service(old, { createdate: '2026-11-01' });
    expect(
      await passes('first_service_period', { comparison: 'gt', periodType: 'month', length: '1' }, old),
    ).toBe(true);
    expect(
      await passes('first_service_period', { comparison: 'gt', periodType: 'year', length: '1' }, old),
    ).toBe(false);
  });
});

describe('11. recurring_autorenewal ([assumed] account.recurring_payment, item.autoprolong)', () => {
  it('needs both a recurring payment and a live service with auto-renewal', async () => {
    const both = await world.account({ recurring_payment: 'on' });
    await world.service(both, { autoprolong: 1 });
    expect(await outcome('recurring_autorenewal', {}, both)).toEqual({
      passed: true,
      text: 'recurring payment set up, services with auto-renewal 1; needs a recurring payment and at least one such service',
    });
    const noRecurring = await world.account();
    await world.service(noRecurring, { autoprolong: 1 });
    expect(await passes('recurring_autorenewal', {}, noRecurring)).toBe(false);
    const noRenewal = await world.account({ recurring_payment: 'on' });
    await world.service(noRenewal, { autoprolong: 0 });
    await world.service(noRenewal, { autoprolong: 12, status: 4 });
    expect(await passes('recurring_autorenewal', {}, noRenewal)).toBe(false);
    const noServices = await world.account({ recurring_payment: 'on' });
    expect(await passes('recurring_autorenewal', {}, noServices)).toBe(false);
  });
});

describe('12. service_order_date (order or activation within the range, both days included)', () => {
  it('includes both ends, takes the activation date too', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30' };
    const lastDay = await world.account();
    await world.service(lastDay, { createdate: '2026-11-30', opendate: null });
    expect(await outcome('service_order_date', range, lastDay)).toEqual({
      passed: true,
      text: '1 service ordered or activated 2026-11-01 to 2026-11-30 (both days included), needs at least one',
    });
    const activated = await world.account();
    await world.service(activated, { createdate: '2026-10-20', opendate: '2026-11-01' });
    expect(await passes('service_order_date', range, activated)).toBe(true);
    const outside = await world.account();
    await world.service(outside, { createdate: '2026-12-01', opendate: '2026-12-01' });
    await world.service(outside, { createdate: '2026-10-31', opendate: '2026-10-31' });
    expect(await passes('service_order_date', range, outside)).toBe(false);
  });
});

describe('13. service_expiration_date', () => {
  it('includes both ends and leaves deleted services out', async () => {
    const range = { from: '2026-12-10', to: '2026-12-20' };
    const first = await world.account();
    await world.service(first, { expiredate: '2026-12-10' });
    expect(await passes('service_expiration_date', range, first)).toBe(true);
    const last = await world.account();
    await world.service(last, { expiredate: '2026-12-20' });
    expect(await passes('service_expiration_date', range, last)).toBe(true);
    const outside = await world.account();
    await world.service(outside, { expiredate: '2026-12-21' });
    await world.service(outside, { expiredate: '2026-12-15', status: 4 });
    expect(await outcome('service_expiration_date', range, outside)).toEqual({
      passed: false,
      text: '0 services expiring 2026-12-10 to 2026-12-20 (both days included), needs at least one',
    });
  });
});

describe('14. certificate_uses (one bmp_promotion_redemption row per use, released ones not counted)', () => {
  it('counts no uses while no use is recorded, then the uses of certificates (of one promotion when given)', async () => {
    const a = await world.account();
    expect(await outcome('certificate_uses', { comparison: 'lt', count: '1' }, a)).toEqual({
      passed: true,
      text: 'certificate uses 0, needs less than 1',
    });
    const p1 = await world.promotion({ kind: 'certificate' });
    const p2 = await world.promotion({ kind: 'certificate' });
    const certificate = async (promotion: number, key: string, kind = 'certificate'): Promise<number> =>
      Number(
        (
          await throwaway.db('bmp_promotion_code').insert({
            promotion,
            kind,
            code: key,
            code_key: key,
            created_at: '2026-12-01 00:00:00',
          })
        )[0],
      );
    const c1 = await certificate(p1.id, 'CERT-A');
    const c2 = await certificate(p1.id, 'CERT-B');
    const c3 = await certificate(p2.id, 'CERT-C');
    const promo = await certificate(p2.id, 'PROMO-D', 'code');
    // Uses are issue 15's redemptions; a released one is no use.
    const use = (promotion: number, code: number, status = 'committed'): Record<string, unknown> => ({
      idempotency_key: `use-${code}-${status}`,
      promotion,
      code,
      account: a,
      status,
      reserved_at: '2026-12-01 00:00:00',
    });
    await throwaway
      .db('bmp_promotion_redemption')
      .insert([
        use(p1.id, c1),
        use(p1.id, c2),
        use(p2.id, c3),
        use(p2.id, promo),
        use(p1.id, c1, 'released'),
      ]);
    expect(await passes('certificate_uses', { comparison: 'eq', count: '3' }, a)).toBe(true);
    expect(
      await outcome('certificate_uses', { comparison: 'lt', count: '2', promotion: String(p1.id) }, a),
    ).toEqual({
      passed: false,
      text: `certificate uses of promotion ${p1.id} 2, needs less than 2`,
    });
    expect(
      await passes('certificate_uses', { comparison: 'gt', count: '1', promotion: String(p1.id) }, a),
    ).toBe(true);
    expect(
      await passes('certificate_uses', { comparison: 'eq', count: '1', promotion: String(p2.id) }, a),
    ).toBe(true);
  });
});

describe('15. first_service_date', () => {
  it('passes when the first service falls in the range, both days included; fails without services', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30' };
    const first = await world.account();
    await world.service(first, { createdate: '2026-11-01' });
    await world.service(first, { createdate: '2026-12-01' });
    expect(await outcome('first_service_date', range, first)).toEqual({
      passed: true,
      text: 'first service 2026-11-01, needs 2026-11-01 to 2026-11-30 (both days included)',
    });
    const earlier = await world.account();
    await world.service(earlier, { createdate: '2026-10-31' });
    await world.service(earlier, { createdate: '2026-11-15' });
    expect(await passes('first_service_date', range, earlier)).toBe(false);
    const none = await world.account();
    expect((await outcome('first_service_date', range, none)).passed).toBe(false);
  });
});

describe('16. registration_date', () => {
  it('includes both days of the range', async () => {
    const range = { from: '2026-11-01', to: '2026-11-30' };
    expect(
      await passes(
        'registration_date',
        range,
        await world.account({ registration_date: '2026-11-01 00:00:00' }),
      ),
    ).toBe(true);
    expect(
      await passes(
        'registration_date',
        range,
        await world.account({ registration_date: '2026-11-30 23:59:59' }),
      ),
    ).toBe(true);
    expect(
      await outcome(
        'registration_date',
        range,
        await world.account({ registration_date: '2026-12-01 00:00:00' }),
      ),
    ).toEqual({
      passed: false,
      text: 'registered 2026-12-01, needs 2026-11-01 to 2026-11-30 (both days included)',
    });
  });
});

describe('17. expenses_by_providers', () => {
  it('sums the expenses at every selected provider, and no other', async () => {
    const a = await world.account();
    await world.expense(a, '600.00', '2026-11-20 10:00:00', { project: 1 });
    await world.expense(a, '500.00', '2026-11-21 10:00:00', { project: 2 });
    await world.expense(a, '9000.00', '2026-11-21 10:00:00', { project: 3 });
    const args = (comparison: string, amount: string): Record<string, string> => ({
      providers: '1,2',
      comparison,
      periodType: 'month',
      length: '1',
      amount,
      currency: 'RUB',
    });
    expect(await outcome('expenses_by_providers', args('gt', '1000'), a)).toEqual({
      passed: true,
      text: 'expenses at providers 1, 2 over the last month 1,100.00 RUB, needs more than 1,000.00',
    });
    expect(await passes('expenses_by_providers', args('eq', '1100'), a)).toBe(true);
    expect(await passes('expenses_by_providers', args('lt', '1100'), a)).toBe(false);
  });
});
