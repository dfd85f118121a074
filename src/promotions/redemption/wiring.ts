/**
 * The production ports of the redemption service, in one place. The eligibility check is Promotions I's
 * single-client check (issue 14) and the credit is the host adapter's one credit function (src/host/): until each
 * is wired here, a redemption that needs it fails loudly, naming what is missing, rather than pass unchecked.
 */
import type { CreditAccount, Eligibility, RedemptionPorts } from './ports';

const eligibility: Eligibility = async () => {
  throw new Error(
    "the promotion eligibility check (Promotions I's single-client check) is not wired in: src/promotions/redemption/wiring.ts",
  );
};

const credit: CreditAccount = async () => {
  throw new Error(
    "the host adapter's credit function is not wired in: src/promotions/redemption/wiring.ts (certificates cannot be credited)",
  );
};

export function productionPorts(now: Date): RedemptionPorts {
  return { now, eligibility, credit };
}
