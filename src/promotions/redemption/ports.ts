/**
 * What the redemption service is given rather than reaching for: the clock, the single-client eligibility check
 * (Promotions I, issue 14) and the host adapter's one credit function (contract section 3: crediting an account
 * goes through one core function). Each is a parameter, so the service is the same under test and in production.
 */
import type { Money } from '../../domain/money';
import type { Db } from '../../db/types';

/** Whether the account may use the promotion now; `failed` names the condition it does not meet. */
export type Eligibility = (
  db: Db,
  promotionId: number,
  accountId: number,
  now: Date,
  /** The normalised code being redeemed: the promotion's "promo code" condition is met by it. */
  codeKey?: string,
) => Promise<{ eligible: boolean; failed?: string }>;

export interface AccountCredit {
  account: number;
  /** The provider (the promotion's project). */
  project: number;
  /** Positive: funds onto the account; negative: funds taken back (an expiry). */
  amount: Money;
  /** The ledger entry it carries out, `ledger:<id>`: the host's payment names it, so it is never made twice. */
  source: string;
  /** Shown to the client with the payment; names the source, so it is unique per credit. */
  info: string;
}

/** The host adapter's credit function; answers the host payment it made, when the host names one. */
export type CreditAccount = (db: Db, credit: AccountCredit) => Promise<{ payment: number | null }>;

export interface RedemptionPorts {
  eligibility: Eligibility;
  credit: CreditAccount;
  now: Date;
}
