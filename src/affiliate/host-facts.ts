/**
 * What the affiliate code makes of host tables (the queries are in src/db/account.ts, payment.ts,
 * item-services.ts): services and their prices, account identities.
 */
import { money, parseMoney, type Money } from '../domain/money';
import { emailsOf } from '../db/account';
import { mainServicePrices } from '../db/item-services';
import { payersOf } from '../db/payment';
import type { Db } from '../db/types';

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
  const rows = await mainServicePrices(db, accounts, { activeOnly });
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
  const rows = await emailsOf(db, accounts);
  for (const row of rows)
    identities.set(Number(row.id), { account: Number(row.id), email: row.email, payers: [] });
  const payers = await payersOf(db, accounts);
  for (const row of payers) identities.get(Number(row.account))?.payers.push(row.payer);
  return identities;
}
