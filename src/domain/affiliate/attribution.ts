/**
 * When a client may be bound to a partner. Refusals are expected outcomes, returned as values with a reason
 * an admin can read; faults are thrown elsewhere.
 */

/** Who a party is, for self-referral checks: the account, its e-mail and the payment identities it paid with. */
export interface PartyIdentity {
  readonly account: number;
  readonly email?: string | null;
  /** `payment.payer` values (card fingerprint, wallet) of the party's payments. */
  readonly payers: readonly string[];
}

export type SelfReferralReason = 'same_account' | 'same_email' | 'same_payer';

/** Why binding `referred` to `partner` is a self-referral, or undefined when it is not one. */
export function selfReferralReason(
  partner: PartyIdentity,
  referred: PartyIdentity,
): SelfReferralReason | undefined {
  if (partner.account === referred.account) return 'same_account';
  const email = normalEmail(partner.email);
  if (email !== undefined && email === normalEmail(referred.email)) return 'same_email';
  const partnerPayers = new Set(partner.payers.map(normalPayer).filter((p): p is string => p !== undefined));
  if (referred.payers.some((payer) => partnerPayers.has(normalPayer(payer) ?? ''))) return 'same_payer';
  return undefined;
}

export type BindingRefusal =
  | SelfReferralReason
  | 'unknown_code'
  | 'already_referred'
  | 'unpaid_services'
  | 'partner_inactive'
  | 'partner_not_in_group'
  | 'partner_forbidden'
  | 'no_visit'
  | 'unknown_account';

/** The facts about a promo code use that decide whether it binds. */
export interface PromoCodeUse {
  /** False when no active partner has this code. */
  codeKnown: boolean;
  /** The client already has a referral: a promo code is valid only on its first use. */
  alreadyReferred: boolean;
  /** Services of the client ordered and not yet paid. */
  unpaidServices: number;
  selfReferral?: SelfReferralReason;
}

/** Seed 000: "A promo code is only valid when used for the first time. If a client has several unpaid services
 *  on his account, the promo code won't work." Several means more than one. */
export function promoCodeRefusal(use: PromoCodeUse): BindingRefusal | undefined {
  if (!use.codeKnown) return 'unknown_code';
  if (use.selfReferral) return use.selfReferral;
  if (use.alreadyReferred) return 'already_referred';
  if (use.unpaidServices > 1) return 'unpaid_services';
  return undefined;
}

/** Whether a partner may earn in its program, by the program's client group and forbidden group. */
export function partnerGroupRefusal(
  groups: ReadonlySet<number>,
  program: { clientGroup: number | null; forbiddenGroup: number | null },
): 'partner_not_in_group' | 'partner_forbidden' | undefined {
  if (program.forbiddenGroup !== null && groups.has(program.forbiddenGroup)) return 'partner_forbidden';
  if (program.clientGroup !== null && !groups.has(program.clientGroup)) return 'partner_not_in_group';
  return undefined;
}

export const REFUSAL_TEXT: Readonly<Record<BindingRefusal, string>> = {
  same_account: 'a partner cannot refer its own account',
  same_email: 'the client has the same e-mail as the partner (self-referral)',
  same_payer: 'the client pays with the same payment identity as the partner (self-referral)',
  unknown_code: 'no active partner has this promo code',
  already_referred: 'the client already has a referral: a promo code is valid only on its first use',
  unpaid_services: 'the client has several unpaid services: the promo code does not apply',
  partner_inactive: 'the partner or its program is not active',
  partner_not_in_group: "the partner is not in the program's client group",
  partner_forbidden: "the partner is in the program's forbidden group",
  no_visit: 'no recent visit through a partner link is known for this visitor',
  unknown_account: 'there is no such account',
};

function normalEmail(email: string | null | undefined): string | undefined {
  const normal = email?.trim().toLowerCase();
  return normal ? normal : undefined;
}

function normalPayer(payer: string): string | undefined {
  const normal = payer.trim().toLowerCase();
  return normal ? normal : undefined;
}
