/** Promotions (seed 002): create, edit, list, show and archive; every change validated as a whole. */
import { localDateTime } from '../domain/dates';
import { ConflictError, NotFoundError } from '../domain/errors';
import { validatePromotion, type Promotion, type PromotionInput } from '../domain/promotion/promotion';
import { withTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import {
  insertPromotion,
  promotionRow,
  promotionRows,
  updatePromotion,
  type DbPromotionRow,
} from '../db/promotion/tables';

export interface PromotionView extends Promotion {
  readonly id: number;
  readonly createdAt: string;
  readonly updatedAt: string | null;
}

export async function createPromotion(db: Db, input: PromotionInput, now: Date): Promise<PromotionView> {
  const promotion = validatePromotion(input);
  const id = await withTransaction(
    db,
    (trx) => insertPromotion(trx, columnsOf(promotion), localDateTime(now)),
    {
      onConflict: () => {
        throw nameTaken(promotion);
      },
    },
  );
  return getPromotion(db, id);
}

/** Changes a promotion; the result is validated as a whole. An archived promotion is not changed any more. */
export async function editPromotion(
  db: Db,
  id: number,
  changes: PromotionInput,
  now: Date,
): Promise<PromotionView> {
  await withTransaction(
    db,
    async (trx) => {
      const current = await promotionRow(trx, id, { forUpdate: true });
      if (!current) throw notFound(id);
      if (current.status === 'archived') {
        throw new ConflictError('promotion', `promotion ${id} is archived: it is not changed any more`, {
          id: String(id),
        });
      }
      const merged = validatePromotion({ ...inputOf(fromRow(current)), ...withoutUndefined(changes) });
      await updatePromotion(trx, id, columnsOf(merged), localDateTime(now));
    },
    {
      onConflict: () => {
        throw new ConflictError(
          'promotion',
          `another promotion of this provider is already named '${changes.internalName ?? ''}'`,
        );
      },
    },
  );
  return getPromotion(db, id);
}

/** Archives a promotion: it leaves every list of offers; archiving again changes nothing. */
export async function archivePromotion(db: Db, id: number, now: Date): Promise<PromotionView> {
  await withTransaction(db, async (trx) => {
    const current = await promotionRow(trx, id, { forUpdate: true });
    if (!current) throw notFound(id);
    if (current.status !== 'archived') {
      await updatePromotion(
        trx,
        id,
        { ...columnsOf(fromRow(current)), status: 'archived' },
        localDateTime(now),
      );
    }
  });
  return getPromotion(db, id);
}

export async function getPromotion(db: Db, id: number): Promise<PromotionView> {
  const row = await promotionRow(db, id);
  if (!row) throw notFound(id);
  return fromRow(row);
}

export async function listPromotions(db: Db, filter: { status?: string } = {}): Promise<PromotionView[]> {
  return (await promotionRows(db, filter)).map(fromRow);
}

function notFound(id: number): NotFoundError {
  return new NotFoundError('promotion', `there is no promotion ${id}`, { id: String(id) });
}

function nameTaken(p: Promotion): ConflictError {
  return new ConflictError(
    'promotion',
    `provider ${p.project} already has a promotion named '${p.internalName}'`,
    { name: p.internalName },
  );
}

function columnsOf(p: Promotion): Omit<DbPromotionRow, 'id' | 'created_at' | 'updated_at'> {
  return {
    project: p.project,
    internal_name: p.internalName,
    client_name: p.clientName,
    kind: p.kind,
    starts_at: p.startsAt,
    ends_at: p.endsAt,
    per_client_limit: p.perClientLimit,
    status: p.status,
  };
}

function fromRow(row: DbPromotionRow): PromotionView {
  return {
    id: Number(row.id),
    project: Number(row.project),
    internalName: row.internal_name,
    clientName: row.client_name,
    kind: row.kind as Promotion['kind'],
    startsAt: row.starts_at === null ? null : String(row.starts_at).slice(0, 19),
    endsAt: row.ends_at === null ? null : String(row.ends_at).slice(0, 19),
    perClientLimit: row.per_client_limit === null ? null : Number(row.per_client_limit),
    status: row.status as Promotion['status'],
    createdAt: String(row.created_at).slice(0, 19),
    updatedAt: row.updated_at === null ? null : String(row.updated_at).slice(0, 19),
  };
}

function inputOf(p: Promotion): PromotionInput {
  return { ...p };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
