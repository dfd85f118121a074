/** Fixture factories for the promotion tests: promotions, accounts and payments with overridable defaults. */
import type { Knex } from 'knex';

let serial = 0;

export class PromotionWorld {
  constructor(private readonly db: Knex) {}

  /** A promotion row (the promotions service of issue 14 writes these; the tests only need the row). */
  async promotion(
    overrides: Partial<{
      kind: 'discount' | 'certificate';
      status: 'draft' | 'active' | 'archived';
      starts_at: string | null;
      ends_at: string | null;
      per_client_limit: number | null;
    }> = {},
  ): Promise<number> {
    serial += 1;
    const [id] = (await this.db('bmp_promotion').insert({
      project: 1,
      internal_name: `promotion ${serial}`,
      client_name: `Promotion ${serial}`,
      kind: 'discount',
      status: 'active',
      starts_at: null,
      ends_at: null,
      per_client_limit: null,
      created_at: '2026-11-01 00:00:00',
      ...overrides,
    })) as number[];
    return Number(id);
  }

  async currency(iso = 'USD'): Promise<number> {
    const found = (await this.db('currency').where({ iso }).first('id')) as { id: number } | undefined;
    if (found) return Number(found.id);
    const [id] = (await this.db('currency').insert({ name: iso, iso, code: 840, active: 'on' })) as number[];
    return Number(id);
  }

  async account(): Promise<number> {
    serial += 1;
    const [id] = (await this.db('account').insert({
      project: 1,
      name: `Client ${serial}`,
      email: `client${serial}@example.com`,
      registration_date: '2026-01-01 00:00:00',
      balance: 0,
      currency: await this.currency(),
    })) as number[];
    return Number(id);
  }

  /** A payment of the account; `status` 4 is paid ([assumed], sql/fixture/host-schema.sql). */
  async payment(account: number, amount: string, paydate: string, status = 4, iso = 'USD'): Promise<number> {
    const [id] = (await this.db('payment').insert({
      account,
      project: 1,
      amount,
      currency: await this.currency(iso),
      status,
      createdate: paydate,
      paydate,
      info: 'test payment',
    })) as number[];
    return Number(id);
  }

  async expense(account: number, amount: string, realdate: string, iso = 'USD'): Promise<void> {
    await this.db('expense').insert({
      account,
      project: 1,
      amount,
      currency: await this.currency(iso),
      realdate,
    });
  }
}
