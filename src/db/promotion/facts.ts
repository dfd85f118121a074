/**
 * The facts promotion conditions need, gathered set-based over a page of accounts: one query per fact family per
 * page (the page's accounts; expenses; payments; services; client groups; referrals; certificate uses), never a
 * query per client. A page of one account is the single-client check, through the same code. Every request of a
 * family becomes one column of that family's query (SUM(CASE ...)), so two expense conditions cost one query.
 */
import type { Knex } from 'knex';
import { money, parseMoney } from '../../domain/money';
import type { FactRequest, FactValue, PromoCodeState, ServiceFilter } from '../../domain/promotion/condition';
import type { Db } from '../types';
import {
  AUTO_RENEWAL,
  CERTIFICATE_USE,
  ITEM_STATUS_CODE,
  PAYMENT_CREDITED,
  RECURRING_PAYMENT,
} from './host-facts';
import { placeholders, selectRows, wholeNumber } from './sql';
import { PROMOTION_TABLES } from './tables';
import { notPluginExpense } from '../host-credit';

/** A page of accounts, ascending by id. */
export interface AccountPage {
  readonly ids: readonly number[];
  /** The facts read with the page itself, by account. */
  readonly rows: ReadonlyMap<number, { registration: string | null; recurringPayment: boolean }>;
}

/** The value of every fact (by key) for every account of a page. */
export type PageFacts = (account: number, key: string) => FactValue;

type MoneyRequest = Extract<FactRequest, { kind: 'expenses' | 'payments' }>;
type ServicesRequest = Extract<FactRequest, { kind: 'services' }>;

/** Gathers the facts of one plan (the distinct requests of a promotion's conditions) page after page. */
export class FactGatherer {
  private readonly byKind: ReadonlyMap<FactRequest['kind'], ReadonlyArray<[string, FactRequest]>>;
  private currencies: Map<string, number> | undefined;
  private promoCode: { code: string | null; state: PromoCodeState } | undefined;
  private certificateUsesRecorded: boolean | undefined;

  constructor(
    private readonly db: Db,
    requests: ReadonlyMap<string, FactRequest>,
    /** The promo code the client gave, normalised (its code_key); undefined when none. */
    private readonly givenCode?: string,
  ) {
    const byKind = new Map<FactRequest['kind'], Array<[string, FactRequest]>>();
    for (const [key, request] of requests) {
      const list = byKind.get(request.kind) ?? [];
      list.push([key, request]);
      byKind.set(request.kind, list);
    }
    this.byKind = byKind;
  }

  private has(kind: FactRequest['kind']): boolean {
    return (this.byKind.get(kind)?.length ?? 0) > 0;
  }

  private requests<K extends FactRequest['kind']>(
    kind: K,
  ): Array<[string, Extract<FactRequest, { kind: K }>]> {
    return (this.byKind.get(kind) ?? []) as Array<[string, Extract<FactRequest, { kind: K }>]>;
  }

  /** The next page of accounts after `afterId` (all accounts: a client may spend at any provider). */
  async nextPage(afterId: number, size: number): Promise<AccountPage> {
    return this.readAccounts((q) => q.where('id', '>', afterId).orderBy('id').limit(size));
  }

  /** A page of one account (the single-client check); empty when the account does not exist. */
  async pageOf(account: number): Promise<AccountPage> {
    return this.readAccounts((q) => q.where('id', account));
  }

  private async readAccounts(narrow: (q: Knex.QueryBuilder) => Knex.QueryBuilder): Promise<AccountPage> {
    const columns = ['id', 'registration_date'];
    const recurring = this.has('recurring');
    if (recurring) columns.push(`${RECURRING_PAYMENT.column} as recurring_payment`);
    const rows = (await narrow(this.db('account').select(columns))) as Array<{
      id: number;
      registration_date: string | null;
      recurring_payment?: string | null;
    }>;
    const byId = new Map<number, { registration: string | null; recurringPayment: boolean }>();
    for (const row of rows) {
      byId.set(Number(row.id), {
        registration: row.registration_date === null ? null : String(row.registration_date).slice(0, 19),
        recurringPayment: recurring && row.recurring_payment === RECURRING_PAYMENT.on,
      });
    }
    return { ids: [...byId.keys()], rows: byId };
  }

