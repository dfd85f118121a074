/**
 * The production ports of the redemption service, in one place. The credit is the host adapter's: a certificate's
 * credit joins the outbox (`bmp_host_credit`, unique by its source) in the redemption's transaction, and
 * host/credit.ts's `payPendingCredits` makes it through the core afterwards (the CLI does at once). The
 * eligibility check is Promotions I's single-client check (issue 14): until it is wired here, a redemption that
 * reaches it fails loudly, naming what is missing, rather than pass unchecked.
 */
import { enqueueCredits } from '../../db/host-credit';
import { formatDateTime } from '../../domain/dates';
import type { CreditAccount, Eligibility, RedemptionPorts } from './ports';

const eligibility: Eligibility = async () => {
  throw new Error(
    "the promotion eligibility check (Promotions I's single-client check) is not wired in: src/promotions/redemption/wiring.ts",
  );
};

/** The outbox key of a promotion's credit: its ledger entry. */
export function creditKey(source: string): string {
  return `promotion:${source}`;
}

export function outboxCredit(now: Date): CreditAccount {
  return async (db, credit) => {
    // The core's credit functions make payments; taking funds back is not one of them (yet).
    if (credit.amount.minor <= 0n)
      throw new Error(
        `the host adapter can only credit: taking back ${credit.amount.minor} minor ${credit.amount.currency} ` +
          `from account ${credit.account} (${credit.source}) has no core function yet`,
      );
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
