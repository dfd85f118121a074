/** 16. Registration date: registered within the date range (both days included). */
import { dayOf } from '../calendar';
import { day, defineCondition } from '../condition';
import { inRange, rangeText } from './shared';

export const registrationDate = defineCondition({
  code: 'registration_date',
  title: 'Registration date',
  args: { from: day(), to: day() },
  needs: () => ({ registered: { kind: 'registration' } as const }),
  check: ({ facts, args }) =>
    facts.registered !== null && inRange(dayOf(facts.registered), args.from, args.to),
  explain: ({ facts, args }) =>
    facts.registered === null
      ? `registration date unknown, needs ${rangeText(args.from, args.to)}`
      : `registered ${dayOf(facts.registered)}, needs ${rangeText(args.from, args.to)}`,
});
