/**
 * Referral binding from the panel's own events (contract section 6): a signup, an administrator's new account with
 * its "Referral" field, a promo code typed at order. Each reads the panel's input through the host adapter's names
 * (src/host/panel-events.ts) and binds through attribution.ts, whose rules refuse self-referrals and a promo code
 * used before. What the handlers miss, the sweep (sweep.ts) binds from the counter's records.
 */
import { PANEL_FIELDS, type PanelInput } from '../host/panel-events';
import {
  assignReferral,
  bindByPromoCode,
  bindSignupToPartnerLink,
  bindSignupToVisit,
  type BindingResult,
} from './attribution';
import { visitorFromCookie } from './counter';
import { newestAccountByEmail, newestAccountByName } from '../db/account';
import { partnerByAccountName } from '../db/affiliate/partners';
import { accountOfItem } from '../db/item-services';
import type { Db } from '../db/types';

export type PanelBinding =
  | { result: 'bound'; account: number; affiliate: number; via: string }
  | { result: 'refused'; account: number; via: string; reason: string }
  | { result: 'skipped'; reason: string };

/** A client signed up: its typed promo code first, then the counter's visit (cookie), then the link's `from` id. */
export async function bindOnSignup(db: Db, input: PanelInput, now: Date): Promise<PanelBinding> {
  if (input.sok !== 'ok') return { result: 'skipped', reason: 'the form only opened' };
  const email = field(input, PANEL_FIELDS.email);
  if (!email) return { result: 'skipped', reason: 'the signup form has no e-mail' };
  const account = await accountByEmail(db, email);
  if (account === undefined) return { result: 'skipped', reason: `no account with the signup's e-mail` };
  const attempts: [string, () => Promise<BindingResult>][] = [];
  const code = field(input, PANEL_FIELDS.promocode);
  if (code) attempts.push(['promocode', () => bindByPromoCode(db, { account, code, now })]);
  const visitor = visitorFromCookie(input.cookie);
  if (visitor) attempts.push(['visit', () => bindSignupToVisit(db, { account, visitor, now })]);
  const from = wholeNumber(field(input, PANEL_FIELDS.from));
  if (from !== undefined)
    attempts.push(['from', () => bindSignupToPartnerLink(db, { account, affiliate: from, now })]);
  return firstBound(account, attempts);
}

/** An administrator saved an account form with a "Referral" account chosen by name. */
export async function bindOnAccountForm(db: Db, input: PanelInput, now: Date): Promise<PanelBinding> {
  if (input.sok !== 'ok') return { result: 'skipped', reason: 'the form only opened' };
  const referral = field(input, PANEL_FIELDS.referral);
  if (!referral) return { result: 'skipped', reason: 'no Referral chosen' };
  const editing = wholeNumber(input.elid);
  const account =
    editing ??
    (await accountByEmail(db, field(input, PANEL_FIELDS.email))) ??
    (await accountByName(db, field(input, PANEL_FIELDS.accountName)));
  if (account === undefined) return { result: 'skipped', reason: 'the new account is not found' };
  const affiliate = await partnerByAccountName(db, referral);
  if (affiliate === undefined)
    return { result: 'refused', account, via: 'referral', reason: `no partner account named '${referral}'` };
  return firstBound(account, [
    [
      'referral',
      () =>
        assignReferral(db, {
          account,
          affiliate,
          assignedBy: 'panel account.edit',
          now,
          replace: editing !== undefined,
        }),
    ],
  ]);
}

/** A promo code typed at order binds the ordering client on its first use. */
export async function bindOnOrder(db: Db, input: PanelInput, now: Date): Promise<PanelBinding> {
  const code = field(input, PANEL_FIELDS.promocode);
  if (!code) return { result: 'skipped', reason: 'no promo code typed' };
  const account =
    wholeNumber(field(input, PANEL_FIELDS.account)) ?? (await accountOfService(db, wholeNumber(input.elid)));
  if (account === undefined) return { result: 'skipped', reason: 'the ordering account is not known' };
  return firstBound(account, [['promocode', () => bindByPromoCode(db, { account, code, now })]]);
}

async function firstBound(
  account: number,
  attempts: readonly [string, () => Promise<BindingResult>][],
): Promise<PanelBinding> {
  let last: PanelBinding = { result: 'skipped', reason: 'nothing in the input names a partner' };
  for (const [via, attempt] of attempts) {
    const outcome = await attempt();
    if (outcome.bound) return { result: 'bound', account, affiliate: outcome.affiliate, via };
    last = { result: 'refused', account, via, reason: outcome.message };
  }
  return last;
}

function field(input: PanelInput, name: string): string | undefined {
  const value = input.fields.get(name)?.trim();
  return value ? value : undefined;
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

async function accountByEmail(db: Db, email: string | undefined): Promise<number | undefined> {
  return email ? newestAccountByEmail(db, email) : undefined;
}

async function accountByName(db: Db, name: string | undefined): Promise<number | undefined> {
  return name ? newestAccountByName(db, name) : undefined;
}

async function accountOfService(db: Db, item: number | undefined): Promise<number | undefined> {
  return item === undefined ? undefined : accountOfItem(db, item);
}
