/**
 * Who may take part in a promotion. The single-client check (`checkAccount`) is the one that decides at
 * redemption, and explains; the audience (`audience`) is for previews and targeting, set-based over pages of
 * accounts. Both gather the facts through the same queries (the check is a page of one) and decide through the
 * same condition checks and group rules (domain/promotion/eligibility.ts); the audience only skips the text.
 */
import { localDateTime } from '../domain/dates';
import { NotFoundError } from '../domain/errors';
import type { ConditionContext } from '../domain/promotion/condition';
import {
  decideEligibility,
  isEligible,
  planEligibility,
  type Eligibility,
  type EligibilityPlan,
} from '../domain/promotion/eligibility';
import { FactGatherer, type AccountPage } from '../db/promotion/facts';
import type { Db } from '../db/types';
import { listConditions } from './conditions';
import { getPromotion, type PromotionView } from './promotions';

export interface EligibilityOptions {
  /** The one clock: its server-local date-time is "now" for every condition. */
  readonly now: Date;
  /** The promo code the client gave, normalised (code_key). */
  readonly code?: string;
}

export interface AccountEligibility extends Eligibility {
  readonly promotion: number;
  readonly account: number;
}

export interface AudienceOptions extends EligibilityOptions {
  /** Accounts per page: every fact family is one query per page. */
  readonly pageSize?: number;
  /** Called with each page's eligible accounts, in ascending order; without it only the count is kept. */
  readonly onEligible?: (accounts: readonly number[]) => void | Promise<void>;
}

export const DEFAULT_PAGE_SIZE = 2000;

async function prepare(
  db: Db,
  promotionId: number,
  options: EligibilityOptions,
): Promise<{ promotion: PromotionView; plan: EligibilityPlan; gatherer: FactGatherer }> {
  const promotion = await getPromotion(db, promotionId);
  const conditions = await listConditions(db, promotionId);
  const context: ConditionContext = {
    now: localDateTime(options.now),
    promotion: {
      id: promotion.id,
      project: promotion.project,
      startsAt: promotion.startsAt,
      endsAt: promotion.endsAt,
    },
  };
  const plan = planEligibility(conditions, context);
  return { promotion, plan, gatherer: new FactGatherer(db, plan.requests, options.code) };
}

/** One client's eligibility, with every condition's outcome and every group's. */
export async function checkAccount(
  db: Db,
  promotionId: number,
  account: number,
  options: EligibilityOptions,
): Promise<AccountEligibility> {
  const { plan, gatherer } = await prepare(db, promotionId, options);
  const page = await gatherer.pageOf(account);
  if (page.ids.length === 0)
    throw new NotFoundError('account', `there is no account ${account}`, { id: String(account) });
  const [result] = await decidePage(plan, gatherer, page);
  return { promotion: promotionId, account, ...(result as Eligibility) };
}

/** The audience: how many clients are eligible now (and, through `onEligible`, which), page by page. */
export async function audience(
  db: Db,
  promotionId: number,
  options: AudienceOptions,
): Promise<{ count: number }> {
  const { plan, gatherer } = await prepare(db, promotionId, options);
  const size = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let count = 0;
  for (let after = 0; ;) {
    const page = await gatherer.nextPage(after, size);
    if (page.ids.length === 0) break;
    const facts = await gatherer.gather(page);
    const eligible = page.ids.filter((account) => isEligible(plan, (key) => facts(account, key)));
    count += eligible.length;
    if (options.onEligible && eligible.length > 0) await options.onEligible(eligible);
    after = page.ids[page.ids.length - 1] as number;
    if (page.ids.length < size) break;
  }
  return { count };
}

async function decidePage(
  plan: EligibilityPlan,
  gatherer: FactGatherer,
  page: AccountPage,
): Promise<Eligibility[]> {
  const facts = await gatherer.gather(page);
  return page.ids.map((account) => decideEligibility(plan, (key) => facts(account, key)));
}
