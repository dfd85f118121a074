/**
 * The panel's "my promotions" function: the promotions running now (active, inside their window) and, for each,
 * whether the client may take part and why, as the document the panel shows. The function, the field naming the
 * client and the field of a typed promo code are not public: they are [assumed] and named here once.
 */
import { localDateTime } from '../domain/dates';
import { ValidationError } from '../domain/errors';
import { inWindow } from '../domain/promotion/promotion';
import type { Db } from '../db/types';
import { PANEL_FIELDS, type PanelInput } from '../host/panel-events';
import { checkAccount, type AccountEligibility } from './eligibility';
import { listPromotions, type PromotionView } from './promotions';

/**
 * [assumed] The panel function the plugin adds (its XML: `<handler name="bmp_promotions" type="cgi"><func
 * name="bmp.promotions"/></handler>`), and the fields it reads: the client's account as the order handler reads it
 * (PANEL_FIELDS.account), a promo code as typed at order (PANEL_FIELDS.promocode), already normalised.
 */
export const PROMOTIONS_PANEL_FUNCTION = {
  handler: 'bmp_promotions',
  func: 'bmp.promotions',
  account: PANEL_FIELDS.account,
  code: PANEL_FIELDS.promocode,
} as const;

export interface ClientPromotion {
  readonly promotion: PromotionView;
  readonly eligibility: AccountEligibility;
}

/** Every promotion running at `now`, with the client's eligibility and its explanation. */
export async function clientPromotions(
  db: Db,
  account: number,
  now: Date,
  code?: string,
): Promise<ClientPromotion[]> {
  const moment = localDateTime(now);
  const running = (await listPromotions(db, { status: 'active' })).filter((p) => inWindow(p, moment));
  const result: ClientPromotion[] = [];
  for (const promotion of running) {
    const eligibility = await checkAccount(db, promotion.id, account, { now, ...(code ? { code } : {}) });
    result.push({ promotion, eligibility });
  }
  return result;
}

/** The panel's input read: the client's account (required) and the promo code typed, if any. */
export function readClientRequest(input: PanelInput): { account: number; code?: string } {
  const text = input.fields.get(PROMOTIONS_PANEL_FUNCTION.account) ?? '';
  if (!/^\d{1,10}$/.test(text) || Number(text) <= 0) {
    throw new ValidationError('promotions request', [
      `the field '${PROMOTIONS_PANEL_FUNCTION.account}' must name the client's account (got '${text}')`,
    ]);
  }
  const code = input.fields.get(PROMOTIONS_PANEL_FUNCTION.code)?.trim();
  return { account: Number(text), ...(code ? { code } : {}) };
}

/** The document body: one `<promotion>` each, its groups and conditions with their outcome and explanation. */
export function clientPromotionsDoc(
  account: number,
  list: readonly ClientPromotion[],
): Record<string, unknown> {
  return {
    account: String(account),
    promotion: list.map(({ promotion, eligibility }) => ({
      $: { id: String(promotion.id), eligible: yesNo(eligibility.eligible) },
      name: promotion.clientName,
      kind: promotion.kind,
      ...(promotion.endsAt !== null ? { ends: promotion.endsAt } : {}),
      group: eligibility.groups.map((g) => ({
        $: { name: g.group ?? '', required: g.group === null ? 'all' : 'any', passed: yesNo(g.passed) },
      })),
      condition: eligibility.conditions.map((c) => ({
        $: { id: String(c.id), type: c.code, group: c.group ?? '', passed: yesNo(c.passed) },
        _: c.text,
      })),
    })),
  };
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
