/** Stored reward rules: a partner's own override (bmp_affiliate_override) and the group and account-type rules. */
import type { Db } from '../types';
import { T, type DbAffiliateGroupRuleRow, type DbAffiliateOverrideRow, type DbRuleColumns } from './tables';

/** Sets the partner's override, replacing the one it had. */
export async function upsertOverride(
  db: Db,
  affiliate: number,
  columns: DbRuleColumns,
  updatedAt: string,
): Promise<void> {
  await db(T.override)
    .insert({ affiliate, ...columns, updated_at: updatedAt })
    .onConflict('affiliate')
    .merge();
}

/** Whether the partner had an override to delete. */
export async function deleteOverride(db: Db, affiliate: number): Promise<boolean> {
  return (await db(T.override).where({ affiliate }).delete()) > 0;
}

export async function findOverride(db: Db, affiliate: number): Promise<DbAffiliateOverrideRow | undefined> {
  return (await db(T.override).where({ affiliate }).first()) as DbAffiliateOverrideRow | undefined;
}

export async function overridesOf(db: Db, affiliates: readonly number[]): Promise<DbAffiliateOverrideRow[]> {
  return (await db(T.override).whereIn('affiliate', [...affiliates])) as DbAffiliateOverrideRow[];
}

export async function insertGroupRule(db: Db, row: Omit<DbAffiliateGroupRuleRow, 'id'>): Promise<number> {
  const [id] = await db(T.groupRule).insert(row);
  return Number(id);
}

/** Whether there was a rule `id` to delete. */
export async function deleteGroupRule(db: Db, id: number): Promise<boolean> {
  return (await db(T.groupRule).where({ id }).delete()) > 0;
}

export async function listGroupRuleRows(db: Db): Promise<DbAffiliateGroupRuleRow[]> {
  return (await db(T.groupRule).orderBy('id')) as DbAffiliateGroupRuleRow[];
}
