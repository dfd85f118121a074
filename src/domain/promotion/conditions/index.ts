/** The 17 condition types of seed 002, in the seed's order, by code. A code not listed fails closed. */
import type { AnyCondition } from '../condition';
import { affiliateProgram } from './affiliate-program';
import { certificateUses } from './certificate-uses';
import { clientGroups } from './client-groups';
import { expensesByProviders } from './expenses-by-providers';
import { expensesOverPeriod } from './expenses-over-period';
import { firstServiceDate } from './first-service-date';
import { firstServicePeriod } from './first-service-period';
import { hasService } from './has-service';
import { noConditions } from './none';
import { paymentsOverPeriod } from './payments-over-period';
import { promoCode } from './promo-code';
import { recurringAutoRenewal } from './recurring-autorenewal';
import { registrationDate } from './registration-date';
import { registrationPeriod } from './registration-period';
import { serviceCount } from './service-count';
import { serviceExpirationDate } from './service-expiration-date';
import { serviceOrderDate } from './service-order-date';

export const CONDITION_TYPES: readonly AnyCondition[] = [
  noConditions,
  registrationPeriod,
  serviceCount,
  hasService,
  expensesOverPeriod,
  paymentsOverPeriod,
  promoCode,
  affiliateProgram,
  clientGroups,
  firstServicePeriod,
  recurringAutoRenewal,
  serviceOrderDate,
  serviceExpirationDate,
  certificateUses,
  firstServiceDate,
  registrationDate,
  expensesByProviders,
];

const BY_CODE = new Map(CONDITION_TYPES.map((entry) => [entry.code, entry]));

/**
 * The uses per client a promotion allows: its own limit (null: no limit), lowered by any of its conditions that
 * allows fewer (has_service: once).
 */
export function usesPerClientOf(ownLimit: number | null, conditionCodes: readonly string[]): number | null {
  let limit = ownLimit;
  for (const code of conditionCodes) {
    const cap = BY_CODE.get(code)?.usesPerClient;
    if (cap !== undefined && (limit === null || cap < limit)) limit = cap;
  }
  return limit;
}

/** The entry of a code, or undefined: the caller fails the condition closed. */
export function conditionType(code: string): AnyCondition | undefined {
  return BY_CODE.get(code);
}
