/**
 * Promo codes and certificates in the one code table (`bmp_promotion_code`, unique by `code_key`) and their
 * generation batches (`bmp_promotion_code_batch`): row types mirroring the columns, one query per function.
 */
import type { Knex } from 'knex';
import { isMysql } from '../connect';
import type { Db } from '../types';

export const CODE_TABLE = 'bmp_promotion_code';
export const BATCH_TABLE = 'bmp_promotion_code_batch';

export interface DbPromotionCodeRow {
  id: string | number;
  promotion: number;
  kind: 'code' | 'certificate';
  code: string;
  code_key: string;
  uses_limit: number | null;
  uses: number;
  created_at: string;
  revoked_at: string | null;
  batch: string | number | null;
}

export interface DbPromotionCodeBatchRow {
  id: string | number;
  promotion: number;
  kind: 'code' | 'certificate';
  template: string;
  digits_only: number | boolean;
  count: number;
  generated: number;
  regenerated: number;
  uses_limit: number | null;
  per_client_limit: number | null;
  active_from: string | null;
  active_until: string | null;
  discount_period_type: string | null;
  discount_period_length: number | null;
  amount_kind: 'fixed' | 'last_payment' | null;
  amount_minor: string | number | null;
  currency: string | null;
  percent: string | null;
  funds_period_type: string | null;
  funds_period_length: number | null;
  status: 'generating' | 'complete' | 'failed';
  created_at: string;
  finished_at: string | null;
}

export type NewBatchRow = Omit<DbPromotionCodeBatchRow, 'id' | 'generated' | 'regenerated' | 'finished_at'>;

export async function insertBatch(db: Db, row: NewBatchRow): Promise<number> {
  const [id] = (await db(BATCH_TABLE).insert(row)) as number[];
  return Number(id);
}

export async function batchById(db: Db, id: number): Promise<DbPromotionCodeBatchRow | undefined> {
  return (await db(BATCH_TABLE).where({ id }).first()) as DbPromotionCodeBatchRow | undefined;
}

export async function batchesOf(db: Db, promotion: number): Promise<DbPromotionCodeBatchRow[]> {
  return (await db(BATCH_TABLE).where({ promotion }).orderBy('id')) as DbPromotionCodeBatchRow[];
}

/** Codes already made from templates written `template` (any case) with the same alphabet: they share its space. */
export async function codesOfTemplate(db: Db, template: string, digitsOnly: boolean): Promise<number> {
  const row = (await db(BATCH_TABLE)
    .whereRaw('UPPER(template) = ?', [template.toUpperCase()])
    .where({ digits_only: digitsOnly })
    .sum({ taken: 'generated' })
    .first()) as { taken: string | number | null } | undefined;
  return Number(row?.taken ?? 0);
}

export async function recordProgress(
  db: Db,
  id: number,
  progress: { generated: number; regenerated: number },
): Promise<void> {
  await db(BATCH_TABLE).where({ id }).update(progress);
}

export async function finishBatch(
  db: Db,
  id: number,
  status: 'complete' | 'failed',
  finishedAt: string,
): Promise<void> {
  await db(BATCH_TABLE).where({ id }).update({ status, finished_at: finishedAt });
}

export type NewCodeRow = Pick<
  DbPromotionCodeRow,
  'promotion' | 'kind' | 'code' | 'code_key' | 'uses_limit' | 'created_at'
> & { batch: number };

const CODE_COLUMNS = [
  'promotion',
  'kind',
  'code',
  'code_key',
  'uses_limit',
  'uses',
  'created_at',
  'batch',
] as const;

/**
 * Inserts codes in one statement, leaving out those whose key is taken (by another code or a certificate, of any
 * batch); answers how many went in. MySQL: INSERT IGNORE, whose affected rows are the rows inserted (the codes are
 * generated and checked beforehand, so IGNORE has no bad data to turn into warnings). SQLite: INSERT OR IGNORE,
 * then the rows of the batch among the keys are counted.
 */
export async function insertCodesSkippingTaken(db: Db, rows: readonly NewCodeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rowPlaceholders(rows.length);
  const bindings: Knex.RawBinding[] = [];
  for (const row of rows)
    bindings.push(
      row.promotion,
      row.kind,
      row.code,
      row.code_key,
      row.uses_limit,
      0,
      row.created_at,
      row.batch,
    );
  const columns = `${CODE_TABLE} (${CODE_COLUMNS.join(', ')})`;
  if (isMysql(db as Knex)) {
    const [result] = (await db.raw(
      `INSERT IGNORE INTO ${columns} VALUES ${values}`,
      bindings,
    )) as unknown as [{ affectedRows: number }];
    return result.affectedRows;
  }
  await db.raw(`INSERT OR IGNORE INTO ${columns} VALUES ${values}`, bindings);
  const batch = rows[0]?.batch ?? 0;
  const counted = (await db(CODE_TABLE)
    .where({ batch })
    .whereIn(
      'code_key',
      rows.map((r) => r.code_key),
    )
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return Number(counted?.n ?? 0);
}

const ROW_PLACEHOLDER = `(${CODE_COLUMNS.map(() => '?').join(', ')})`;
let lastPlaceholders = { rows: 0, text: '' };

/** `(?, ...), (?, ...)` for `rows` rows, kept for the next chunk of the same size. */
function rowPlaceholders(rows: number): string {
  if (lastPlaceholders.rows !== rows)
    lastPlaceholders = { rows, text: Array.from({ length: rows }, () => ROW_PLACEHOLDER).join(', ') };
  return lastPlaceholders.text;
}

export interface CodeFilter {
  promotion?: number;
  batch?: number;
  kind?: 'code' | 'certificate';
}

/** One page of codes in id order after `afterId`: export reads the whole list a page at a time. */
export async function codesPage(
  db: Db,
  filter: CodeFilter,
  afterId: number,
  limit: number,
): Promise<DbPromotionCodeRow[]> {
  const query = db(CODE_TABLE).where('id', '>', afterId).orderBy('id').limit(limit);
  if (filter.promotion !== undefined) query.where({ promotion: filter.promotion });
  if (filter.batch !== undefined) query.where({ batch: filter.batch });
  if (filter.kind !== undefined) query.where({ kind: filter.kind });
  return (await query) as DbPromotionCodeRow[];
}

export async function codeById(db: Db, id: number): Promise<DbPromotionCodeRow | undefined> {
  return (await db(CODE_TABLE).where({ id }).first()) as DbPromotionCodeRow | undefined;
}

export async function codeByKey(db: Db, codeKey: string): Promise<DbPromotionCodeRow | undefined> {
  return (await db(CODE_TABLE).where({ code_key: codeKey }).first()) as DbPromotionCodeRow | undefined;
}

/** Revokes the codes named (by key) or every code of a batch; answers how many were revoked now. */
export async function revokeCodes(
  db: Db,
  target: { kind: 'code' | 'certificate'; keys?: readonly string[]; batch?: number },
  revokedAt: string,
): Promise<number> {
  const query = db(CODE_TABLE).where({ kind: target.kind }).whereNull('revoked_at');
  if (target.keys !== undefined) query.whereIn('code_key', [...target.keys]);
  if (target.batch !== undefined) query.where({ batch: target.batch });
  return Number(await query.update({ revoked_at: revokedAt }));
}
