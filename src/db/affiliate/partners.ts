/** bmp_affiliate: the partners (affiliates) of the programs, one promo code each. */
import type { Db } from '../types';
import { placeholders, selectRows } from './sql';
import { T, type DbAffiliateRow } from './tables';

export async function insertPartner(db: Db, row: Omit<DbAffiliateRow, 'id'>): Promise<number> {
  const [id] = await db(T.affiliate).insert(row);
  return Number(id);
}

export async function findPartner(db: Db, id: number): Promise<DbAffiliateRow | undefined> {
  return (await db(T.affiliate).where({ id }).first()) as DbAffiliateRow | undefined;
}

/** The partner holding a (normalised) promo code. */
export async function findPartnerByPromocode(db: Db, promocode: string): Promise<{ id: number } | undefined> {
  return (await db(T.affiliate).where({ promocode }).first('id')) as { id: number } | undefined;
}

export async function setPartnerPromocode(db: Db, id: number, promocode: string): Promise<void> {
  await db(T.affiliate).where({ id }).update({ promocode });
}

/** How many partners changed: 0 when there is no partner `id`. */
export async function setPartnerActiveFlag(db: Db, id: number, active: boolean): Promise<number> {
  return db(T.affiliate)
    .where({ id })
    .update({ active: active ? 1 : 0 });
}

export async function listPartnerRows(
  db: Db,
  filter: { program?: number; account?: number } = {},
): Promise<DbAffiliateRow[]> {
  const query = db(T.affiliate).orderBy('id');
  if (filter.program !== undefined) query.where({ program: filter.program });
  if (filter.account !== undefined) query.where({ account: filter.account });
  return (await query) as DbAffiliateRow[];
}

/** A partner with what a binding needs of its program. */
export interface PartnerForBinding {
  account: number;
  active: number;
  program_active: number;
  referral_months: number;
}

export async function findPartnerForBinding(db: Db, id: number): Promise<PartnerForBinding | undefined> {
  return (await db(T.affiliate)
    .join(T.program, `${T.program}.id`, `${T.affiliate}.program`)
    .where(`${T.affiliate}.id`, id)
    .first(
      `${T.affiliate}.account`,
      `${T.affiliate}.active`,
      `${T.program}.active as program_active`,
      `${T.program}.referral_months`,
    )) as PartnerForBinding | undefined;
}

/** A partner with the program columns its rules are resolved from. */
export interface PartnerFactsRow {
  id: number;
  account: number;
  program: number;
  project: number;
  reward_percent: string | number | null;
  referral_months: number;
  client_group: number | null;
  forbidden_group: number | null;
  active: number;
  program_active: number;
}

/** The partners with their programs, in one query (a page of the run). */
export async function partnerFacts(db: Db, affiliates: readonly number[]): Promise<PartnerFactsRow[]> {
  return selectRows<PartnerFactsRow>(
    db,
    `SELECT a.id, a.account, a.program, p.project, p.reward_percent, p.referral_months, p.client_group,
            p.forbidden_group, a.active, p.active AS program_active
       FROM ${T.affiliate} a JOIN ${T.program} p ON p.id = a.program
      WHERE a.id IN (${placeholders(affiliates)}) ORDER BY a.id`,
    affiliates,
  );
}

/** The partner whose host account has this name; the oldest partner row when it is a partner of several programs. */
export async function partnerByAccountName(db: Db, name: string): Promise<number | undefined> {
  const row = (await db(`${T.affiliate} as a`)
    .join('account as acc', 'acc.id', 'a.account')
    .where('acc.name', name)
    .orderBy('a.id')
    .first('a.id')) as { id: number } | undefined;
  return row ? Number(row.id) : undefined;
}

/** The partner rows (id, account) of the accounts. */
export async function partnersOfAccounts(
  db: Db,
  accounts: readonly number[],
): Promise<Array<{ id: number; account: number }>> {
  return (await db(T.affiliate)
    .whereIn('account', [...accounts])
    .select('id', 'account')) as Array<{
    id: number;
    account: number;
  }>;
}

/** A page of partner ids, by id after `after`. */
export async function partnerIdsAfter(db: Db, after: number, limit: number): Promise<number[]> {
  return (await db(T.affiliate).where('id', '>', after).orderBy('id').limit(limit).pluck('id')).map(Number);
}
