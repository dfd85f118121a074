/**
 * The production ports of the redemption service, in one place. The credit is the host adapter's: a certificate's
 * credit, or the expiry taking its unspent funds back, joins the outbox (`bmp_host_credit`, unique by its source) in
 * the ledger entry's transaction, and host/credit.ts's `payPendingCredits` makes it through the core afterwards (a
 * payment, or an expense for funds taken back; the CLI does at once). The eligibility check is Promotions I's
 * single-client check (issue 14).
 */
import { enqueueCredits, enqueueDebit } from '../../db/host-credit';
import { PROMOTION_CREDIT_KEY_PREFIX } from '../../db/promotion/ledger';
import { formatDateTime } from '../../domain/dates';
import { checkAccount } from '../eligibility';
import type { CreditAccount, Eligibility, RedemptionPorts } from './ports';

/**
 * Promotions I's single-client check, the one that decides at redemption (it runs inside the redemption's
 * transaction); a refusal names the first condition the client does not meet, in its explanation's words.
 */
const eligibility: Eligibility = async (db, promotionId, accountId, now, codeKey) => {
  const result = await checkAccount(db, promotionId, accountId, {
    now,
    ...(codeKey !== undefined ? { code: codeKey } : {}),
  });
  const failed = result.conditions.find((c) => !c.passed);
  return { eligible: result.eligible, ...(failed ? { failed: failed.text } : {}) };
};

/** The outbox key of a promotion's credit: its ledger entry. */
export function creditKey(source: string): string {
  return `${PROMOTION_CREDIT_KEY_PREFIX}${source}`;
}

export function outboxCredit(now: Date): CreditAccount {
  return async (db, credit) => {
    if (credit.amount.minor === 0n) throw new Error(`a credit of nothing (${credit.source}) is never made`);
    if (credit.amount.minor < 0n) {
      await enqueueDebit(db, {
        credit_key: creditKey(credit.source),
        account: credit.account,
        project: credit.project,
        amount_minor: (-credit.amount.minor).toString(),
        currency: credit.amount.currency,
        info: credit.info,
        created_at: formatDateTime(now),
      });
      return { payment: null };
    }
    await enqueueCredits(
      db,
      'SELECT ? AS credit_key, ? AS account, ? AS project, ? AS amount_minor, ? AS currency, ? AS info, ? AS created_at',
      [
        creditKey(credit.source),
        credit.account,
        credit.project,
        credit.amount.minor.toString(),
        credit.amount.currency,
        credit.info,
        formatDateTime(now),
      ],
    );
    return { payment: null };
  };
}

export function productionPorts(now: Date): RedemptionPorts {
  return { now, eligibility, credit: outboxCredit(now) };
}
