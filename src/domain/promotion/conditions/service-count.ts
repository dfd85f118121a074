/**
 * 3. Number of services in the statuses Active, Processing and Stopped, of a tariff or product type and order
 * periods when given; "only consider paid services" counts the services with at least one expense.
 */
import {
  cmp,
  COMPARISON_TEXT,
  count,
  defineCondition,
  flag,
  id,
  optional,
  orderPeriods,
  compareNumbers,
} from '../condition';
import { periodLabel } from '../../periods';

export const serviceCount = defineCondition({
  code: 'service_count',
  title: 'Number of services',
  args: {
    comparison: cmp(),
    count: count(),
    pricelist: optional(id()),
    itemtype: optional(id()),
    periods: optional(orderPeriods()),
    paidOnly: optional(flag()),
  },
  needs: (args) => ({
    services: {
      kind: 'services',
      filter: {
        statuses: ['active', 'processing', 'stopped'],
        ...(args.pricelist !== undefined ? { pricelist: args.pricelist } : {}),
        ...(args.itemtype !== undefined ? { itemtype: args.itemtype } : {}),
        ...(args.periods !== undefined ? { periods: args.periods } : {}),
        ...(args.paidOnly ? { paidOnly: true } : {}),
      },
    } as const,
  }),
  check: ({ facts, args }) => compareNumbers(facts.services, args.comparison, args.count),
  explain: ({ facts, args }) => {
    const which = [
      'active, processing or stopped',
      ...(args.pricelist !== undefined ? [`tariff ${args.pricelist}`] : []),
      ...(args.itemtype !== undefined ? [`product type ${args.itemtype}`] : []),
      ...(args.periods !== undefined ? [`ordered for ${args.periods.map(periodLabel).join(' or ')}`] : []),
      ...(args.paidOnly ? ['paid'] : []),
    ].join(', ');
    return `services (${which}) ${facts.services}, needs ${COMPARISON_TEXT[args.comparison]} ${args.count}`;
  },
});
