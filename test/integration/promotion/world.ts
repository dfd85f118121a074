/** Fixture factories for the promotion tests: host rows with overridable defaults, on a throwaway MariaDB. */
import type { Knex } from 'knex';
import { createPromotion, type PromotionView } from '../../../src/promotions/promotions';
import { addCondition } from '../../../src/promotions/conditions';
import type { PromotionInput } from '../../../src/domain/promotion/promotion';

export const NOW = new Date(2026, 11, 2, 12, 0, 0); // 2026-12-02 12:00:00 server-local

export class PromotionWorld {
  private readonly currencies = new Map<string, number>();
  private sequence = 0;

  constructor(readonly db: Knex) {}

  async currency(iso: string): Promise<number> {
    const known = this.currencies.get(iso);
    if (known !== undefined) return known;
    const existing = (await this.db('currency').where({ iso }).first('id')) as { id: number } | undefined;
    const id = existing
      ? Number(existing.id)
      : Number((await this.db('currency').insert({ name: iso, iso, code: 0 }))[0]);
    this.currencies.set(iso, id);
    return id;
  }

  async account(row: Record<string, unknown> = {}): Promise<number> {
    this.sequence += 1;
    const [id] = await this.db('account').insert({
      name: `client ${this.sequence}`,
      email: `client${this.sequence}@example.com`,
      registration_date: '2026-01-15 10:00:00',
      ...row,
    });
    return Number(id);
  }

  async service(account: number, row: Record<string, unknown> = {}): Promise<number> {
    const [id] = await this.db('item').insert({
      account,
      pricelist: 1,
      period: 1,
      status: 2,
      createdate: '2026-02-01',
      opendate: '2026-02-01',
      expiredate: '2027-02-01',
      ...row,
    });
    return Number(id);
  }

  async expense(
    account: number,
    amount: string,
    realdate: string,
    row: Record<string, unknown> = {},
  ): Promise<void> {
    await this.db('expense').insert({
      account,
      amount,
      currency: await this.currency('RUB'),
      realdate,
      project: 1,
      ...row,
    });
  }

  async payment(
    account: number,
    amount: string,
    paydate: string,
    row: Record<string, unknown> = {},
  ): Promise<void> {
    await this.db('payment').insert({
      account,
      amount,
      currency: await this.currency('RUB'),
      status: 4,
      createdate: paydate,
      paydate,
      project: 1,
      ...row,
    });
  }

  async pricelist(itemtype: number): Promise<number> {
    const [id] = await this.db('pricelist').insert({
      name: `tariff of type ${itemtype}`,
      itemtype,
      project: 1,
    });
    return Number(id);
  }

  async promotion(input: PromotionInput = {}): Promise<PromotionView> {
    this.sequence += 1;
    return createPromotion(
      this.db,
      { internalName: `promo-${this.sequence}`, clientName: 'A promotion', kind: 'discount', ...input },
      NOW,
    );
  }

  /** A promotion with the given conditions, each `[code, args, group?]`. */
  async promotionWith(
    conditions: ReadonlyArray<readonly [string, Record<string, string>, string?]>,
    input: PromotionInput = {},
  ): Promise<PromotionView> {
    const promotion = await this.promotion(input);
    for (const [code, args, group] of conditions) {
      await addCondition(this.db, promotion.id, { code, args, ...(group ? { group } : {}) }, NOW);
    }
    return promotion;
  }
}
