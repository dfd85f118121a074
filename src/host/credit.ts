/**
 * Crediting a client's account, the one way the plugin does it (contract section 3: never `UPDATE account SET
 * balance`): each credit waiting in `bmp_host_credit` becomes a payment through the core's `payment.add`, which
 * `payment.setpaid` then credits. A debit (funds taken back) becomes an expense through `expense.edit`. Each is made
 * once: its key is unique, the payment or expense id is recorded as soon as the core answers it, and one whose
 * answer was lost (the process killed between the call and the record) is found again in `payment` or `expense`
 * by its text before the core is asked a second time.
 */
import type { Knex } from 'knex';
import type { Mgrctl } from '../contract/mgrctl';
import { redact } from '../contract/redact';
import {
  countUnfinishedCredits,
  currencyIdOf,
  expenseOfDebit,
  markAdded,
  markAttempt,
  markDebited,
  markDone,
  markFailed,
  paymentOfCredit,
  unfinishedCredits,
  type DbHostCreditRow,
} from '../db/host-credit';
import { tryNamedLock } from '../db/named-lock';
import { money, toMajorString } from '../domain/money';
import { localDateTime } from '../domain/dates';
import { addedExpenseId, addedPaymentId, call, coreCalls } from './core';
import { forEachBounded } from './pool';

export interface CreditOptions {
  /** mgrctl calls at once (BMP_CALLBACK_CONCURRENCY); each credit's own two calls stay in order. */
  concurrency: number;
  now: () => Date;
  /** Credits read from the outbox at a time. */
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface FailedCredit {
  key: string;
  account: number;
  error: string;
}

export interface CreditReport {
  /** Credits made (payments), and debits made (expenses taking funds back). */
  credited: number;
  debited: number;
  failed: FailedCredit[];
  /** True when another process held the credit lock: it is crediting, so this one left the outbox to it. */
  busy: boolean;
  /** Credits still waiting when this one ended: refused ones, and any added meanwhile. */
  waiting: number;
}

const LOCK = { purpose: 'host-credit' } as const;

/**
 * Makes every credit still waiting. Two processes at once: the second finds the lock held and leaves the work to
 * the first (its credits are in the outbox either way). A credit the core refuses stays waiting with its error,
 * is reported with its key, and does not stop the others.
 */
export async function payPendingCredits(
  db: Knex,
  mgrctl: Mgrctl,
  options: CreditOptions,
): Promise<CreditReport> {
  const lock = await tryNamedLock(db, LOCK, options.now());
  if (!lock)
    return { credited: 0, debited: 0, failed: [], busy: true, waiting: await countUnfinishedCredits(db) };
  try {
    const report: CreditReport = { credited: 0, debited: 0, failed: [], busy: false, waiting: 0 };
    const total = await countUnfinishedCredits(db);
    const pageSize = options.pageSize ?? 500;
    for (let after = 0; ;) {
      const page = await unfinishedCredits(db, after, pageSize);
      if (page.length === 0) break;
      // Accounts in parallel, each account's credits one after another in the order they were booked: the
      // account's payments come in the ledger's order, and two credits never race on one balance.
      await forEachBounded([...byAccount(page).values()], options.concurrency, async (credits) => {
        for (const credit of credits) {
          try {
            if (credit.kind === 'debit') {
              await debitOne(db, mgrctl, credit, options.now);
              report.debited += 1;
            } else {
              await creditOne(db, mgrctl, credit, options.now);
              report.credited += 1;
            }
          } catch (err) {
            const error = redact(err instanceof Error ? err.message : String(err));
            await markFailed(db, credit.id, error);
            report.failed.push({ key: credit.credit_key, account: Number(credit.account), error });
          }
          options.onProgress?.(report.credited + report.debited + report.failed.length, total);
        }
      });
      after = Number(page[page.length - 1]?.id ?? after);
    }
    return { ...report, waiting: await countUnfinishedCredits(db) };
  } finally {
    await lock.release();
  }
}

function byAccount(credits: readonly DbHostCreditRow[]): Map<number, DbHostCreditRow[]> {
  const groups = new Map<number, DbHostCreditRow[]>();
  for (const credit of credits) {
    const account = Number(credit.account);
    groups.set(account, [...(groups.get(account) ?? []), credit]);
  }
  return groups;
}

async function creditOne(db: Knex, mgrctl: Mgrctl, credit: DbHostCreditRow, now: () => Date): Promise<void> {
  let payment = credit.payment === null ? undefined : Number(credit.payment);
  let credited = false;
  if (payment === undefined && credit.attempts > 0) {
    // An earlier attempt may have made the payment and died before it was recorded.
    const found = await paymentOfCredit(db, credit);
    if (found) ({ id: payment, credited } = found);
  } else if (payment !== undefined && credit.state === 'added') {
    credited = (await paymentOfCredit(db, credit))?.credited === true;
  }
  await markAttempt(db, credit.id);
  if (payment === undefined) {
    const { currency, amount } = await hostAmount(db, credit);
    payment = addedPaymentId(
      await call(
        mgrctl,
        coreCalls.addPayment({
          account: Number(credit.account),
          project: Number(credit.project),
          amount,
          currency,
          info: credit.info,
        }),
      ),
    );
    await markAdded(db, credit.id, payment);
  }
  if (!credited) await call(mgrctl, coreCalls.setPaid(payment));
  await markDone(db, credit.id, payment, localDateTime(now()));
}

/** One call, `expense.edit`; a debit tried before is first looked for in `expense`, so it is never booked twice. */
async function debitOne(db: Knex, mgrctl: Mgrctl, debit: DbHostCreditRow, now: () => Date): Promise<void> {
  const found = debit.attempts > 0 ? await expenseOfDebit(db, debit) : undefined;
  let expense = found;
  if (expense === undefined) {
    const { currency, amount } = await hostAmount(db, debit);
    await markAttempt(db, debit.id);
    expense = addedExpenseId(
      await call(
        mgrctl,
        coreCalls.addExpense({
          account: Number(debit.account),
          project: Number(debit.project),
          amount,
          currency,
          name: debit.info,
        }),
      ),
    );
  }
  await markDebited(db, debit.id, expense, localDateTime(now()));
}

/** The outbox row's amount as the core takes it: the host currency id and a decimal string in major units. */
async function hostAmount(db: Knex, row: DbHostCreditRow): Promise<{ currency: number; amount: string }> {
  const currency = await currencyIdOf(db, row.currency);
  if (currency === undefined) throw new Error(`the host has no currency ${row.currency}`);
  return { currency, amount: toMajorString(money(BigInt(row.amount_minor), row.currency)) };
}
