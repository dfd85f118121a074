/**
 * The promotions section of `npm run demo`, on any database with the host fixture and the migrations (SQLite or
 * MySQL): seed 002's two-group example ("Expenses": over 10,000 a year or over 1,000 a month; "Active services":
 * more than three), a client who passes and one who does not, each with the explanation, and the audience.
 * The clock is fixed, so the output is the same on every run.
 */
import type { Knex } from 'knex';
import { explanationLines } from '../domain/promotion/eligibility';
import { addCondition } from './conditions';
import { audience, checkAccount } from './eligibility';
import { createPromotion, editPromotion } from './promotions';

const NOW = new Date(2026, 11, 2, 12, 0, 0);

export async function runPromotionDemo(db: Knex, print: (line: string) => void): Promise<void> {
  const rub = await currencyId(db, 'RUB');
  const client = async (
    name: string,
    expenses: ReadonlyArray<[string, string]>,
    services: number,
  ): Promise<number> => {
    const [id] = await db('account').insert({
      name,
      email: `${name.toLowerCase()}@example.com`,
      registration_date: '2025-03-01 09:00:00',
    });
    const account = Number(id);
    for (const [amount, realdate] of expenses)
      await db('expense').insert({ account, amount, currency: rub, realdate, project: 1 });
    for (let i = 0; i < services; i += 1)
      await db('item').insert({
        account,
        status: 2,
        createdate: '2026-03-01',
        opendate: '2026-03-01',
        expiredate: '2027-03-01',
      });
    return account;
  };

  const promotion = await createPromotion(
    db,
    {
      internalName: 'loyal-winter',
      clientName: 'Winter discount for loyal clients',
      kind: 'discount',
      startsAt: '2026-12-01',
      endsAt: '2027-01-01',
      perClientLimit: 1,
    },
    NOW,
  );
  const money = (periodType: string, amount: string): Record<string, string> => ({
    comparison: 'gt',
    periodType,
    length: '1',
    amount,
    currency: 'RUB',
  });
  await addCondition(
    db,
    promotion.id,
    { code: 'expenses_over_period', group: 'Expenses', args: money('year', '10000') },
    NOW,
  );
  await addCondition(
    db,
    promotion.id,
    { code: 'expenses_over_period', group: 'Expenses', args: money('month', '1000') },
    NOW,
  );
  await addCondition(
    db,
    promotion.id,
    { code: 'service_count', group: 'Active services', args: { comparison: 'gt', count: '3' } },
    NOW,
  );
  await editPromotion(db, promotion.id, { status: 'active' }, NOW);
  print(
    `  promotion ${promotion.id} '${promotion.clientName}': group "Expenses" (a year over 10,000 RUB or a month over 1,000 RUB), group "Active services" (more than 3)`,
  );

  const anna = await client('Anna', [['1200.00', '2026-11-25 10:00:00']], 4);
  const boris = await client(
    'Boris',
    [
      ['740.00', '2026-11-20 10:00:00'],
      ['5000.00', '2026-06-01 10:00:00'],
    ],
    5,
  );
  for (const [name, account] of [
    ['Anna', anna],
    ['Boris', boris],
  ] as const) {
    const result = await checkAccount(db, promotion.id, account, { now: NOW });
    const [verdict = '', ...why] = explanationLines(result);
    print(`  ${name} (account ${account}): ${verdict}`);
    for (const line of why) print(`  ${line}`);
  }
  const { count } = await audience(db, promotion.id, { now: NOW });
  print(`  audience on 2026-12-02: ${count} eligible client${count === 1 ? '' : 's'}`);
}

async function currencyId(db: Knex, iso: string): Promise<number> {
  const row = (await db('currency').where({ iso }).first('id')) as { id: number } | undefined;
  if (row) return Number(row.id);
  const [id] = await db('currency').insert({ name: 'Russian rouble', iso, code: 643 });
  return Number(id);
}
