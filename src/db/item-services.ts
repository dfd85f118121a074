/**
 * The host's main services (`item` rows without a parent) as the affiliate code reads them: their tariff prices
 * (`pricelistprice`, `price`, `currency`) and how many are still unpaid.
 */
import { placeholders, selectRows } from './affiliate/sql';
import type { Db } from './types';

/** Item status codes (host contract): 1 ordered, 2 active. */
export const ITEM_STATUS = { ordered: 1, active: 2 } as const;

export interface MainServicePriceRow {
  account: number;
  item: number;
  monthly: string | number | null;
  annually: string | number | null;
  currency: string;
}

/**
 * The tariff price rows of each main service of the accounts that has a monthly price, in the service's currency
 * (every currency when the service has none). Ordered by account, service id, then currency id.
 */
export async function mainServicePrices(
  db: Db,
  accounts: readonly number[],
  { activeOnly }: { activeOnly: boolean },
): Promise<MainServicePriceRow[]> {
  return selectRows<MainServicePriceRow>(
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
}

/** How many of the account's main services are ordered and not yet paid. */
export async function unpaidMainServices(db: Db, account: number): Promise<number> {
  const [unpaid] = (await db('item')
    .where({ account, status: ITEM_STATUS.ordered })
    .whereNull('parent')
    .count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(unpaid?.n ?? 0);
}

/** The account a service belongs to. */
export async function accountOfItem(db: Db, item: number): Promise<number | undefined> {
  const row = (await db('item').where({ id: item }).first('account')) as
    { account: number | null } | undefined;
  return row?.account ? Number(row.account) : undefined;
}
