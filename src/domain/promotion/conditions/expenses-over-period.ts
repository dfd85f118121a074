/**
 * 5. Expenses over a period: the client's expenses at the promotion's provider, in one currency, over the last
 * `length` days/months/years: from now minus the period to now, both moments included.
 */
import { defineCondition } from '../condition';
import {
  lastPeriodText,
  moneyExplanation,
  moneyOverPeriodArgs,
  moneyOverPeriodNeed,
  moneyPasses,
} from './shared';

export const expensesOverPeriod = defineCondition({
  code: 'expenses_over_period',
  title: 'Expenses over period',
  args: moneyOverPeriodArgs(),
  needs: (args, context) => ({
    expenses: moneyOverPeriodNeed('expenses', args, context.now, [context.promotion.project]),
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
