/**
 * 4. Has product/service: a service of the tariff or product type ordered within the promotion's window. The
 * order date counts: a service ordered before the window and paid inside it does not, a renewal inside the window
 * does not (its order date is older), a free service does (no payment is asked for). "Available once": a
 * promotion that holds the condition is used at most once per client, whatever its own per-client limit.
 */
import { addDays } from '../../dates';
import { dayOf } from '../calendar';
import { defineCondition, id, optional, plural } from '../condition';

export const hasService = defineCondition({
  code: 'has_service',
  title: 'Has product/service',
  args: { pricelist: optional(id()), itemtype: optional(id()) },
  needs: (args, context) => ({
    services: {
      kind: 'services',
      filter: {
        statuses: ['ordered', 'active', 'processing', 'stopped'],
        ...(args.pricelist !== undefined ? { pricelist: args.pricelist } : {}),
        ...(args.itemtype !== undefined ? { itemtype: args.itemtype } : {}),
        orderedWithin: windowDays(context.promotion),
      },
    } as const,
  }),
  check: ({ facts }) => facts.services > 0,
  usesPerClient: 1,
  explain: ({ facts, args, context }) => {
    const what = [
      ...(args.pricelist !== undefined ? [`tariff ${args.pricelist}`] : []),
      ...(args.itemtype !== undefined ? [`product type ${args.itemtype}`] : []),
    ];
    const window = windowDays(context.promotion);
    const within = `${window.from === null ? 'from the start' : `from ${window.from}`} ${
      window.before === null ? 'with no end' : `to before ${window.before}`
    }`;
    return `${plural(facts.services, 'service')}${what.length ? ` of ${what.join(', ')}` : ''} ordered within the promotion (${within}), needs at least one`;
  },
});

/**
 * The window as order days: the start's day inclusive; the end exclusive, so an end at midnight leaves its own
 * day out and an end later in a day keeps that day in.
 */
export function windowDays(promotion: { startsAt: string | null; endsAt: string | null }): {
  from: string | null;
  before: string | null;
} {
  const end = promotion.endsAt;
  return {
    from: promotion.startsAt === null ? null : dayOf(promotion.startsAt),
    before: end === null ? null : end.endsWith(' 00:00:00') ? dayOf(end) : addDays(dayOf(end), 1),
  };
}