  /** Every fact of the plan for every account of the page. */
  async gather(page: AccountPage): Promise<PageFacts> {
    const values = new Map<string, Map<number, FactValue>>();
    const defaults = new Map<string, FactValue>();
    if (page.ids.length === 0) return () => undefined as never;
    const range = [page.ids[0] as number, page.ids[page.ids.length - 1] as number] as const;
    await Promise.all([
      this.gatherMoney('expenses', range, values, defaults),
      this.gatherMoney('payments', range, values, defaults),
      this.gatherServices(page, range, values, defaults),
      this.gatherGroups(range, values, defaults),
      this.gatherReferrals(range, values, defaults),
      this.gatherCertificateUses(range, values, defaults),
      this.gatherPromoCode(defaults),
    ]);
    for (const [key] of this.requests('registration')) {
      values.set(key, new Map([...page.rows].map(([id, row]) => [id, row.registration])));
      defaults.set(key, null);
    }
    return (account, key) => {
      const value = values.get(key)?.get(account);
      if (value !== undefined) return value;
      if (!defaults.has(key)) throw new Error(`fact ${key} was not gathered`);
      return defaults.get(key) as FactValue;
    };
  }

  private async currencyId(iso: string): Promise<number> {
    if (!this.currencies) {
      const rows = (await this.db('currency').select('id', 'iso')) as Array<{
        id: number;
        iso: string | null;
      }>;
      this.currencies = new Map(
        rows.filter((r) => r.iso).map((r) => [String(r.iso).toUpperCase(), Number(r.id)]),
      );
    }
    return this.currencies.get(iso) ?? -1;
  }

  private async gatherMoney(
    kind: 'expenses' | 'payments',
    [first, last]: readonly [number, number],
    values: Map<string, Map<number, FactValue>>,
    defaults: Map<string, FactValue>,
  ): Promise<void> {
    const requests = this.requests(kind) as Array<[string, MoneyRequest]>;
    if (requests.length === 0) return;
    const table = kind === 'expenses' ? 'expense' : 'payment';
    const dateColumn = kind === 'expenses' ? 'realdate' : 'paydate';
    const bindings: Knex.RawBinding[] = [];
    const sums: string[] = [];
    for (const [index, [, request]] of requests.entries()) {
      const projects = request.projects;
      sums.push(
        `SUM(CASE WHEN t.${dateColumn} >= ? AND t.${dateColumn} <= ? AND t.currency = ? AND t.project IN (${placeholders(projects)}) THEN t.amount ELSE 0 END) AS f${index}`,
      );
      bindings.push(request.from, request.to, await this.currencyId(request.currency), ...projects);
    }
    const from = requests.map(([, r]) => r.from).reduce((a, b) => (a < b ? a : b));
    const to = requests.map(([, r]) => r.to).reduce((a, b) => (a > b ? a : b));
    // A payment counts once credited; an expense the plugin booked itself (funds taken back) is no spending.
    const credited =
      kind === 'payments' ? `AND t.status = ${PAYMENT_CREDITED}` : `AND ${notPluginExpense('t')}`;
    // What every request shares narrows the rows read; each column then keeps its own request's rows.
    const currencies = [...new Set(await Promise.all(requests.map(([, r]) => this.currencyId(r.currency))))];
    const projects = [...new Set(requests.flatMap(([, r]) => r.projects))];
    const rows = await selectRows<Record<string, unknown>>(
      this.db,
      `SELECT t.account, ${sums.join(', ')}
         FROM ${table} t
        WHERE t.account BETWEEN ? AND ? AND t.${dateColumn} >= ? AND t.${dateColumn} <= ? ${credited}
          AND t.currency IN (${placeholders(currencies)}) AND t.project IN (${placeholders(projects)})
        GROUP BY t.account`,
      [...bindings, first, last, from, to, ...currencies, ...projects],
    );
    for (const [index, [key, request]] of requests.entries()) {
      const byAccount = new Map<number, FactValue>();
      for (const row of rows) {
        const sum = row[`f${index}`];
        if (sum !== null && sum !== undefined)
          byAccount.set(Number(row.account), parseMoney(String(sum), request.currency));
      }
      values.set(key, byAccount);
      defaults.set(key, money(0n, request.currency));
    }
  }

