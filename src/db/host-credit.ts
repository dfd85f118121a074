/**
 * `bmp_host_credit`, the outbox of credits the plugin asks the core to make (sql/migrations/…_host_credit.ts) and of
 * debits, funds it takes back (…_host_debit.ts), and the host `payment` and `expense` rows it reads back to learn
 * what the core already did.
 */
import { HOST_PAYMENT_STATUS } from '../host/facts';
import type { Knex } from 'knex';
import { insertSelectNew } from './affiliate/sql';
import type { Db } from './types';

export type HostCreditState = 'pending' | 'added' | 'done';
/** Which way the funds go: a credit is a payment onto the account, a debit an expense taking them back. */
export type HostCreditKind = 'credit' | 'debit';

export interface DbHostCreditRow {
  id: number;
  credit_key: string;
  account: number;
  project: number;
  amount_minor: string | number;
  currency: string;
  info: string;
  kind: HostCreditKind;
  state: HostCreditState;
  payment: number | null;
  /** The expense a debit made. */
  expense: number | null;
  attempts: number;
  last_error: string | null;
  created_at: string;
  credited_at: string | null;
}

export const HOST_CREDIT_TABLE = 'bmp_host_credit';

/** The columns a feature's `INSERT ... SELECT` fills, in this order (the rest take their defaults). */
export const HOST_CREDIT_COLUMNS = [
  'credit_key',
  'account',
  'project',
  'amount_minor',
  'currency',
  'info',
  'created_at',
] as const;

/**
 * Adds the credits `select` yields (the columns of HOST_CREDIT_COLUMNS, in order), each once: a key already
 * there is left as it is, so a feature may enqueue the same source again.
 */
export async function enqueueCredits(
  db: Db,
  select: string,
  bindings: readonly Knex.RawBinding[],
): Promise<void> {
  // The unique key skips a credit already there (a NOT EXISTS on the table being inserted into made MariaDB copy
  // the SELECT into a temporary table first).
  await insertSelectNew(db, HOST_CREDIT_TABLE, HOST_CREDIT_COLUMNS, ['credit_key'], select, bindings);
}

/** A debit of `credit_key` (positive `amount_minor`), added once like a credit. */
export async function enqueueDebit(
  db: Db,
  debit: Omit<
    DbHostCreditRow,
    'id' | 'kind' | 'state' | 'payment' | 'expense' | 'attempts' | 'last_error' | 'credited_at'
  >,
): Promise<void> {
  await insertSelectNew(
    db,
    HOST_CREDIT_TABLE,
    [...HOST_CREDIT_COLUMNS, 'kind'],
    ['credit_key'],
    `SELECT ${HOST_CREDIT_COLUMNS.map((c) => `? AS ${c}`).join(', ')}, 'debit' AS kind`,
    HOST_CREDIT_COLUMNS.map((c) => String(debit[c])),
  );
}

/** Credits not yet done, oldest first, at most `limit`, after id `after`. */
export async function unfinishedCredits(db: Db, after: number, limit: number): Promise<DbHostCreditRow[]> {
  return (await db(HOST_CREDIT_TABLE)
    .whereNot({ state: 'done' })
    .andWhere('id', '>', after)
    .orderBy('id')
    .limit(limit)) as DbHostCreditRow[];
}

