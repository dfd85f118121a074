/**
 * 6. Payments over a period: the client's credited payments at the promotion's provider, in one currency, over
 * the last `length` days/months/years (by the day credited: now minus the period to now, both included).
 */
import { amount, cmp, defineCondition, iso, periodType, positiveInt } from '../condition';
import { lastPeriodText, moneyExplanation, moneyPasses, periodStart } from './shared';

export const paymentsOverPeriod = defineCondition({
  code: 'payments_over_period',
  title: 'Payments over period',
  args: {
    comparison: cmp(),
    periodType: periodType(),
    length: positiveInt(),
    amount: amount(),
    currency: iso(),
  },
  needs: (args, context) => ({
    payments: {
      kind: 'payments',
      from: periodStart(context.now, args.periodType, args.length),
      to: context.now,
      currency: args.currency,
      projects: [context.promotion.project],
    } as const,
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