  private async gatherServices(
    page: AccountPage,
    [first, last]: readonly [number, number],
    values: Map<string, Map<number, FactValue>>,
    defaults: Map<string, FactValue>,
  ): Promise<void> {
    const counted = this.requests('services') as Array<[string, ServicesRequest]>;
    const firsts = this.requests('firstService');
    const recurring = this.requests('recurring');
    if (counted.length + firsts.length + recurring.length === 0) return;
    const bindings: Knex.RawBinding[] = [];
    const columns: string[] = [];
    for (const [index, [, request]] of counted.entries()) {
      columns.push(
        `SUM(CASE WHEN ${serviceFilterSql(request.filter, bindings)} THEN 1 ELSE 0 END) AS f${index}`,
      );
    }
    if (firsts.length > 0) columns.push('MIN(COALESCE(i.createdate, i.opendate)) AS first_service');
    if (recurring.length > 0) {
      columns.push(
        `SUM(CASE WHEN i.status <> ${ITEM_STATUS_CODE.deleted} AND i.${AUTO_RENEWAL.column} IS NOT NULL AND i.${AUTO_RENEWAL.column} <> 0 THEN 1 ELSE 0 END) AS auto_renew`,
      );
    }
    const joinPricelist = counted.some(([, r]) => r.filter.itemtype !== undefined);
    const rows = await selectRows<Record<string, unknown>>(
      this.db,
      `SELECT i.account, ${columns.join(', ')}
         FROM item i ${joinPricelist ? 'LEFT JOIN pricelist p ON p.id = i.pricelist' : ''}
        WHERE i.account BETWEEN ? AND ? AND i.parent IS NULL
        GROUP BY i.account`,
      [...bindings, first, last],
    );
    for (const [index, [key]] of counted.entries()) {
      values.set(key, new Map(rows.map((row) => [Number(row.account), wholeNumber(row[`f${index}`])])));
      defaults.set(key, 0);
    }
    for (const [key] of firsts) {
      const byAccount = new Map<number, FactValue>();
      for (const row of rows) {
        if (row.first_service !== null && row.first_service !== undefined)
          byAccount.set(Number(row.account), String(row.first_service).slice(0, 10));
      }
      values.set(key, byAccount);
      defaults.set(key, null);
    }
    if (recurring.length > 0) {
      // The recurring payment is the account's own column (read with the page); auto-renewal is per service.
      const autoRenew = new Map(rows.map((row) => [Number(row.account), wholeNumber(row.auto_renew)]));
      const byAccount = new Map<number, FactValue>(
        [...page.rows].map(([id, row]) => [
          id,
          { recurringPayment: row.recurringPayment, autoRenewServices: autoRenew.get(id) ?? 0 },
        ]),
      );
      for (const [key] of recurring) {
        values.set(key, byAccount);
        defaults.set(key, { recurringPayment: false, autoRenewServices: 0 });
      }
    }
  }

  private async gatherGroups(
    [first, last]: readonly [number, number],
    values: Map<string, Map<number, FactValue>>,
    defaults: Map<string, FactValue>,
  ): Promise<void> {
    const requests = this.requests('groups');
    if (requests.length === 0) return;
    const rows = (await this.db('account2group')
      .whereBetween('account', [first, last])
      .orderBy(['account', 'accountgroup'])
      .select('account', 'accountgroup')) as Array<{ account: number; accountgroup: number }>;
    const byAccount = new Map<number, number[]>();
    for (const row of rows) {
      const list = byAccount.get(Number(row.account)) ?? [];
      list.push(Number(row.accountgroup));
      byAccount.set(Number(row.account), list);
    }
    for (const [key] of requests) {
      values.set(key, byAccount as Map<number, FactValue>);
      defaults.set(key, []);
    }
  }

  private async gatherReferrals(
    [first, last]: readonly [number, number],
    values: Map<string, Map<number, FactValue>>,
    defaults: Map<string, FactValue>,
  ): Promise<void> {
    const requests = this.requests('referralProgram');
    if (requests.length === 0) return;
    const rows = await selectRows<{ account: number; program: number }>(
      this.db,
      `SELECT r.account, a.program
         FROM bmp_affiliate_referral r JOIN bmp_affiliate a ON a.id = r.affiliate
        WHERE r.account BETWEEN ? AND ? AND r.status = 'active'`,
      [first, last],
    );
    const byAccount = new Map<number, FactValue>(rows.map((r) => [Number(r.account), Number(r.program)]));
    for (const [key] of requests) {
      values.set(key, byAccount);
      defaults.set(key, null);
    }
  }

