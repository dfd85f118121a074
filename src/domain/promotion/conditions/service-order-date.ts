/** 12. Service order/activation date: a service ordered or activated within the date range (both days included). */
import { day, defineCondition, plural } from '../condition';
import { rangeText } from './shared';

export const serviceOrderDate = defineCondition({
  code: 'service_order_date',
  title: 'Service order/activation date',
  args: { from: day(), to: day() },
  needs: (args) => ({
    services: {
      kind: 'services',
      filter: {
        statuses: ['ordered', 'active', 'processing', 'stopped', 'deleted'],
        orderedOrOpened: { from: args.from, to: args.to },
      },
    } as const,
  }),
  check: ({ facts }) => facts.services > 0,
  explain: ({ facts, args }) =>
    `${plural(facts.services, 'service')} ordered or activated ${rangeText(args.from, args.to)}, needs at least one`,
});
