/** Factories for affiliate tests: host rows and affiliate setup with overridable defaults. */
import type { Knex } from 'knex';
import { assignReferral } from '../../../src/affiliate/attribution';
import {
  addPartner,
  createProgram,
  type PartnerView,
  type ProgramView,
} from '../../../src/affiliate/programs';
import { setOverride } from '../../../src/affiliate/rules';
import { saveSettings } from '../../../src/affiliate/settings';
import { T } from '../../../src/db/affiliate/tables';
import type { ProgramInput, SettingsInput } from '../../../src/domain/affiliate/program';
import { parseRule, type RuleInput } from '../../../src/domain/affiliate/rules';

export interface AccountInput {
  name?: string;
  email?: string | null;
  account_type?: string | null;
  currency?: string;
}

export interface Referred {
  account: number;
  referral: number;
}

let counter = 0;

export class AffiliateWorld {
  private readonly currencies = new Map<string, number>();

  constructor(readonly db: Knex) {}

  async currency(iso = 'USD'): Promise<number> {
    const known = this.currencies.get(iso);
    if (known !== undefined) return known;
    const [id] = await this.db('currency').insert({ name: iso, iso, code: 840, active: 'on' });
    this.currencies.set(iso, Number(id));
    return Number(id);
  }

  async account(input: AccountInput = {}): Promise<number> {
    counter += 1;
    const [id] = await this.db('account').insert({
      name: input.name ?? `Client ${counter}`,
      email: input.email === undefined ? `client${counter}@example.com` : input.email,
      account_type: input.account_type ?? null,
      currency: await this.currency(input.currency ?? 'USD'),
      balance: 0,
      registration_date: '2026-01-01 00:00:00',
    });
    return Number(id);
  }

  async group(name: string): Promise<number> {
    const [id] = await this.db('accountgroup').insert({ name });
    return Number(id);
  }

  async join(account: number, group: number): Promise<void> {
    await this.db('account2group').insert({ account, accountgroup: group });
  }

  async settings(input: SettingsInput): Promise<void> {
    await saveSettings(this.db, input, new Date('2026-01-01T00:00:00Z'));
  }

  async program(input: ProgramInput = {}): Promise<ProgramView> {
    return createProgram(
      this.db,
      {
        name: 'Partners',
        promocodeTemplate: `P${++counter}X@ID@`,
        rewardPercent: '10',
        referralMonths: 12,
        websiteUrl: 'https://provider.example/',
        ...input,
      },
      new Date('2026-01-01T00:00:00Z'),
    );
  }

  async partner(program: ProgramView, account?: AccountInput | number): Promise<PartnerView> {
    const id = typeof account === 'number' ? account : await this.account(account);
    return addPartner(this.db, program.id, id, new Date('2026-01-02T00:00:00Z'));
  }

  async override(partner: PartnerView, rule: RuleInput): Promise<void> {
    await setOverride(this.db, partner.id, parseRule(rule), new Date('2026-01-02T00:00:00Z'));
  }

  /** A new client bound to the partner by hand at `boundAt`. */
  async referral(
    partner: PartnerView,
    boundAt = '2026-09-15T00:00:00Z',
    account: AccountInput = {},
  ): Promise<Referred> {
    const id = await this.account(account);
    const result = await assignReferral(this.db, {
      account: id,
      affiliate: partner.id,
      assignedBy: 'test',
      now: new Date(boundAt),
    });
    if (!result.bound) throw new Error(`referral refused: ${result.reason}`);
    return { account: id, referral: result.referral };
  }

  async expense(account: number, amount: string, realdate: string, iso = 'USD'): Promise<void> {
    await this.db('expense').insert({ account, amount, currency: await this.currency(iso), realdate });
  }

  async payment(
    account: number,
    amount: string,
    paydate: string,
    { status = 4, payer = null, iso = 'USD' }: { status?: number; payer?: string | null; iso?: string } = {},
  ): Promise<number> {
    const [id] = await this.db('payment').insert({
      account,
      amount,
      currency: await this.currency(iso),
      status,
      createdate: paydate,
      paydate,
      payer,
      paymethod: 'card',
    });
    return Number(id);
  }

  async setPaymentStatus(payment: number, status: number): Promise<void> {
    await this.db('payment').where({ id: payment }).update({ status });
  }

  /** A main service on a tariff priced `monthly` a month (and `annually` a year, when given). */
  async service(
    account: number,
    monthly: string,
    {
      status = 2,
      annually = null,
      iso = 'USD',
    }: { status?: number; annually?: string | null; iso?: string } = {},
  ): Promise<number> {
    const currency = await this.currency(iso);
    const [pricelist] = await this.db('pricelist').insert({
      name: `Plan ${monthly}`,
      active: 'on',
      billtype: 2,
    });
    const [price] = await this.db('price').insert({ monthly, annually, currency });
    await this.db('pricelistprice').insert({ pricelist, currency, price });
    const [item] = await this.db('item').insert({
      account,
      pricelist,
      period: 1,
      currency,
      status,
      createdate: '2026-09-01',
      name: `Service ${monthly}`,
    });
    return Number(item);
  }

  async ledger(
    affiliate: number,
  ): Promise<Array<{ kind: string; rule: string; amount: string; period: string }>> {
    const rows = (await this.db(T.ledger).where({ affiliate }).orderBy('id')) as Array<{
      kind: string;
      rule: string;
      amount_minor: string | number;
      period: string;
    }>;
    return rows.map((r) => ({ kind: r.kind, rule: r.rule, amount: cents(r.amount_minor), period: r.period }));
  }

  /** Affiliate payments on the account (the credits the plugin had the core make), amounts as "12.35". */
  async rewardPayments(account: number): Promise<string[]> {
    const rows = (await this.db('payment')
      .where({ account })
      .whereIn('id', this.db('bmp_host_credit').where('credit_key', 'like', 'affiliate:%').select('payment'))
      .orderBy('id')) as Array<{
      amount: string | number;
      status: number;
    }>;
    return rows.map((r) => Number(r.amount).toFixed(2));
  }

  async balance(account: number): Promise<string> {
    const row = (await this.db('account').where({ id: account }).first('balance')) as {
      balance: string | number;
    };
    return Number(row.balance).toFixed(2);
  }

  async count(table: string): Promise<number> {
    const [row] = (await this.db(table).count({ n: '*' })) as Array<{ n: number | string }>;
    return Number(row?.n ?? 0);
  }
}

/** Minor units as "12.35". */
export function cents(minor: string | number | bigint): string {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
