/**
 * The host rows the demos (src/affiliate/demo.ts, src/promotions/demo.ts) play the core with, on their own SQLite
 * database: accounts, a currency, paid invoices, charges, and the balance they read back. Not used against a real
 * host.
 */
import { parseMoney, subtract, toMajorString } from '../domain/money';
import { PAYMENT_STATUS } from './payment';
import type { Db } from './types';

export async function insertDemoAccount(
  db: Db,
  row: { name: string; email: string; currency: number; registrationDate: string },
): Promise<number> {
  const [id] = await db('account').insert({
    name: row.name,
    email: row.email,
    currency: row.currency,
    balance: 0,
    registration_date: row.registrationDate,
  });
  return Number(id);
}

/** An expense of `amount` (major units, decimal text) and the paid payment for it. */
export async function insertPaidExpense(
  db: Db,
  row: { account: number; amount: string; currency: number; date: string },
): Promise<void> {
  await db('expense').insert({
    account: row.account,
    amount: row.amount,
    currency: row.currency,
    realdate: row.date,
  });
  await db('payment').insert({
    account: row.account,
    amount: row.amount,
    currency: row.currency,
    status: PAYMENT_STATUS.paid,
    createdate: row.date,
    paydate: row.date,
    paymethod: 'card',
  });
}

/**
 * The host charging the account for its services, as the core does: an expense of `amount` (major units, decimal
 * text) in the account's own currency, and the balance lowered by it.
 */
export async function chargeDemoAccount(
  db: Db,
  row: { account: number; amount: string; currency: number; iso: string; date: string },
): Promise<void> {
  await db('expense').insert({
    account: row.account,
    amount: row.amount,
    currency: row.currency,
    realdate: row.date,
    project: 1,
  });
  const balance = parseMoney(String(await accountBalance(db, row.account)), row.iso);
  await db('account')
    .where({ id: row.account })
    .update({ balance: toMajorString(subtract(balance, parseMoney(row.amount, row.iso))) });
}

/** The account's stored balance as the driver answers it (decimal text or a number). */
export async function accountBalance(db: Db, account: number): Promise<string | number> {
  const row = (await db('account').where({ id: account }).first('balance')) as { balance: string | number };
  return row.balance;
}

/** The id of the currency with this ISO code, added when the host has none. */
export async function ensureCurrency(db: Db, iso: string): Promise<number> {
  const known = (await db('currency').where({ iso }).first('id')) as { id: number } | undefined;
  if (known) return Number(known.id);
  const [id] = await db('currency').insert({ name: iso, iso, code: 840, active: 'on' });
  return Number(id);
}
