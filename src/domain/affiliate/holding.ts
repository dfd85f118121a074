/**
 * The holding area (seed 001): earned credit is pending until the commission delay has passed after the
 * referred invoice was paid, then available; available credit is applied to the partner's balance or paid out
 * on a withdrawal request of at least the minimum. Every move is an entry of the append-only ledger.
 *
 *   earned    +  a reward (pending until its `available_on` date)
 *   reversed  -  a clawback of a reward (refund or cancellation of the referred payment), pending or not
 *   cleared   +/- pending credit whose date has come, moved to available (one entry per run)
 *   applied   -  available credit paid onto the partner's balance (a host payment row)
 *   withdrawn -  available credit reserved by a withdrawal request (+ when the request is rejected)
 *
 * pending = earned + reversed - cleared;  available = cleared + applied + withdrawn.
 */
import { compare, type Money } from '../money';
import { addDays } from './period';

export const ENTRY_KINDS = ['earned', 'cleared', 'applied', 'withdrawn', 'reversed'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The first day a reward is available: `delayDays` after the day the referred invoice was paid. */
export function availableOn(paidOn: string, delayDays: number): string {
  return addDays(paidOn, delayDays);
}

export type WithdrawalRefusal = 'not_positive' | 'below_minimum' | 'over_available';

export function withdrawalRefusal(
  requested: Money,
  available: Money,
  minimum: Money,
): WithdrawalRefusal | undefined {
  if (requested.minor <= 0n) return 'not_positive';
  if (compare(requested, minimum) < 0) return 'below_minimum';
  if (compare(requested, available) > 0) return 'over_available';
  return undefined;
}

export const WITHDRAWAL_REFUSAL_TEXT: Readonly<Record<WithdrawalRefusal, string>> = {
  not_positive: 'a withdrawal must be of a positive amount',
  below_minimum: 'the amount is below the minimum withdrawal',
  over_available: 'the amount is more than the available credit',
};
