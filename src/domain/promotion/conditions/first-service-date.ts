/** 15. Date of order or activation of the first service: within the date range (both days included). */
import { day, defineCondition } from '../condition';
import { inRange, rangeText } from './shared';

export const firstServiceDate = defineCondition({
  code: 'first_service_date',
  title: 'Date of order/activation of the first service',
  args: { from: day(), to: day() },
  needs: () => ({ first: { kind: 'firstService' } as const }),
  check: ({ facts, args }) => facts.first !== null && inRange(facts.first, args.from, args.to),
  explain: ({ facts, args }) =>
    facts.first === null
      ? `no services, needs a first service ${rangeText(args.from, args.to)}`
      : `first service ${facts.first}, needs ${rangeText(args.from, args.to)}`,
});
