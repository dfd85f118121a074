/** 2. Period from the registration date: now minus the period, compared with the registration day. */
import { dayOf } from '../calendar';
import { cmp, defineCondition, periodType, positiveInt } from '../condition';
import { periodAgo, periodAgoText } from './shared';

export const registrationPeriod = defineCondition({
  code: 'registration_period',
  title: 'Period from the registration date',
  args: { comparison: cmp(), periodType: periodType(), length: positiveInt() },
  needs: () => ({ registered: { kind: 'registration' } as const }),
  check: ({ facts, args, context }) =>
    facts.registered !== null &&
    periodAgo(dayOf(facts.registered), dayOf(context.now), args.comparison, args.periodType, args.length),
  explain: ({ facts, args, context }) =>
    facts.registered === null
      ? 'registration date unknown'
      : periodAgoText(
          'registered',
          dayOf(facts.registered),
          dayOf(context.now),
          args.comparison,
          args.periodType,
          args.length,
        ),
});
