/**
 * The host rows the affiliate demo (src/affiliate/demo.ts) plays the core with, on its own SQLite database:
 * accounts, a currency, paid invoices, and the balance it reads back. Not used against a real host.
 */
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
