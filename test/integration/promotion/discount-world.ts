/**
 * What the discount tests share: services with a tariff and a product type, their expenses, a client holding a
 * discount (a committed redemption of a code of the promotion), and a credit outbox with the host adapter's
 * semantics (a credit key once; the SELECT's columns in HOST_CREDIT_COLUMNS order) to enqueue into.
 */
import type { Knex } from 'knex';
import type { Period } from '../../../src/domain/promotion/codes/batch';
import type { DiscountOfferInput } from '../../../src/domain/promotion/discounts/offer';
import { setOffer } from '../../../src/promotions/discounts/offers';
import type { DiscountCreditPorts } from '../../../src/promotions/discounts/ports';
import { redeem } from '../../../src/promotions/redemption/redeem';
import { makeCodes, ports } from './redemption-world';
import { PromotionWorld } from './codes-world';

export const OUTBOX = 'test_discount_credit_outbox';

export class DiscountWorld extends PromotionWorld {
  constructor(private readonly knex: Knex) {
    super(knex);
  }

  async createOutbox(): Promise<void> {
    await this.knex.schema.createTable(OUTBOX, (t) => {
      t.increments('id');
      t.string('credit_key', 128).notNullable().unique();
      t.integer('account').notNullable();
      t.integer('project').notNullable();
      t.bigInteger('amount_minor').notNullable();
      t.string('currency', 3).notNullable();
      t.string('info', 255).notNullable().unique();
      t.dateTime('created_at').notNullable();
    });
  }

  /** The outbox and a payer that counts its calls. */
  credits(): DiscountCreditPorts & { payCalls: number } {
    const ports = {
      payCalls: 0,
      enqueue: async (db: Knex | Knex.Transaction, select: string, bindings: readonly Knex.RawBinding[]) => {
        const keyed = `SELECT * FROM (${select}) c WHERE NOT EXISTS (SELECT 1 FROM ${OUTBOX} h WHERE h.credit_key = c.credit_key)`;
        await db.raw(
          `INSERT INTO ${OUTBOX} (credit_key, account, project, amount_minor, currency, info, created_at) ${keyed}`,
          [...bindings],
        );
      },
      pay: async () => {
        ports.payCalls += 1;
      },
    };
    return ports;
  }

  async outbox(
    account?: number,
  ): Promise<
    { credit_key: string; account: number; amount_minor: string; currency: string; info: string }[]
  > {
    const q = this.knex(OUTBOX)
      .orderBy('id')
      .select('credit_key', 'account', 'amount_minor', 'currency', 'info');
    if (account !== undefined) q.where({ account });
    return (
      (await q) as {
        credit_key: string;
        account: number;
        amount_minor: string | number;
        currency: string;
        info: string;
      }[]
    ).map((r) => ({ ...r, account: Number(r.account), amount_minor: String(r.amount_minor) }));
  }

  async itemType(intname: string): Promise<number> {
    const found = (await this.knex('itemtype').where({ intname }).first('id')) as { id: number } | undefined;
    if (found) return Number(found.id);
    const [id] = (await this.knex('itemtype').insert({ name: intname, intname })) as number[];
    return Number(id);
  }

  async tariff(intname: string): Promise<number> {
    const [id] = (await this.knex('pricelist').insert({
      name: `${intname} tariff`,
      project: 1,
      itemtype: await this.itemType(intname),
      active: 'on',
    })) as number[];
    return Number(id);
  }

  /** A service of the account on the tariff, ordered for `period` months (-50 a day, 0 lifetime). */
  async service(account: number, pricelist: number, period = 1): Promise<number> {
    const [id] = (await this.knex('item').insert({
      account,
      pricelist,
      period,
      currency: await this.currency(),
      status: 2,
      createdate: '2026-12-01',
    })) as number[];
    return Number(id);
  }

  async serviceExpense(
    account: number,
    item: number,
    amount: string,
    realdate: string,
    iso = 'USD',
  ): Promise<number> {
    const [id] = (await this.knex('expense').insert({
      account,
      item,
      project: 1,
      amount,
      currency: await this.currency(iso),
      realdate,
    })) as number[];
    return Number(id);
  }

  /** A discount promotion with its offer. */
  async discount(
    offer: Omit<DiscountOfferInput, 'promotion' | 'exclusive'> & { exclusive?: boolean },
  ): Promise<number> {
    const promotion = await this.promotion({ kind: 'discount' });
    await setOffer(this.knex, { exclusive: true, ...offer, promotion }, new Date('2026-12-01T00:00:00Z'));
    return promotion;
  }

  /** The account redeems (and commits) a code of the promotion at `at`; the code's discount lasts `period`. */
  async holds(account: number, promotion: number, at: Date, period?: Period): Promise<void> {
    const [code = ''] = await makeCodes(this.knex, {
      promotion,
      ...(period !== undefined ? { discountPeriod: period } : {}),
    });
    const outcome = await redeem(this.knex, { account, code }, ports(at));
    if (!outcome.redeemed) throw new Error(`redeem refused: ${outcome.refusal.reason}`);
  }
}
