/**
 * Binding a client to the partner who brought it (seed 000): through a link visit the counter recorded, a promo
 * code, or an admin's hand. Refusals are returned as values and reported in bmp_affiliate_refusal.
 */
import { withTransaction } from '../db/transaction';
import { ConflictError } from '../domain/errors';
import {
  promoCodeRefusal,
  REFUSAL_TEXT,
  selfReferralReason,
  type BindingRefusal,
} from '../domain/affiliate/attribution';
import { normalizePromoCode } from '../domain/affiliate/codes';
import { addDays, referralPeriodEnd, toDate, toDateTime } from '../domain/affiliate/period';
import { findPartnerByPromocode, findPartnerForBinding } from '../db/affiliate/partners';
import {
  findReferralOfAccount,
  insertReferral,
  insertRefusal,
  latestVisitOf,
  updateReferral,
} from '../db/affiliate/referrals';
import { toFlag, type ReferralSource } from '../db/affiliate/tables';
import { unpaidMainServices } from '../db/item-services';
import type { Db } from '../db/types';
import { identitiesOf } from './host-facts';

export type BindingResult =
  | { bound: true; referral: number; affiliate: number }
  | { bound: false; reason: BindingRefusal; message: string };

/** How long a counter visit can bind a signup. */
export const VISIT_BINDS_FOR_DAYS = 90;

/** A client registered: bind it to the partner of the visitor's latest partner-link visit, if recent enough. */
export async function bindSignupToVisit(
  db: Db,
  { account, visitor, now }: { account: number; visitor: string; now: Date },
): Promise<BindingResult> {
  const since = `${addDays(toDate(now), -VISIT_BINDS_FOR_DAYS)} 00:00:00`;
  const visit = await latestVisitOf(db, visitor, since, toDateTime(now));
  if (!visit) return refused(db, { account, source: 'link', reason: 'no_visit', now });
  return bind(db, {
    affiliate: Number(visit.affiliate),
    account,
    source: 'link',
    visit: Number(visit.id),
    now,
  });
}

/** A client signed up from a partner's link whose partner id the signup form carried (`?from=<id>`). */
export async function bindSignupToPartnerLink(
  db: Db,
  { account, affiliate, now }: { account: number; affiliate: number; now: Date },
): Promise<BindingResult> {
  return bind(db, { affiliate, account, source: 'link', now });
}

/** Binds an account to the partner of one recorded counter visit (the sweep's match). */
export async function bindToVisit(
  db: Db,
  { account, visit, affiliate, now }: { account: number; visit: number; affiliate: number; now: Date },
): Promise<BindingResult> {
  return bind(db, { affiliate, account, source: 'link', visit, now });
}

/**
 * A client typed a promo code: it binds only on the client's first use (no referral yet) and not while the
 * client has several unpaid services.
 */
export async function bindByPromoCode(
  db: Db,
  { account, code, now }: { account: number; code: string; now: Date },
): Promise<BindingResult> {
  const promocode = normalizePromoCode(code);
  const partner = promocode === undefined ? undefined : await findPartnerByPromocode(db, promocode);
  const alreadyReferred = (await findReferralOfAccount(db, account)) !== undefined;
  const unpaid = await unpaidMainServices(db, account);
  const refusal = promoCodeRefusal({
    codeKnown: partner !== undefined,
    alreadyReferred,
    unpaidServices: unpaid,
  });
  if (refusal || !partner) {
    return refused(db, {
      account,
      affiliate: partner?.id,
      source: 'promocode',
      reason: refusal ?? 'unknown_code',
      now,
    });
  }
  return bind(db, { affiliate: partner.id, account, source: 'promocode', now });
}

/**
 * An admin sets the partner of an account by hand (the "Referral" field of the account). With `replace`, an
 * account that already has a partner is moved to this one: its referral period starts again; what the old
 * partner earned stays in the ledger under the old partner.
 */
export async function assignReferral(
  db: Db,
  input: { account: number; affiliate: number; assignedBy: string; now: Date; replace?: boolean },
): Promise<BindingResult> {
  return bind(db, { ...input, source: 'manual' });
}

interface Binding {
  affiliate: number;
  account: number;
  source: ReferralSource;
  now: Date;
  visit?: number;
  assignedBy?: string;
  replace?: boolean;
}

/**
 * Two binds of one account at once: the referral's unique key (account) lets one in; the other finds the account
 * already referred by the time it writes.
 */
async function bind(db: Db, binding: Binding): Promise<BindingResult> {
  try {
    return await bindOnce(db, binding);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    const { account, affiliate, source, now } = binding;
    return refused(db, { account, affiliate, source, reason: 'already_referred', now });
  }
}

async function bindOnce(db: Db, binding: Binding): Promise<BindingResult> {
  return withTransaction(db, async (trx) => {
    const { affiliate, account, source, now } = binding;
    const partner = await findPartnerForBinding(trx, affiliate);
    if (!partner || !toFlag(partner.active) || !toFlag(partner.program_active)) {
      return refused(trx, { account, affiliate, source, reason: 'partner_inactive', now });
    }
    const identities = await identitiesOf(trx, [Number(partner.account), account]);
    const referred = identities.get(account);
    if (!referred) return refused(trx, { account, affiliate, source, reason: 'unknown_account', now });
    const self = selfReferralReason(
      identities.get(Number(partner.account)) ?? { account: -1, payers: [] },
      referred,
    );
    if (self) return refused(trx, { account, affiliate, source, reason: self, now });
    const existing = await findReferralOfAccount(trx, account);
    if (existing && !binding.replace)
      return refused(trx, { account, affiliate, source, reason: 'already_referred', now });
    const boundAt = toDateTime(now);
    const row = {
      affiliate,
      account,
      source,
      bound_at: boundAt,
      reward_until: referralPeriodEnd(boundAt, Number(partner.referral_months)) ?? null,
      status: 'active' as const,
      status_reason: null,
      visit: binding.visit ?? null,
      assigned_by: binding.assignedBy?.slice(0, 64) ?? null,
    };
    if (existing) {
      await updateReferral(trx, existing.id, row);
      return { bound: true, referral: existing.id, affiliate };
    }
    return { bound: true, referral: await insertReferral(trx, row), affiliate };
  });
}

async function refused(
  db: Db,
  r: { account: number; affiliate?: number; source: ReferralSource; reason: BindingRefusal; now: Date },
): Promise<BindingResult> {
  if (r.reason !== 'unknown_account') {
    await insertRefusal(db, {
      affiliate: r.affiliate ?? null,
      account: r.account,
      source: r.source,
      reason: r.reason,
      created_at: toDateTime(r.now),
    });
  }
  return { bound: false, reason: r.reason, message: REFUSAL_TEXT[r.reason] };
}
