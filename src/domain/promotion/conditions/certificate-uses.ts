/**
 * 14. Use of certificates to add funds: the client's number of certificate uses fits the comparison; of one
 * promotion's certificates when `promotion` is given, else of any. (The promotion's own "usage limit per client"
 * counts uses of different certificates of that promotion together; it is applied when a certificate is used.)
 */
import { cmp, COMPARISON_TEXT, compareNumbers, count, defineCondition, id, optional } from '../condition';

export const certificateUses = defineCondition({
  code: 'certificate_uses',
  title: 'Use certificates to add funds to account balance',
  args: { comparison: cmp(), count: count(), promotion: optional(id()) },
  needs: (args) => ({
    uses: { kind: 'certificateUses', promotion: args.promotion ?? null } as const,
  }),
  check: ({ facts, args }) => compareNumbers(facts.uses, args.comparison, args.count),
  explain: ({ facts, args }) =>
    `certificate uses${args.promotion !== undefined ? ` of promotion ${args.promotion}` : ''} ${facts.uses}, needs ${COMPARISON_TEXT[args.comparison]} ${args.count}`,
});
