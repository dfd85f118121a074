/**
 * 5. Expenses over a period: the client's expenses at the promotion's provider, in one currency, over the last
 * `length` days/months/years: from now minus the period to now, both moments included.
 */
import { amount, cmp, defineCondition, iso, periodType, positiveInt } from '../condition';
import { lastPeriodText, moneyExplanation, moneyPasses, periodStart } from './shared';

export const expensesOverPeriod = defineCondition({
  code: 'expenses_over_period',
  title: 'Expenses over period',
  args: {
    comparison: cmp(),
    periodType: periodType(),
    length: positiveInt(),
    amount: amount(),
    currency: iso(),
  },
  needs: (args, context) => ({
    expenses: {
      kind: 'expenses',
      from: periodStart(context.now, args.periodType, args.length),
      to: context.now,
      currency: args.currency,
      projects: [context.promotion.project],
    } as const,
  }),
  check: ({ facts, args }) => moneyPasses(facts.expenses, args.comparison, args.amount),
  explain: ({ facts, args }) =>
    moneyExplanation(
      `expenses over ${lastPeriodText(args.periodType, args.length)}`,
      facts.expenses,
      args.comparison,
      args.amount,
    ),
});
