/**
 * The promotions section of `npm run demo`, on any database with the host fixture and the migrations (SQLite or
 * MySQL): seed 002's two-group example ("Expenses": over 10,000 a year or over 1,000 a month; "Active services":
 * more than three), a client who passes and one who does not, each with the explanation, and the audience.
 * Then what the promotions give: a promo code redeemed, the refusals a client sees (not eligible, already used,
 * unknown), a certificate credited to the account through the core (the host stand-in, in-process), its unspent
 * funds taken back through the core when its term ends, and the clients' promotion ledgers. The clock is fixed, so the output is the same on every run.
 */
import type { Knex } from 'knex';
import { validateCertificateBatch, validateCodeBatch } from '../domain/promotion/codes/batch';
import { explanationLines } from '../domain/promotion/eligibility';
import { formatMoney, parseMoney } from '../domain/money';
import { chargeDemoAccount } from '../db/demo-host';
import { payPendingCredits } from '../host/credit';
import { createInProcessMgrctl } from '../host-standin/in-process';
import { listCodes } from './codes/manage';
import { pickFromBytes } from '../domain/promotion/codes/random';
import { generateBatch } from './codes/generate';
import { redeem, type RedeemOutcome } from './redemption/redeem';
import { expireCredits } from './redemption/expire';
import { accountLedger } from './redemption/reports';
import { productionPorts } from './redemption/wiring';
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
      currency: rub,
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
  await runCodesDemo(db, print, { promotion: promotion.id, anna, boris });
}

/** Codes of the two-group promotion, a certificate, the refusals and the ledgers. */
async function runCodesDemo(
  db: Knex,
  print: (line: string) => void,
  { promotion, anna, boris }: { promotion: number; anna: number; boris: number },
): Promise<void> {
  const batch = await generateBatch(
    db,
    validateCodeBatch({ promotion, template: 'WINTER-????', digitsOnly: false, count: 3, usesLimit: 1 }),
    { now: NOW, pick: DEMO_PICK },
  );
  const [first = '', second = '', third = ''] = await codesOf(db, promotion, batch.batch, 'code');
  print(`  promo codes of promotion ${promotion}: ${first}, ${second}, ${third} (one use each)`);
  const ports = productionPorts(NOW);
  const tell = (name: string, code: string, outcome: RedeemOutcome): void =>
    print(
      `  ${name} types ${code}: ${
        outcome.redeemed
          ? `redeemed (redemption ${outcome.redemption.id}, ${outcome.redemption.status})`
          : `refused, ${outcome.refusal.reason}: "${outcome.refusal.message}"`
      }`,
    );
  tell('Anna', first, await redeem(db, { account: anna, code: first }, ports));
  tell('Anna', second, await redeem(db, { account: anna, code: second }, ports));
  tell('Boris', third, await redeem(db, { account: boris, code: third }, ports));
  tell('Boris', 'WINTER-0000', await redeem(db, { account: boris, code: 'WINTER-0000' }, ports));

  const gift = await createPromotion(
    db,
    { internalName: 'gift-500', clientName: 'Gift certificate', kind: 'certificate', startsAt: '2026-12-01' },
    NOW,
  );
  await editPromotion(db, gift.id, { status: 'active' }, NOW);
  const certificates = await generateBatch(
    db,
    validateCertificateBatch({
      promotion: gift.id,
      template: 'GIFT-????????',
      count: 1,
      amount: { kind: 'fixed', amount: parseMoney('500.00', 'RUB') },
      usesLimit: 1,
      fundsPeriod: { type: 'month', length: 3 },
    }),
    { now: NOW, pick: DEMO_PICK },
  );
  const [certificate = ''] = await codesOf(db, gift.id, certificates.batch, 'certificate');
  print(`  certificate ${certificate}: 500.00 RUB onto the balance, to be spent within 3 months`);
  tell('Boris', certificate, await redeem(db, { account: boris, code: certificate }, ports));
  // The credit waits in the host adapter's outbox; the core makes it (here the host stand-in, in-process).
  const mgrctl = createInProcessMgrctl(db, {}, () => NOW);
  const credits = await payPendingCredits(db, mgrctl, { concurrency: 1, now: () => NOW });
  print(`  the core credited ${credits.credited} payment; Boris's balance: ${await balanceOf(db, boris)}`);
  tell('Anna', certificate, await redeem(db, { account: anna, code: certificate }, ports));
  // Boris is charged 120.00 within the term; when it ends, the 380.00 left are taken back by an expense of their own.
  await chargeDemoAccount(db, {
    account: boris,
    amount: '120.00',
    currency: await currencyId(db, 'RUB'),
    iso: 'RUB',
    date: '2027-01-15 10:00:00',
  });
  print(
    `  2027-01-15, Boris is charged 120.00 RUB for his services; his balance: ${await balanceOf(db, boris)}`,
  );
  const termEnded = new Date(2027, 2, 3, 12, 0, 0);
  const expired = await expireCredits(db, productionPorts(termEnded));
  const debits = await payPendingCredits(
    db,
    createInProcessMgrctl(db, {}, () => termEnded),
    {
      concurrency: 1,
      now: () => termEnded,
    },
  );
  print(
    `  2027-03-03, the certificate's term has ended: ${expired.takenBack} credit with funds left, taken back by ` +
      `${debits.debited} expense through the core; Boris's balance: ${await balanceOf(db, boris)}`,
  );

  for (const [name, account] of [
    ['Anna', anna],
    ['Boris', boris],
  ] as const) {
    const ledger = await accountLedger(db, account);
    print(`  promotion ledger of ${name}:`);
    for (const e of ledger.entries)
      print(
        `    #${e.id} ${e.kind} ${e.amount} ${e.currency} (${e.source}${e.payment !== null ? `, payment ${e.payment}` : ''}${
          e.validUntil !== null ? `, valid until ${e.validUntil} UTC` : ''
        })`,
      );
    print(`    balance: ${ledger.balance.map((b) => `${b.amount} ${b.currency}`).join(', ') || 'nothing'}`);
  }
}

/** The demo's codes come from a fixed sequence of bytes, so its output is the same on every run (never in production). */
const DEMO_PICK = ((): ((size: number) => number) => {
  let byte = 7;
  return pickFromBytes(() => (byte = (byte * 73 + 41) % 256));
})();

async function codesOf(
  db: Knex,
  promotion: number,
  batch: number,
  kind: 'code' | 'certificate',
): Promise<string[]> {
  return (await listCodes(db, { promotion, batch, kind }, 10)).codes.map((c) => c.code);
}

async function balanceOf(db: Knex, account: number): Promise<string> {
  const row = (await db('account').where({ id: account }).first('balance')) as { balance: string | number };
  return formatMoney(parseMoney(String(row.balance), 'RUB'));
}

async function currencyId(db: Knex, iso: string): Promise<number> {
  const row = (await db('currency').where({ iso }).first('id')) as { id: number } | undefined;
  if (row) return Number(row.id);
  const [id] = await db('currency').insert({ name: 'Russian rouble', iso, code: 643 });
  return Number(id);
}
