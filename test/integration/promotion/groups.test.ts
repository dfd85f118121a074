/**
 * Condition groups exactly as seed 002 says, with the seed's own example; the explanation of one client's check;
 * adding conditions names every problem at once.
 */
import { ValidationError } from '../../../src/domain/errors';
import { explanationLines } from '../../../src/domain/promotion/eligibility';
import { addCondition, listConditions, removeCondition } from '../../../src/promotions/conditions';
import { checkAccount } from '../../../src/promotions/eligibility';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { NOW, PromotionWorld } from './world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
  await world.currency('RUB');
});
afterAll(async () => {
  await throwaway.drop();
});

const rub = (periodType: string, amount: string): Record<string, string> => ({
  comparison: 'gt',
  periodType,
  length: '1',
  amount,
  currency: 'RUB',
});

/** Seed 002: "Expenses" (year > 10,000 or month > 1,000) and "Active services" (more than three). */
async function seedExample(): Promise<number> {
  const p = await world.promotionWith([
    ['expenses_over_period', rub('year', '10000'), 'Expenses'],
    ['expenses_over_period', rub('month', '1000'), 'Expenses'],
    ['service_count', { comparison: 'gt', count: '3' }, 'Active services'],
  ]);
  return p.id;
}

async function clientWith(monthExpenses: string, earlierExpenses: string, services: number): Promise<number> {
  const a = await world.account();
  if (monthExpenses !== '0') await world.expense(a, monthExpenses, '2026-11-25 10:00:00');
  if (earlierExpenses !== '0') await world.expense(a, earlierExpenses, '2026-06-01 10:00:00');
  for (let i = 0; i < services; i += 1) await world.service(a);
  return a;
}

describe("the seed's two-group example", () => {
  it('passes a client with one condition of each group, and explains it', async () => {
    const promotion = await seedExample();
    const passes = await clientWith('1200.00', '0', 4);
    const result = await checkAccount(throwaway.db, promotion, passes, { now: NOW });
    expect(result.eligible).toBe(true);
    expect(result.groups).toEqual([
      { group: 'Expenses', passed: true },
      { group: 'Active services', passed: true },
    ]);
    const [year, month, services] = result.conditions.map((c) => c.id);
    expect(explanationLines(result)).toEqual([
      'eligible',
      '  group "Expenses" (any one): passed',
      `    [ ] ${year} expenses_over_period: expenses over the last year 1,200.00 RUB, needs more than 10,000.00`,
      `    [x] ${month} expenses_over_period: expenses over the last month 1,200.00 RUB, needs more than 1,000.00`,
      '  group "Active services" (any one): passed',
      `    [x] ${services} service_count: services (active, processing or stopped) 4, needs more than 3`,
    ]);
  });

  it('passes on the yearly expenses alone, fails either group missing, and says which group failed', async () => {
    const promotion = await seedExample();
    const yearly = await clientWith('0', '10000.01', 4);
    expect((await checkAccount(throwaway.db, promotion, yearly, { now: NOW })).eligible).toBe(true);
    const fewServices = await clientWith('5000.00', '6000.00', 3);
    const few = await checkAccount(throwaway.db, promotion, fewServices, { now: NOW });
    expect(few.eligible).toBe(false);
    expect(few.groups).toEqual([
      { group: 'Expenses', passed: true },
      { group: 'Active services', passed: false },
    ]);
    const lowSpender = await clientWith('740.00', '5000.00', 5);
    const low = await checkAccount(throwaway.db, promotion, lowSpender, { now: NOW });
    expect(low.eligible).toBe(false);
    expect(low.groups).toEqual([
      { group: 'Expenses', passed: false },
      { group: 'Active services', passed: true },
    ]);
    expect(low.conditions.map((c) => c.text)).toEqual([
      'expenses over the last year 5,740.00 RUB, needs more than 10,000.00',
      'expenses over the last month 740.00 RUB, needs more than 1,000.00',
      'services (active, processing or stopped) 5, needs more than 3',
    ]);
  });
});

describe('ungrouped conditions', () => {
  it('are all required, beside the groups', async () => {
    const p = await world.promotionWith([
      ['registration_date', { from: '2026-01-01', to: '2026-12-31' }],
      ['service_count', { comparison: 'gt', count: '0' }],
      ['client_groups', { groups: '9' }, 'Members'],
    ]);
    const a = await world.account({ registration_date: '2026-03-01 00:00:00' });
    await throwaway.db('account2group').insert({ account: a, accountgroup: 9 });
    const without = await checkAccount(throwaway.db, p.id, a, { now: NOW });
    expect(without.eligible).toBe(false);
    expect(without.groups).toEqual([
      { group: null, passed: false },
      { group: 'Members', passed: true },
    ]);
    expect(explanationLines(without)[1]).toBe('  without a group (all required): failed');
    await world.service(a);
    expect((await checkAccount(throwaway.db, p.id, a, { now: NOW })).eligible).toBe(true);
  });

  it('a promotion without conditions is open to every client', async () => {
    const p = await world.promotion();
    const result = await checkAccount(throwaway.db, p.id, await world.account(), { now: NOW });
    expect(result.eligible).toBe(true);
    expect(explanationLines(result)).toEqual(['eligible', '  no conditions: every client']);
  });
});

describe('adding conditions', () => {
  it('names every problem of a condition at once', async () => {
    const p = await world.promotion();
    const attempt = addCondition(
      throwaway.db,
      p.id,
      {
        code: 'expenses_over_period',
        args: { comparison: '>=', periodType: 'week', amount: '10.005', colour: 'red' },
      },
      NOW,
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    expect(((await attempt.catch((e: unknown) => e)) as ValidationError).problems).toEqual([
      "expenses_over_period has no argument 'colour' (it takes comparison, periodType, length, amount, currency)",
      "comparison '>=' must be gt, lt or eq (>, <, =)",
      "periodType 'week' must be day, month or year",
      'length is required: a whole number, 1 or more',
      "amount '10.005' must be an amount with at most two decimals",
      'currency is required: a currency code, e.g. RUB',
    ]);
    await expect(addCondition(throwaway.db, p.id, { code: 'birthday', args: {} }, NOW)).rejects.toThrow(
      /unknown condition type 'birthday' \(one of none, registration_period, service_count/,
    );
    expect(await listConditions(throwaway.db, p.id)).toEqual([]);
  });

  it('lists and removes conditions with their groups', async () => {
    const p = await world.promotion();
    const added = await addCondition(
      throwaway.db,
      p.id,
      { code: 'client_groups', group: ' VIP ', args: { groups: '1,2' } },
      NOW,
    );
    expect(await listConditions(throwaway.db, p.id)).toEqual([
      { id: added.id, promotion: p.id, code: 'client_groups', group: 'VIP', args: { groups: '1,2' } },
    ]);
    await removeCondition(throwaway.db, p.id, added.id);
    expect(await listConditions(throwaway.db, p.id)).toEqual([]);
    await expect(removeCondition(throwaway.db, p.id, added.id)).rejects.toThrow(
      `promotion ${p.id} has no condition ${added.id}`,
    );
  });
});
