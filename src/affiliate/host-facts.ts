/**
 * What the affiliate code reads from host tables (sql/fixture/host-schema.sql): services and their prices,
 * payments, account identities. Host tables are only read here, except the payment rows and balance the
 * monthly run writes (holding.ts).
 */
import { money, parseMoney, type Money } from '../domain/money';
import { placeholders, selectRows, type Db } from '../db/affiliate/sql';

/** [assumed] payment.status values of the fixture: 4 paid, 5 cancelled, 6 refunded. */
export const PAYMENT_STATUS = { paid: 4, cancelled: 5, refunded: 6 } as const;
/** Item status codes (host contract): 1 ordered, 2 active. */
export const ITEM_STATUS = { ordered: 1, active: 2 } as const;

export interface ServicePrice {
  readonly account: number;
  readonly item: number;
  readonly monthly: Money;
  /** One year: the tariff's annual price, else twelve months. */
  readonly yearly: Money;
}

/**
 * The monthly price of each main service (not an add-on) of the accounts, from the tariff's price row in the
 * service's currency; services without a monthly price are left out. Ordered by account, then service id.
 */
export async function servicePrices(
  db: Db,
  accounts: readonly number[],
  { activeOnly }: { activeOnly: boolean },
): Promise<ServicePrice[]> {
  if (accounts.length === 0) return [];
  const rows = await selectRows<{
    account: number;
    item: number;
    monthly: string | number | null;
    annually: string | number | null;
    currency: string;
  }>(
    db,
    `SELECT i.account, i.id AS item, pr.monthly, pr.annually, c.iso AS currency
       FROM item i
       JOIN pricelistprice pp ON pp.pricelist = i.pricelist AND (i.currency IS NULL OR pp.currency = i.currency)
       JOIN price pr ON pr.id = pp.price
       JOIN currency c ON c.id = pp.currency
      WHERE i.account IN (${placeholders(accounts)}) AND i.parent IS NULL AND pr.monthly IS NOT NULL
        ${activeOnly ? `AND i.status = ${ITEM_STATUS.active}` : ''}
      ORDER BY i.account, i.id, c.id`,
    accounts,
  );
  return rows.map((row) => {
    const monthly = parseMoney(String(row.monthly), row.currency);
    const yearly =
      row.annually === null
        ? money(monthly.minor * 12n, monthly.currency)
        : parseMoney(String(row.annually), row.currency);
    return { account: Number(row.account), item: Number(row.item), monthly, yearly };
  });
}

/** The referred account's plan: its first main service. */
export function firstServiceOf(prices: readonly ServicePrice[], account: number): ServicePrice | undefined {
  return prices.find((p) => p.account === account);
}

/** The partner's own plan: its active main service with the highest monthly price (the oldest on a tie). */
export function planOf(prices: readonly ServicePrice[], account: number): ServicePrice | undefined {
  let best: ServicePrice | undefined;
  for (const price of prices) {
    if (price.account !== account) continue;
    if (
      !best ||
      (price.monthly.currency === best.monthly.currency && price.monthly.minor > best.monthly.minor)
    ) {
      best = price;
    }
  }
  return best;
}

/** Who an account is, for self-referral checks: e-mail and the payer identities of its payments. */
export async function identitiesOf(
  db: Db,
  accounts: readonly number[],
): Promise<Map<number, { account: number; email: string | null; payers: string[] }>> {
  const identities = new Map<number, { account: number; email: string | null; payers: string[] }>();
  if (accounts.length === 0) return identities;
  const rows = (await db('account')
    .whereIn('id', [...accounts])
    .select('id', 'email')) as Array<{
    id: number;
    email: string | null;
  }>;
  for (const row of rows)
    identities.set(Number(row.id), { account: Number(row.id), email: row.email, payers: [] });
  const payers = (await db('payment')
    .whereIn('account', [...accounts])
    .whereNotNull('payer')
    .distinct('account', 'payer')) as Array<{ account: number; payer: string }>;
  for (const row of payers) identities.get(Number(row.account))?.payers.push(row.payer);
  return identities;
}
