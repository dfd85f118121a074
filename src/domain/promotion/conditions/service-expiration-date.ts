/** 13. Service expiration date: a service (not deleted) expiring within the date range (both days included). */
import { day, defineCondition, plural } from '../condition';
import { rangeText } from './shared';

export const serviceExpirationDate = defineCondition({
  code: 'service_expiration_date',
  title: 'Service expiration date',
  args: { from: day(), to: day() },
  needs: (args) => ({
    services: {
      kind: 'services',
      filter: {
        statuses: ['ordered', 'active', 'processing', 'stopped'],
        expires: { from: args.from, to: args.to },
      },
    } as const,
  }),
  check: ({ facts }) => facts.services > 0,
  explain: ({ facts, args }) =>
    `${plural(facts.services, 'service')} expiring ${rangeText(args.from, args.to)}, needs at least one`,
});
