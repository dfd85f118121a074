/**
 * The production credit ports of the discount run. The host credit outbox (bmp_host_credit, enqueueCredits and
 * payPendingCredits) is on main, not on the promotions branch this was built on: until it is wired here, a run
 * fails loudly before it discounts anything rather than enter discounts it cannot credit.
 */
import type { DiscountCreditPorts } from './ports';

export class CreditsNotWired extends Error {}

export function productionCreditPorts(): DiscountCreditPorts | undefined {
  return undefined;
}

export function requireCreditPorts(ports: DiscountCreditPorts | undefined): DiscountCreditPorts {
  if (ports) return ports;
  throw new CreditsNotWired(
    "the host adapter's credit outbox is not wired in: src/promotions/discounts/wiring.ts (discounts cannot be credited)",
  );
}
