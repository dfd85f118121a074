/**
 * Why a typed code is not redeemed, as a value (the expected outcomes of typing a code are not faults), with the
 * words the client reads (issue 15: unknown, not yet active, expired, used up, already used by you, not eligible
 * and which condition).
 */

export type RefusalReason =
  | 'unknown'
  | 'revoked'
  | 'not_yet_active'
  | 'expired'
  | 'used_up'
  | 'already_used'
  | 'not_eligible'
  | 'no_payment'
  | 'too_many_attempts';

export interface Refusal {
  readonly reason: RefusalReason;
  /** For `not_eligible`: the condition the client does not meet, in the condition's words. */
  readonly failedCondition?: string;
  /** What the client reads. */
  readonly message: string;
}

const WORDS: Readonly<Record<RefusalReason, string>> = {
  unknown: 'There is no such code: check how it is typed.',
  revoked: 'This code has been withdrawn and can no longer be used.',
  not_yet_active: 'This code cannot be used yet.',
  expired: 'This code has expired.',
  used_up: 'This code has been used as many times as it can be.',
  already_used: 'You have already used this code as many times as you can.',
  not_eligible: 'You are not eligible for this promotion.',
  no_payment: 'This certificate is a share of your last payment, and there is no payment to base it on yet.',
  too_many_attempts: 'Too many codes were tried: please wait an hour and try again.',
};

/** `already_used` when the limit reached is the promotion's per client (another of its codes was used), not the code's. */
export function promotionAlreadyUsed(): Refusal {
  return {
    reason: 'already_used',
    message: 'You have already used this promotion as many times as you can.',
  };
}

export function refusal(reason: RefusalReason, failedCondition?: string): Refusal {
  const words = WORDS[reason];
  if (reason === 'not_eligible' && failedCondition)
    return { reason, failedCondition, message: `${words.slice(0, -1)}: ${failedCondition}.` };
  return { reason, message: words };
}

export const REFUSAL_REASONS = Object.keys(WORDS) as RefusalReason[];

/**
 * How many refused attempts at typing a code an account and an address may make in a window before further
 * attempts are refused unseen: enough for typos, too few for guessing (see space.ts for the odds of one guess).
 */
export const ATTEMPT_LIMITS = {
  windowMinutes: 60,
  perAccount: 10,
  perAddress: 30,
} as const;
