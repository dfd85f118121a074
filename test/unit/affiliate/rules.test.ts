import Decimal from 'decimal.js';
import { parseMoney, toMajorString, type Money } from '../../../src/domain/money';
import {
  describeRule,
  isOneTime,
  parseRule,
  rewardFor,
  ruleToInput,
  triggerOf,
  type RewardRule,
} from '../../../src/domain/affiliate/rules';
import { AffiliateValidationError } from '../../../src/domain/affiliate/validation';

const usd = (major: string): Money => parseMoney(major, 'USD');
const exact = (major: string) => ({ amount: new Decimal(major), currency: 'USD' });
const shown = (m: Money | undefined): string | undefined => m && `${toMajorString(m)} ${m.currency}`;

describe('reward rules with the worked numbers of seed 001', () => {
  // "if you have a $60 service, and you referred someone who signed up for a $100 service,
  //  you would get 50% of $100 as a credit"
  const partnerPlanPrice = usd('60');
  const servicePrice = usd('100');

  it('50% of the referred $100 service is a $50 credit, whatever the partner pays', () => {
    const rule = parseRule({ kind: 'percent_of_service', percent: '50', occurrence: 'one_time' });
    expect(shown(rewardFor(rule, { servicePrice, partnerPlanPrice }))).toBe('50.00 USD');
  });

  it("a free month of the partner's own plan is the partner's $60", () => {
    const rule = parseRule({ kind: 'free_month_own_plan' });
    expect(shown(rewardFor(rule, { servicePrice, partnerPlanPrice }))).toBe('60.00 USD');
  });

  it('a free month "of equal or lesser value" of the new customer\'s plan is capped by that plan', () => {
    const rule = parseRule({ kind: 'free_month_capped' });
    expect(shown(rewardFor(rule, { servicePrice, partnerPlanPrice }))).toBe('60.00 USD');
    expect(shown(rewardFor(rule, { servicePrice: usd('45.50'), partnerPlanPrice }))).toBe('45.50 USD');
  });

  it('no free month when either plan is unknown or the plans are in different currencies', () => {
    const rule = parseRule({ kind: 'free_month_capped' });
    expect(rewardFor(rule, { servicePrice })).toBeUndefined();
    expect(rewardFor(rule, { servicePrice: parseMoney('100', 'EUR'), partnerPlanPrice })).toBeUndefined();
    expect(rewardFor(parseRule({ kind: 'free_month_own_plan' }), {})).toBeUndefined();
  });

  it('a one-time $20 credit after the first paid invoice is $20, and can wait for the third invoice', () => {
    const first = parseRule({ kind: 'fixed_after_invoice', amount: '20', currency: 'usd' });
    expect(shown(rewardFor(first, {}))).toBe('20.00 USD');
    expect(first).toMatchObject({ nthInvoice: 1, occurrence: 'one_time' });
    const third = parseRule({ kind: 'fixed_after_invoice', amount: '20', currency: 'USD', nthInvoice: 3 });
    expect(triggerOf(third)).toBe('nth_invoice');
    expect(third).toMatchObject({ nthInvoice: 3 });
  });

  it('a discount that needs 4 active referrals holds at 4 and stops at 3', () => {
    const rule = parseRule({
      kind: 'active_referrals_discount',
      minActive: 4,
      amount: '15',
      currency: 'USD',
    });
    expect(shown(rewardFor(rule, { activeReferrals: 5 }))).toBe('15.00 USD');
    expect(shown(rewardFor(rule, { activeReferrals: 4 }))).toBe('15.00 USD');
    expect(rewardFor(rule, { activeReferrals: 3 })).toBeUndefined();
  });

  it.each([
    ['0.5', '100', '50.00'],
    ['1', '100', '100.00'],
    ['1.5', '100', '150.00'],
    ['1.5', '33.33', '50.00'], // 49.995 rounds half up once
  ])('%sx a first month of $%s is $%s', (factor, firstMonth, expected) => {
    const rule = parseRule({ kind: 'first_month_multiple', factor });
    expect(shown(rewardFor(rule, { firstMonthExpenses: exact(firstMonth) }))).toBe(`${expected} USD`);
  });

  it('percent of service: monthly on the month price, yearly on the year price', () => {
    const monthly = parseRule({ kind: 'percent_of_service', percent: '10', occurrence: 'monthly' });
    const yearly = parseRule({ kind: 'percent_of_service', percent: '10', occurrence: 'yearly' });
    expect(shown(rewardFor(monthly, { servicePrice, serviceYearPrice: usd('1000') }))).toBe('10.00 USD');
    expect(shown(rewardFor(yearly, { servicePrice, serviceYearPrice: usd('1000') }))).toBe('100.00 USD');
    expect(triggerOf(monthly)).toBe('invoice_in_month');
    expect(triggerOf(yearly)).toBe('invoice_in_year');
  });
});

