/**
 * 7. Promo code: the client gave one of the promotion's promo codes (`bmp_promotion_code`, kind `code`), not
 * revoked and not used up. The code arrives normalised (its `code_key`).
 */
import { defineCondition } from '../condition';

const STATE_TEXT = {
  none: "no promo code given, needs one of the promotion's codes",
  unknown: "is not one of the promotion's codes",
  revoked: 'was revoked',
  used_up: 'is used up',
  valid: "is one of the promotion's codes",
} as const;

export const promoCode = defineCondition({
  code: 'promo_code',
  title: 'Promo code availability',
  args: {},
  needs: (_args, context) => ({ code: { kind: 'promoCode', promotion: context.promotion.id } as const }),
  check: ({ facts }) => facts.code.state === 'valid',
  explain: ({ facts }) =>
    facts.code.state === 'none' || facts.code.code === null
      ? STATE_TEXT.none
      : `promo code ${facts.code.code} ${STATE_TEXT[facts.code.state]}`,
});
