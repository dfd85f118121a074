/**
 * The holding area (src/domain/affiliate/holding.ts): clearing pending credit whose date has come, applying
 * available credit to the partner's balance as a host payment, withdrawals. All sums are over integer minor
 * units, so SQL adds them exactly; nothing here rounds.
 */
import type { Knex } from 'knex';
import type { Mgrctl } from '../contract/mgrctl';
import { payPendingCredits } from '../host/credit';
import { withTransaction } from '../db/transaction';
import { money, type Money } from '../domain/money';
import { withdrawalRefusal, WITHDRAWAL_REFUSAL_TEXT } from '../domain/affiliate/holding';
import { toDate, toDateTime } from '../domain/affiliate/period';
import { AffiliateValidationError } from '../domain/affiliate/validation';
import { ConflictError, NotFoundError } from '../domain/errors';
import {
  appliedEntriesOfRun,
  enqueueAppliedCredits,
  balanceRows,
  insertApplications,
  insertClearings,
  type CreditSlot,
} from '../db/affiliate/holding';
import { appendEntries, entry } from '../db/affiliate/ledger';
import { findPartner } from '../db/affiliate/partners';
import { insertRun } from '../db/affiliate/runs';
import { lockPartners, type Db } from '../db/affiliate/sql';
import { toBigInt, type DbAffiliateWithdrawalRow } from '../db/affiliate/tables';
import {
  findWithdrawal,
  insertWithdrawal,
  listWithdrawalRows,
  settleRequestedWithdrawal,
} from '../db/affiliate/withdrawals';
import { loadSettings } from './settings';

export type { CreditSlot };

/** Moves the partners' pending credit whose `available_on` has come to available: one `cleared` entry each. */
export async function clearDueCredit(db: Db, affiliates: readonly number[], slot: CreditSlot): Promise<void> {
  if (affiliates.length > 0) await insertClearings(db, affiliates, slot);
}

/**
 * Seed 000's automatic payment: each partner's positive available credit becomes an `applied` entry and a paid
 * host payment on the partner's account, and the account's balance grows by it when the currencies match
 * ([assumed]: the core keeps `account.balance` as a stored sum of paid payments). Credit in a currency the host
 * does not know stays available.
 */
export async function applyAvailableCredit(
  db: Db,
  affiliates: readonly number[],
  slot: CreditSlot,
): Promise<void> {
  if (affiliates.length === 0) return;
  await insertApplications(db, affiliates, slot);
  if (slot.run !== null) await enqueueAppliedCredits(db, affiliates, { id: slot.run, now: slot.now });
}

export interface PartnerBalance {
  currency: string;
  pending: Money;
  available: Money;
  /** Everything ever paid onto the balance or withdrawn. */
  paidOut: Money;
}

/** The partner's holding area per currency: pending (not yet cleared), available, and paid out. */
export async function balancesOf(db: Db, affiliate: number): Promise<PartnerBalance[]> {
  const rows = await balanceRows(db, affiliate);
  return rows.map((row) => ({
    currency: row.currency,
    pending: money(toBigInt(row.pending), row.currency),
    available: money(toBigInt(row.available), row.currency),
    paidOut: money(toBigInt(row.paid_out), row.currency),
  }));
}

/**
 * Applies the partner's available credit to its balance now (an admin's "apply", when the settings do not
 * apply automatically), credited through `core` at once when given. Returns what was applied per currency.
 */
export async function applyNow(
  db: Knex,
  affiliate: number,
  now: Date,
  core?: { mgrctl: Mgrctl; concurrency: number },
): Promise<Money[]> {
  const applied = await withTransaction(db, async (trx) => {
    await lockPartners(trx, [affiliate]);
    const run = await insertRun(trx, {
      period: toDate(now).slice(0, 7),
      run_date: toDate(now),
      started_at: toDateTime(now),
      finished_at: toDateTime(now),
      summary: JSON.stringify({ applyNow: affiliate }),
    });
    const slot: CreditSlot = {
      sourceKind: 'run',
      sourceId: run,
      period: 'once',
      today: toDate(now),
      now: toDateTime(now),
      run,
    };
    await clearDueCredit(trx, [affiliate], slot);
    await applyAvailableCredit(trx, [affiliate], slot);
    return (await appliedEntriesOfRun(trx, run)).map((row) =>
      money(-toBigInt(row.amount_minor), row.currency),
    );
  });
  if (core) await payPendingCredits(db, core.mgrctl, { concurrency: core.concurrency, now: () => now });
  return applied;
}

/**
 * A partner asks to be paid out: the amount must be at least the minimum and at most the available credit
 * (after clearing what is due). The request reserves the credit with a `withdrawn` entry and goes to the
 * settings' support department.
 */
