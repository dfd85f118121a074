/**
 * 11. Recurring payment and auto-renewal: the client has set up a recurring payment and has at least one service
 * with auto-renewal (which host columns say so is [assumed]: src/db/promotion/host-facts.ts).
 */
import { defineCondition } from '../condition';

export const recurringAutoRenewal = defineCondition({
  code: 'recurring_autorenewal',
  title: 'Presence of recurring payment and auto-renewal',
  args: {},
  needs: () => ({ recurring: { kind: 'recurring' } as const }),
  check: ({ facts }) => facts.recurring.recurringPayment && facts.recurring.autoRenewServices > 0,
  explain: ({ facts }) =>
    `recurring payment ${facts.recurring.recurringPayment ? 'set up' : 'not set up'}, services with auto-renewal ${facts.recurring.autoRenewServices}; needs a recurring payment and at least one such service`,
});
