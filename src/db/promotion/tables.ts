/** The promotion tables (migrations 20261202_0001 and _0002): rows as stored, one query per function. */
import type { Db } from '../types';

export const PROMOTION_TABLES = {
  promotion: 'bmp_promotion',
  condition: 'bmp_promotion_condition',
  code: 'bmp_promotion_code',
} as const;

export interface DbPromotionRow {
  id: number;
  project: number;
  internal_name: string;
  client_name: string;
  kind: string;
  starts_at: string | null;
  ends_at: string | null;
  per_client_limit: number | null;
  status: string;
  created_at: string;
  updated_at: string | null;
}

export interface DbPromotionConditionRow {
  id: number;
  promotion: number;
  code: string;
  condition_group: string | null;
  args: string;
  created_at: string;
}

type PromotionColumns = Omit<DbPromotionRow, 'id' | 'created_at' | 'updated_at'>;

export async function insertPromotion(db: Db, row: PromotionColumns, createdAt: string): Promise<number> {
  const [id] = await db(PROMOTION_TABLES.promotion).insert({ ...row, created_at: createdAt });
  return Number(id);
}

export async function updatePromotion(
  db: Db,
  id: number,
  row: PromotionColumns,
  updatedAt: string,
): Promise<void> {
  await db(PROMOTION_TABLES.promotion)
    .where({ id })
    .update({ ...row, updated_at: updatedAt });
}

export async function promotionRow(
  db: Db,
  id: number,
  { forUpdate = false } = {},
): Promise<DbPromotionRow | undefined> {
  const query = db(PROMOTION_TABLES.promotion).where({ id }).first();
  return (await (forUpdate ? query.forUpdate() : query)) as DbPromotionRow | undefined;
}

export async function promotionRows(db: Db, { status }: { status?: string } = {}): Promise<DbPromotionRow[]> {
  const query = db(PROMOTION_TABLES.promotion).orderBy('id');
  if (status !== undefined) void query.where({ status });
  return (await query) as DbPromotionRow[];
}

export async function insertCondition(
  db: Db,
  row: Omit<DbPromotionConditionRow, 'id' | 'created_at'>,
  createdAt: string,
): Promise<number> {
  const [id] = await db(PROMOTION_TABLES.condition).insert({ ...row, created_at: createdAt });
  return Number(id);
}

/** Deletes one condition of a promotion; false when the promotion has no such condition. */
export async function deleteCondition(db: Db, promotion: number, id: number): Promise<boolean> {
  return (await db(PROMOTION_TABLES.condition).where({ promotion, id }).delete()) > 0;
}

export async function conditionRows(db: Db, promotion: number): Promise<DbPromotionConditionRow[]> {
  return (await db(PROMOTION_TABLES.condition)
    .where({ promotion })
    .orderBy('id')) as DbPromotionConditionRow[];
}
