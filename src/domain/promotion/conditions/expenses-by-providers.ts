/**
 * 17. Amount of expenses by the selected providers over the period: as 5, over the expenses at every selected
 * provider together.
 */
import { amount, cmp, defineCondition, idList, iso, periodType, positiveInt } from '../condition';
import { lastPeriodText, moneyExplanation, moneyPasses, periodStart } from './shared';

export const expensesByProviders = defineCondition({
  code: 'expenses_by_providers',
  title: 'Amount of expenses by the selected providers over the period',
  args: {
    providers: idList(),
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
      projects: [...args.providers].sort((a, b) => a - b),
    } as const,
  }),
  check: ({ facts, args }) => moneyPasses(facts.expenses, args.comparison, args.amount),
  explain: ({ facts, args }) =>
    moneyExplanation(
      `expenses at providers ${args.providers.join(', ')} over ${lastPeriodText(args.periodType, args.length)}`,
      facts.expenses,
      args.comparison,
      args.amount,
    ),
});