  private async gatherCertificateUses(
    [first, last]: readonly [number, number],
    values: Map<string, Map<number, FactValue>>,
    defaults: Map<string, FactValue>,
  ): Promise<void> {
    const requests = this.requests('certificateUses');
    if (requests.length === 0) return;
    this.certificateUsesRecorded ??= await this.db.schema.hasTable(CERTIFICATE_USE.table);
    const rows = this.certificateUsesRecorded
      ? await selectRows<{ account: number; promotion: number; uses: unknown }>(
          this.db,
          `SELECT u.${CERTIFICATE_USE.account} AS account, c.promotion, COUNT(*) AS uses
             FROM ${CERTIFICATE_USE.table} u JOIN ${PROMOTION_TABLES.code} c ON c.id = u.${CERTIFICATE_USE.code}
            WHERE u.${CERTIFICATE_USE.account} BETWEEN ? AND ? AND c.kind = 'certificate'
              AND u.${CERTIFICATE_USE.status} <> '${CERTIFICATE_USE.released}'
            GROUP BY u.${CERTIFICATE_USE.account}, c.promotion`,
          [first, last],
        )
      : [];
    for (const [key, request] of requests) {
      const byAccount = new Map<number, FactValue>();
      for (const row of rows) {
        if (request.promotion !== null && Number(row.promotion) !== request.promotion) continue;
        const account = Number(row.account);
        byAccount.set(account, ((byAccount.get(account) as number | undefined) ?? 0) + wholeNumber(row.uses));
      }
      values.set(key, byAccount);
      defaults.set(key, 0);
    }
  }

  /** The code given is the same for every account of the evaluation: read once. */
  private async gatherPromoCode(defaults: Map<string, FactValue>): Promise<void> {
    const requests = this.requests('promoCode');
    if (requests.length === 0) return;
    for (const [key, request] of requests) {
      this.promoCode ??= await this.readPromoCode(request.promotion);
      defaults.set(key, this.promoCode);
    }
  }

  private async readPromoCode(promotion: number): Promise<{ code: string | null; state: PromoCodeState }> {
    if (this.givenCode === undefined || this.givenCode === '') return { code: null, state: 'none' };
    const row = (await this.db(PROMOTION_TABLES.code)
      .where({ promotion, kind: 'code', code_key: this.givenCode })
      .first('code', 'uses', 'uses_limit', 'revoked_at')) as
      { code: string; uses: number; uses_limit: number | null; revoked_at: string | null } | undefined;
    if (!row) return { code: this.givenCode, state: 'unknown' };
    if (row.revoked_at !== null) return { code: row.code, state: 'revoked' };
    if (row.uses_limit !== null && wholeNumber(row.uses) >= wholeNumber(row.uses_limit))
      return { code: row.code, state: 'used_up' };
    return { code: row.code, state: 'valid' };
  }
}

/** One services request as a SQL condition on `item i` (and `pricelist p`), its values pushed to `bindings`. */
function serviceFilterSql(filter: ServiceFilter, bindings: Knex.RawBinding[]): string {
  const parts = [`i.status IN (${filter.statuses.map((s) => ITEM_STATUS_CODE[s]).join(', ')})`];
  if (filter.pricelist !== undefined) {
    parts.push('i.pricelist = ?');
    bindings.push(filter.pricelist);
  }
  if (filter.itemtype !== undefined) {
    parts.push('p.itemtype = ?');
    bindings.push(filter.itemtype);
  }
  if (filter.periods !== undefined && filter.periods.length > 0) {
    parts.push(`i.period IN (${placeholders(filter.periods)})`);
    bindings.push(...filter.periods);
  }
  if (filter.paidOnly)
    parts.push('EXISTS (SELECT 1 FROM expense x WHERE x.account = i.account AND x.item = i.id)');
  if (filter.orderedWithin) {
    if (filter.orderedWithin.from !== null) {
      parts.push('i.createdate >= ?');
      bindings.push(filter.orderedWithin.from);
    }
    if (filter.orderedWithin.before !== null) {
      parts.push('i.createdate < ?');
      bindings.push(filter.orderedWithin.before);
    }
  }
  if (filter.orderedOrOpened) {
    const { from, to } = filter.orderedOrOpened;
    parts.push('((i.createdate >= ? AND i.createdate <= ?) OR (i.opendate >= ? AND i.opendate <= ?))');
    bindings.push(from, to, from, to);
  }
  if (filter.expires) {
    parts.push('i.expiredate >= ? AND i.expiredate <= ?');
    bindings.push(filter.expires.from, filter.expires.to);
  }
  return parts.join(' AND ');
}
