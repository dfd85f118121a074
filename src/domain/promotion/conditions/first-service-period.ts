/**
 * 10. Period from the order or activation of the first service: now minus the period, compared with the day of
 * the first service. A client without services compares with today (seed 002), so "less than" a period passes.
 */
import { dayOf } from '../calendar';
import { cmp, defineCondition, periodType, positiveInt } from '../condition';
import { periodAgo, periodAgoText } from './shared';

export const firstServicePeriod = defineCondition({
  code: 'first_service_period',
  title: 'Period from the ordering/activation of the first service',
  args: { comparison: cmp(), periodType: periodType(), length: positiveInt() },
  needs: () => ({ first: { kind: 'firstService' } as const }),
  check: ({ facts, args, context }) => {
    const today = dayOf(context.now);
    return periodAgo(facts.first ?? today, today, args.comparison, args.periodType, args.length);
  },
  explain: ({ facts, args, context }) => {
    const today = dayOf(context.now);
    return periodAgoText(
      facts.first === null ? 'no services yet: compared with today' : 'first service',
      facts.first ?? today,
      today,
      args.comparison,
      args.periodType,
      args.length,
    );
  },
});
