/**
 * 6. Payments over a period: the client's credited payments at the promotion's provider, in one currency, over
 * the last `length` days/months/years (by the day credited: now minus the period to now, both included).
 */
import { defineCondition } from '../condition';
import {
  lastPeriodText,
  moneyExplanation,
  moneyOverPeriodArgs,
  moneyOverPeriodNeed,
  moneyPasses,
} from './shared';

export const paymentsOverPeriod = defineCondition({
  code: 'payments_over_period',
  title: 'Payments over period',
  args: moneyOverPeriodArgs(),
  needs: (args, context) => ({
    payments: moneyOverPeriodNeed('payments', args, context.now, [context.promotion.project]),
  }),
  check: ({ facts, args }) => moneyPasses(facts.payments, args.comparison, args.amount),
  explain: ({ facts, args }) =>
    moneyExplanation(
      `credited payments over ${lastPeriodText(args.periodType, args.length)}`,
      facts.payments,
      args.comparison,
      args.amount,
    ),
});
