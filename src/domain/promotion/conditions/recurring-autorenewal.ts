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
  check: ({ facts }) => ({
    passed: facts.recurring.recurringPayment && facts.recurring.autoRenewServices > 0,
    text: `recurring payment ${facts.recurring.recurringPayment ? 'set up' : 'not set up'}, services with auto-renewal ${facts.recurring.autoRenewServices}; needs a recurring payment and at least one such service`,
  }),
});
