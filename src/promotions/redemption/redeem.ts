/**
 * Redeeming a promo code or a certificate (issue 15). One short transaction: the redemption row first (unique by
 * its idempotency key, so a retried request gets the first answer) and its ledger entry, then the counters in a
 * fixed order (the client's uses of the promotion, the client's uses of the code, the code's uses), each a
 * conditional UPDATE `... WHERE uses < limit`; when any one does not move, the whole transaction is rolled back
 * and the client gets the reason. Nothing is read and then written back, so two redeemers at once can never both
 * take the last use.
 *
 * A reservation (at order) holds the uses until it is committed (at payment) or released (cancelled, or its hold
 * ran out: release.ts). Refusals are values; the rollback inside is how they undo the row and the counters.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { formatDateTime, localDateTime } from '../../domain/dates';
import { ConflictError } from '../../domain/errors';
import { money, parseMoney, percentOf, type Money } from '../../domain/money';
import {
  ATTEMPT_LIMITS,
  promotionAlreadyUsed,
  refusal,
  type Refusal,
  type RefusalReason,
} from '../../domain/promotion/codes/refusals';
import { codeKey } from '../../domain/promotion/codes/template';
import { usesPerClientOf } from '../../domain/promotion/conditions';
import { batchById, codeById, codeByKey, type DbPromotionCodeBatchRow } from '../../db/promotion/codes';
import { addEntry } from '../../db/promotion/ledger';
import { conditionRows } from '../../db/promotion/tables';
import {
  accountCurrency,
  attemptByKey,
  insertRedemption,
  lastCreditedPayment,
  promotionTerms,
  recordAttempt,
  redemptionByKey,
  refusedAttempts,
  takeCodeClientUse,
  takeCodeUse,
  takePromotionClientUse,
  type DbPromotionRedemptionRow,
} from '../../db/promotion/redemption';
import { withTransaction } from '../../db/transaction';
import { creditCertificate } from './commit';
import type { RedemptionPorts } from './ports';
import { redemptionView, type RedemptionView } from './view';

/** How long a reservation holds its uses by default: a bank transfer can take days. */
export const DEFAULT_HOLD_HOURS = 7 * 24;

export interface RedeemRequest {
  account: number;
  /** As the client typed it. */
  code: string;
  /** The idempotency key: the same key gives the same answer. Without one, the request is not retried safely. */
  key?: string;
  /** The client's address, for the attempt limit. */
  address?: string;
  /** `commit` (the default): used now; `reserve`: held for an order until committed or released. */
  mode?: 'commit' | 'reserve';
  orderRef?: string;
  holdHours?: number;
}

export type RedeemOutcome =
  | { redeemed: true; replayed: boolean; redemption: RedemptionView }
  | { redeemed: false; replayed: boolean; refusal: Refusal };