export async function requestWithdrawal(
  db: Db,
  affiliate: number,
  amount: Money,
  now: Date,
): Promise<WithdrawalView> {
  return withTransaction(db, async (trx) => {
    await lockPartners(trx, [affiliate]);
    const partner = await findPartner(trx, affiliate);
    if (!partner) throw new NotFoundError('partner', `there is no partner ${affiliate}`);
    const settings = await loadSettings(trx);
    const withdrawalId = await insertWithdrawal(trx, {
      affiliate,
      amount_minor: amount.minor.toString(),
      currency: amount.currency,
      status: 'requested',
      department: settings.supportDepartment,
      requested_at: toDateTime(now),
    });
    await clearDueCredit(trx, [affiliate], {
      sourceKind: 'withdrawal',
      sourceId: withdrawalId,
      period: 'once',
      today: toDate(now),
      now: toDateTime(now),
      run: null,
    });
    const available =
      (await balancesOf(trx, affiliate)).find((b) => b.currency === amount.currency)?.available ??
      money(0n, amount.currency);
    const minimum =
      settings.currency === amount.currency
        ? money(settings.minWithdrawalMinor, amount.currency)
        : money(0n, amount.currency);
    const refusal = withdrawalRefusal(amount, available, minimum);
    if (refusal) throw new AffiliateValidationError('withdrawal', [WITHDRAWAL_REFUSAL_TEXT[refusal]]);
    await appendEntries(trx, [
      entry({
        kind: 'withdrawn',
        affiliate,
        account: partner.account,
        sourceKind: 'withdrawal',
        sourceId: withdrawalId,
        rule: 'withdrawal',
        period: 'once',
        amount: money(-amount.minor, amount.currency),
        createdAt: toDateTime(now),
        note: `withdrawal ${withdrawalId} requested`,
      }),
    ]);
    return withdrawalView(await findWithdrawalRow(trx, withdrawalId));
  });
}

/** An admin settles a request: paid (the credit is gone) or rejected (the credit comes back to available). */
export async function decideWithdrawal(
  db: Db,
  withdrawalId: number,
  decision: 'paid' | 'rejected',
  now: Date,
  note?: string,
): Promise<WithdrawalView> {
  return withTransaction(db, async (trx) => {
    const row = await findWithdrawal(trx, withdrawalId);
    if (!row) throw new NotFoundError('withdrawal', `there is no withdrawal ${withdrawalId}`);
    if (row.status !== 'requested') {
      throw new AffiliateValidationError('withdrawal', [
        `withdrawal ${withdrawalId} is already ${row.status}`,
      ]);
    }
    const settled = await settleRequestedWithdrawal(trx, withdrawalId, {
      status: decision,
      decided_at: toDateTime(now),
      note: note?.slice(0, 255) ?? null,
    });
    if (!settled) throw new ConflictError('withdrawal', `withdrawal ${withdrawalId} changed meanwhile`);
    if (decision === 'rejected') {
      const partner = await findPartner(trx, row.affiliate);
      if (!partner) throw new Error(`withdrawal ${withdrawalId} names no partner ${row.affiliate}`);
      await appendEntries(trx, [
        entry({
          kind: 'withdrawn',
          affiliate: row.affiliate,
          account: partner.account,
          sourceKind: 'withdrawal',
          sourceId: withdrawalId,
          rule: 'withdrawal_rejected',
          period: 'once',
          amount: money(toBigInt(row.amount_minor), row.currency),
          createdAt: toDateTime(now),
          note: `withdrawal ${withdrawalId} rejected`,
        }),
      ]);
    }
    return withdrawalView(await findWithdrawalRow(trx, withdrawalId));
  });
}

export async function listWithdrawals(
  db: Db,
  filter: { affiliate?: number; status?: string } = {},
): Promise<WithdrawalView[]> {
  return (await listWithdrawalRows(db, filter)).map(withdrawalView);
}

/** A payout request as the CLI and callers see it: the amount as Money. */
export interface WithdrawalView {
  readonly id: number;
  readonly affiliate: number;
  readonly amount: Money;
  readonly status: DbAffiliateWithdrawalRow['status'];
  readonly department: number | null;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly note: string | null;
}

function withdrawalView(row: DbAffiliateWithdrawalRow): WithdrawalView {
  return {
    id: Number(row.id),
    affiliate: Number(row.affiliate),
    amount: money(toBigInt(row.amount_minor), row.currency),
    status: row.status,
    department: row.department === null ? null : Number(row.department),
    requestedAt: String(row.requested_at),
    decidedAt: row.decided_at === null ? null : String(row.decided_at),
    note: row.note,
  };
}

async function findWithdrawalRow(db: Db, id: number): Promise<DbAffiliateWithdrawalRow> {
  const row = await findWithdrawal(db, id);
  if (!row) throw new Error(`withdrawal ${id} is gone`);
  return row;
}
