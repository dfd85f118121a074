/** 8. Affiliate program: the client was referred (an active referral) under the given affiliate program. */
import { defineCondition, id } from '../condition';

export const affiliateProgram = defineCondition({
  code: 'affiliate_program',
  title: 'Affiliate program',
  args: { program: id() },
  needs: () => ({ program: { kind: 'referralProgram' } as const }),
  check: ({ facts, args }) => facts.program === args.program,
  explain: ({ facts, args }) =>
    facts.program === null
      ? `not referred by a partner, needs affiliate program ${args.program}`
      : `referred under affiliate program ${facts.program}, needs affiliate program ${args.program}`,
});
