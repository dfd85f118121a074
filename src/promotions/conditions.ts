/** The conditions of a promotion: add (checked against the condition type's declaration), remove, list. */
import { localDateTime } from '../domain/dates';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { conditionType, CONDITION_TYPES } from '../domain/promotion/conditions';
import { parseArgs } from '../domain/promotion/condition';
import type { StoredCondition } from '../domain/promotion/eligibility';
import { withTransaction } from '../db/transaction';
import type { Db } from '../db/types';
import {
  conditionRows,
  deleteCondition,
  insertCondition,
  promotionRow,
  type DbPromotionConditionRow,
} from '../db/promotion/tables';

const GROUP_LENGTH = 64;

export interface ConditionInput {
  code: string;
  /** The condition group; undefined or '' = ungrouped (required). */
  group?: string;
  args: Readonly<Record<string, string>>;
}

export interface ConditionView extends StoredCondition {
  readonly promotion: number;
}

export async function addCondition(
  db: Db,
  promotion: number,
  input: ConditionInput,
  now: Date,
): Promise<ConditionView> {
  const code = input.code.trim();
  const group = input.group?.trim() ? input.group.trim() : null;
  const problems: string[] = [];
  const entry = conditionType(code);
  if (!entry) {
    problems.push(
      `unknown condition type '${code}' (one of ${CONDITION_TYPES.map((c) => c.code).join(', ')})`,
    );
  } else {
    problems.push(...parseArgs(entry, input.args).problems);
  }
  if (group !== null && group.length > GROUP_LENGTH)
    problems.push(`the condition group must be at most ${GROUP_LENGTH} characters`);
  if (problems.length > 0) throw new ValidationError(`condition ${code || '(no type)'}`, problems);
  const args = Object.fromEntries(Object.entries(input.args).map(([k, v]) => [k, v.trim()]));
  const id = await withTransaction(db, async (trx) => {
    const row = await promotionRow(trx, promotion, { forUpdate: true });
    if (!row)
      throw new NotFoundError('promotion', `there is no promotion ${promotion}`, { id: String(promotion) });
    if (row.status === 'archived')
      throw new ConflictError(
        'promotion',
        `promotion ${promotion} is archived: its conditions are not changed any more`,
      );
    return insertCondition(
      trx,
      { promotion, code, condition_group: group, args: JSON.stringify(args) },
      localDateTime(now),
    );
  });
  return { id, promotion, code, group, args };
}

export async function removeCondition(db: Db, promotion: number, id: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    const row = await promotionRow(trx, promotion, { forUpdate: true });
    if (!row)
      throw new NotFoundError('promotion', `there is no promotion ${promotion}`, { id: String(promotion) });
    if (row.status === 'archived')
      throw new ConflictError(
        'promotion',
        `promotion ${promotion} is archived: its conditions are not changed any more`,
      );
    if (!(await deleteCondition(trx, promotion, id)))
      throw new NotFoundError('condition', `promotion ${promotion} has no condition ${id}`, {
        id: String(id),
      });
  });
}

export async function listConditions(db: Db, promotion: number): Promise<ConditionView[]> {
  return (await conditionRows(db, promotion)).map(fromRow);
}

function fromRow(row: DbPromotionConditionRow): ConditionView {
  return {
    id: Number(row.id),
    promotion: Number(row.promotion),
    code: row.code,
    group: row.condition_group,
    args: readArgs(row.args),
  };
}

/** Stored arguments; a row that is not a JSON object of strings reads as none (its check then names what is missing). */
function readArgs(text: string): Record<string, string> {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}
