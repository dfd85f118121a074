/**
 * 17. Amount of expenses by the selected providers over the period: as 5, over the expenses at every selected
 * provider together.
 */
import { defineCondition, idList } from '../condition';
import {
  lastPeriodText,
  moneyExplanation,
  moneyOverPeriodArgs,
  moneyOverPeriodNeed,
  moneyPasses,
} from './shared';

export const expensesByProviders = defineCondition({
  code: 'expenses_by_providers',
  title: 'Amount of expenses by the selected providers over the period',
  args: { providers: idList(), ...moneyOverPeriodArgs() },
  needs: (args, context) => ({
    expenses: moneyOverPeriodNeed(
      'expenses',
      args,
      context.now,
      [...args.providers].sort((a, b) => a - b),
    ),
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