/** Thrown inside the transaction to roll it back; becomes the refusal value outside. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

function refuse(reason: RefusalReason, failedCondition?: string): never {
  throw new Refused(refusal(reason, failedCondition));
}

export async function redeem(
  db: Knex,
  request: RedeemRequest,
  ports: RedemptionPorts,
): Promise<RedeemOutcome> {
  const key = request.key ?? `auto:${randomUUID()}`;
  const typedKey = codeKey(request.code);
  const replay = await firstAnswer(db, key, request.account, typedKey);
  if (replay) return replay;

  const at = formatDateTime(ports.now);
  const since = formatDateTime(new Date(ports.now.getTime() - ATTEMPT_LIMITS.windowMinutes * 60_000));
  const refused = await refusedAttempts(db, request.account, request.address ?? null, since);
  if (refused.account >= ATTEMPT_LIMITS.perAccount || refused.address >= ATTEMPT_LIMITS.perAddress) {
    const answer = refusal('too_many_attempts');
    // Not kept under the key: once the window has passed, the same request is answered on its merits.
    await recordAttempt(db, attempt(request, typedKey, null, at, answer));
    return { redeemed: false, replayed: false, refusal: answer };
  }

  let outcome: RedeemOutcome;
  try {
    const redemption = await withTransaction(db, (trx) => redeemIn(trx, request, key, typedKey, ports), {
      deadlockRetries: 5,
      // The same key redeemed meanwhile by a concurrent copy of this request: its answer is ours.
      onConflict: () => undefined,
    });
    if (redemption === undefined) {
      const again = await firstAnswer(db, key, request.account, typedKey);
      if (again) return again;
      throw new ConflictError('redemption', `the request ${key} was answered meanwhile: try again`);
    }
    outcome = { redeemed: true, replayed: false, redemption };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    outcome = { redeemed: false, replayed: false, refusal: err.refusal };
  }
  await recordAttempt(
    db,
    attempt(
      request,
      typedKey,
      key,
      at,
      outcome.redeemed ? null : outcome.refusal,
      outcome.redeemed ? outcome.redemption.id : null,
    ),
  );
  return outcome;
}

async function redeemIn(
  trx: Knex.Transaction,
  request: RedeemRequest,
  key: string,
  typedKey: string,
  ports: RedemptionPorts,
): Promise<RedemptionView> {
  const code = await codeByKey(trx, typedKey);
  if (!code) refuse('unknown');
  if (code.revoked_at !== null) refuse('revoked');
  const batch = code.batch === null ? undefined : await batchById(trx, Number(code.batch));
  const promotion = await promotionTerms(trx, Number(code.promotion));
  if (!promotion) refuse('unknown');
  if (promotion.status === 'draft') refuse('not_yet_active');
  if (promotion.status !== 'active') refuse('expired');
  const ownWindow = batch !== undefined && batch.active_from !== null;
  const from = ownWindow ? batch.active_from : promotion.starts_at;
  const until = ownWindow ? batch.active_until : promotion.ends_at;
  const local = localDateTime(ports.now);
  if (from !== null && local < from) refuse('not_yet_active');
  if (until !== null && local >= until) refuse('expired');
  const eligible = await ports.eligibility(trx, promotion.id, request.account, ports.now, typedKey);
  if (!eligible.eligible) refuse('not_eligible', eligible.failed);

  const amount =
    code.kind === 'certificate' && batch ? await certificateAmount(trx, batch, request.account) : null;
  const mode = request.mode ?? 'commit';
  const at = formatDateTime(ports.now);
  const holdHours = request.holdHours ?? DEFAULT_HOLD_HOURS;
  const row = {
    idempotency_key: key,
    promotion: promotion.id,
    code: code.id,
    account: request.account,
    status: mode === 'commit' ? ('committed' as const) : ('reserved' as const),
    order_ref: request.orderRef ?? null,
    amount_minor: amount ? amount.money.minor.toString() : null,
    currency: amount ? amount.money.currency : null,
    based_on_payment: amount?.payment ?? null,
    reserved_at: at,
    hold_until:
      mode === 'reserve' ? formatDateTime(new Date(ports.now.getTime() + holdHours * 3_600_000)) : null,
    committed_at: mode === 'commit' ? at : null,
  };
  const currency = amount?.money.currency ?? (await accountCurrency(trx, request.account)) ?? 'USD';
  const id = await insertRedemption(trx, row);
  await addEntry(trx, {
    account: request.account,
    promotion: promotion.id,
    redemption: id,
    kind: 'redemption',
    source: `redemption:${id}`,
    amount_minor: '0',
    currency,
    valid_until: null,
    created_at: at,
  });

  // The counters in their fixed order, the most contended last so that its row is locked only until the commit:
  // the client's uses of the promotion, of the code, then the code's. One that does not move undoes everything.
  const clientLimit = usesPerClientOf(
    promotion.per_client_limit,
    (await conditionRows(trx, promotion.id)).map((c) => c.code),
  );
  if (!(await takePromotionClientUse(trx, promotion.id, request.account, clientLimit)))
    throw new Refused(promotionAlreadyUsed());
  if (!(await takeCodeClientUse(trx, Number(code.id), request.account, batch?.per_client_limit ?? null)))
    refuse('already_used');
  if (!(await takeCodeUse(trx, Number(code.id)))) refuse('used_up');

  const saved: DbPromotionRedemptionRow = { ...row, id, released_at: null, release_reason: null };
  if (mode === 'commit' && amount && batch) await creditCertificate(trx, saved, batch, ports);
  return redemptionView(saved, code.code);
}

/** A certificate's amount: fixed, or the percentage of the client's last credited payment (recorded). */
async function certificateAmount(
  trx: Knex.Transaction,
  batch: DbPromotionCodeBatchRow,
  account: number,
): Promise<{ money: Money; payment: number | null }> {
  if (batch.amount_kind === 'last_payment') {
    const payment = await lastCreditedPayment(trx, account);
    if (!payment) refuse('no_payment');
    return {
      money: percentOf(parseMoney(payment.amount, payment.currency), batch.percent ?? '0'),
      payment: payment.id,
    };
  }
  return { money: money(BigInt(String(batch.amount_minor ?? 0)), batch.currency ?? 'USD'), payment: null };
}

/** The answer a key already has: its redemption, or the refusal recorded under it. */
async function firstAnswer(
  db: Knex,
  key: string,
  account: number,
  typedKey: string,
): Promise<RedeemOutcome | undefined> {
  const done = await redemptionByKey(db, key);
  if (done) {
    const view = redemptionView(done, await codeText(db, Number(done.code)));
    if (done.account !== account || codeKey(view.code) !== typedKey)
      throw new ConflictError('redemption', `the key ${key} was used for another account or code`);
    return { redeemed: true, replayed: true, redemption: view };
  }
  const tried = await attemptByKey(db, key);
  if (tried && tried.outcome === 'refused') {
    if (tried.account !== account || tried.code_key !== typedKey)
      throw new ConflictError('redemption', `the key ${key} was used for another account or code`);
    return {
      redeemed: false,
      replayed: true,
      refusal: refusal(tried.reason as RefusalReason, tried.failed_condition ?? undefined),
    };
  }
  return undefined;
}

async function codeText(db: Knex, id: number): Promise<string> {
  return (await codeById(db, id))?.code ?? '';
}

function attempt(
  request: RedeemRequest,
  typedKey: string,
  key: string | null,
  at: string,
  answer: Refusal | null,
  redemption: number | null = null,
) {
  return {
    account: request.account,
    address: request.address ?? null,
    code_key: typedKey.slice(0, 64),
    idempotency_key: key,
    outcome: answer === null ? ('redeemed' as const) : ('refused' as const),
    reason: answer?.reason ?? null,
    failed_condition: answer?.failedCondition?.slice(0, 255) ?? null,
    redemption,
    at,
  };
}