describe('rounding to the cent happens once, at the end', () => {
  const rule = parseRule({ kind: 'percent_of_expenses', percent: '10' });
  it.each([
    ['33.3333', '3.33'], // 3.33333
    ['0.05', '0.01'], // 0.005 rounds half up
    ['0.0449', '0.00'], // 0.00449 rounds down
    ['123.4550', '12.35'], // 12.3455 → 12.35, not 12.34 from rounding the base first
    ['-33.35', '-3.34'], // a net refund month: half away from zero
  ])('10%% of an exact $%s is $%s', (total, expected) => {
    expect(shown(rewardFor(rule, { monthExpenses: exact(total) }))).toBe(`${expected} USD`);
  });

  it('7.5% of $19.99 is $1.50 (1.49925 rounded once)', () => {
    const r = parseRule({ kind: 'percent_of_expenses', percent: '7.5' });
    expect(shown(rewardFor(r, { monthExpenses: exact('19.99') }))).toBe('1.50 USD');
  });

  it('a percentage of a service price rounds once: 12.5% of $0.99 is $0.12', () => {
    const r = parseRule({ kind: 'percent_of_service', percent: '12.5' });
    expect(shown(rewardFor(r, { servicePrice: usd('0.99') }))).toBe('0.12 USD');
  });
});

describe('parseRule', () => {
  it('collects every problem of an input and throws once', () => {
    let caught: unknown;
    try {
      parseRule({ kind: 'fixed_after_invoice', amount: '-5', currency: 'dollars', nthInvoice: 0 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AffiliateValidationError);
    const problems = (caught as AffiliateValidationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/invoice number/);
    expect(problems.join('\n')).toMatch(/amount/);
    expect(problems.join('\n')).toMatch(/currency/);
  });

  it('refuses an unknown kind, a percentage above 100 and a monthly reward that waits for a later invoice', () => {
    expect(() => parseRule({ kind: 'lottery' })).toThrow(/kind must be one of/);
    expect(() => parseRule({ kind: 'percent_of_expenses', percent: '101' })).toThrow(/percent/);
    expect(() => parseRule({ kind: 'percent_of_expenses', percent: '0' })).toThrow(/percent/);
    expect(() =>
      parseRule({ kind: 'percent_of_service', percent: '5', occurrence: 'monthly', nthInvoice: 2 }),
    ).toThrow(/one-time/);
    expect(() =>
      parseRule({ kind: 'active_referrals_discount', minActive: 0, amount: '5', currency: 'USD' }),
    ).toThrow(/active referrals/);
  });

  it('takes a factor of six decimals (a percent of four, one-time), and refuses more or none', () => {
    const third = parseRule({ kind: 'first_month_multiple', factor: '0.3333' });
    expect(shown(rewardFor(third, { firstMonthExpenses: exact('100.00') }))).toBe('33.33 USD');
    const small = parseRule({ kind: 'first_month_multiple', factor: '0.007' });
    expect(shown(rewardFor(small, { firstMonthExpenses: exact('100.00') }))).toBe('0.70 USD');
    expect(parseRule({ kind: 'first_month_multiple', factor: '0.123456' })).toMatchObject({
      factor: '0.123456',
    });
    for (const factor of ['0.1234567', '0', '0.000000', '100', '-1', '1e-3'])
      expect(() => parseRule({ kind: 'first_month_multiple', factor })).toThrow(/factor/);
  });

  it('round-trips through ruleToInput', () => {
    const rules: RewardRule[] = [
      parseRule({ kind: 'percent_of_expenses', percent: '12.50' }),
      parseRule({ kind: 'fixed_after_invoice', amount: '20', currency: 'USD', nthInvoice: 2 }),
      parseRule({ kind: 'percent_of_service', percent: '50', occurrence: 'yearly' }),
      parseRule({ kind: 'first_month_multiple', factor: '1.5' }),
      parseRule({ kind: 'free_month_capped', nthInvoice: 1 }),
      parseRule({ kind: 'active_referrals_discount', minActive: 4, amount: '10', currency: 'EUR' }),
    ];
    for (const rule of rules) expect(parseRule(ruleToInput(rule))).toEqual(rule);
    expect(rules[0]).toEqual({ kind: 'percent_of_expenses', percent: '12.5' });
  });

  it('tells one-time rules from recurring ones and describes each', () => {
    expect(isOneTime(parseRule({ kind: 'free_month_own_plan' }))).toBe(true);
    expect(isOneTime(parseRule({ kind: 'percent_of_expenses', percent: '5' }))).toBe(false);
    expect(describeRule(parseRule({ kind: 'fixed_after_invoice', amount: '20', currency: 'USD' }))).toBe(
      "20.00 USD once, after the referral's paid invoice #1",
    );
  });

  it('an unknown kind met at run time earns nothing', () => {
    const unknown = { kind: 'lottery' } as unknown as RewardRule;
    expect(
      rewardFor(unknown, { monthExpenses: { amount: new Decimal(100), currency: 'USD' } }),
    ).toBeUndefined();
  });
});