export async function countUnfinishedCredits(db: Db): Promise<number> {
  const row = (await db(HOST_CREDIT_TABLE).whereNot({ state: 'done' }).count({ n: '*' }).first()) as
    { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Counted before the core is called, so a credit whose answer was lost is looked for in `payment` next time. */
export async function markAttempt(db: Db, id: number): Promise<void> {
  await db(HOST_CREDIT_TABLE).where({ id }).increment('attempts', 1);
}

export async function markAdded(db: Db, id: number, payment: number): Promise<void> {
  await db(HOST_CREDIT_TABLE).where({ id }).update({ state: 'added', payment, last_error: null });
}

export async function markDone(db: Db, id: number, payment: number, now: string): Promise<void> {
  await db(HOST_CREDIT_TABLE)
    .where({ id })
    .update({ state: 'done', payment, credited_at: now, last_error: null });
}

export async function markFailed(db: Db, id: number, error: string): Promise<void> {
  await db(HOST_CREDIT_TABLE)
    .where({ id })
    .update({ last_error: error.slice(0, 255) });
}

export async function markDebited(db: Db, id: number, expense: number, now: string): Promise<void> {
  await db(HOST_CREDIT_TABLE)
    .where({ id })
    .update({ state: 'done', expense, credited_at: now, last_error: null });
}

export interface FoundPayment {
  id: number;
  credited: boolean;
}

/**
 * The host payment a credit made, found by its account and its info text (unique per credit): what an earlier
 * attempt did when its answer was lost.
 */
export async function paymentOfCredit(
  db: Db,
  credit: Pick<DbHostCreditRow, 'account' | 'info'>,
): Promise<FoundPayment | undefined> {
  const row = (await db('payment')
    .where({ account: credit.account, info: credit.info })
    .orderBy('id')
    .first('id', 'status')) as { id: number; status: number } | undefined;
  return row && { id: Number(row.id), credited: Number(row.status) === HOST_PAYMENT_STATUS.credited };
}

/**
 * The host expense a debit made, found by its account and its name (unique per debit, host/facts.ts): what an earlier
 * attempt did when its answer was lost.
 */
export async function expenseOfDebit(
  db: Db,
  debit: Pick<DbHostCreditRow, 'account' | 'info'>,
): Promise<number | undefined> {
  const row = (await db('expense')
    .where({ account: debit.account, name: debit.info })
    .orderBy('id')
    .first('id')) as { id: number } | undefined;
  return row && Number(row.id);
}

/** The host currency id of an ISO code, or undefined when the host has no such currency. */
export async function currencyIdOf(db: Db, iso: string): Promise<number | undefined> {
  const row = (await db('currency').where({ iso }).orderBy('id').first('id')) as { id: number } | undefined;
  return row && Number(row.id);
}

/** The payments the plugin itself made: a subquery of payment ids, for telling them apart from clients' own. */
export const PLUGIN_PAYMENTS_SQL = `SELECT payment FROM ${HOST_CREDIT_TABLE} WHERE payment IS NOT NULL`;

/**
 * The expenses the plugin itself booked (funds taken back): a subquery of expense ids. They are no charge for a
 * service, so they earn no affiliate reward, count as no spending and are discounted by no promotion.
 */
export const PLUGIN_EXPENSES_SQL = `SELECT expense FROM ${HOST_CREDIT_TABLE} WHERE expense IS NOT NULL`;

/**
 * The plugin's debits whose expense is not recorded yet, as (account, name): between the core's answer and the
 * record, or until a lost answer is found, the expense is in the host's table but not in PLUGIN_EXPENSES_SQL.
 */
const UNRECORDED_DEBITS_SQL = `SELECT account, info FROM ${HOST_CREDIT_TABLE} WHERE kind = 'debit' AND expense IS NULL`;

/**
 * SQL true when the host expense of `alias` is a client's charge, not one the plugin booked: neither a recorded
 * expense of the plugin nor, by its account and name (unique per debit), one whose record is still to come.
 */
export function notPluginExpense(alias: string): string {
  // The uncorrelated NOT EXISTS is evaluated once: when no debit waits for its record (nearly always), the
  // expenses are not matched by name at all.
  return (
    `(${alias}.id NOT IN (${PLUGIN_EXPENSES_SQL}) AND (NOT EXISTS (${UNRECORDED_DEBITS_SQL}) OR ` +
    `(${alias}.account, COALESCE(${alias}.name, '')) NOT IN (${UNRECORDED_DEBITS_SQL})))`
  );
}
