/** Listing, exporting and revoking promo codes and certificates (one code table, told apart by `kind`). */
import type { Knex } from 'knex';
import { formatDateTime } from '../../domain/dates';
import { ValidationError } from '../../domain/errors';
import { formatMoney, money } from '../../domain/money';
import { codeKey } from '../../domain/promotion/codes/template';
import {
  batchesOf,
  codesPage,
  revokeCodes,
  type CodeFilter,
  type DbPromotionCodeRow,
} from '../../db/promotion/codes';

export interface CodeView {
  id: number;
  code: string;
  kind: 'code' | 'certificate';
  promotion: number;
  batch: number | null;
  uses: number;
  usesLimit: number | null;
  createdAt: string;
  revokedAt: string | null;
}

export function codeView(row: DbPromotionCodeRow): CodeView {
  return {
    id: Number(row.id),
    code: row.code,
    kind: row.kind,
    promotion: Number(row.promotion),
    batch: row.batch === null ? null : Number(row.batch),
    uses: Number(row.uses),
    usesLimit: row.uses_limit === null ? null : Number(row.uses_limit),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

export interface BatchView {
  id: number;
  kind: 'code' | 'certificate';
  template: string;
  digitsOnly: boolean;
  count: number;
  generated: number;
  regenerated: number;
  status: string;
  usesLimit: number | null;
  perClientLimit: number | null;
  activeFrom: string | null;
  activeUntil: string | null;
  discountPeriod: string | null;
  amount: string | null;
  fundsPeriod: string | null;
  createdAt: string;
}

/** The promotion's batches of one kind, with the first `limit` codes of them. */
export async function listCodes(
  db: Knex,
  filter: CodeFilter & { kind: 'code' | 'certificate' },
  limit: number,
): Promise<{ batches: BatchView[]; codes: CodeView[] }> {
  const batches =
    filter.promotion === undefined
      ? []
      : (await batchesOf(db, filter.promotion))
          .filter(
            (b) => b.kind === filter.kind && (filter.batch === undefined || Number(b.id) === filter.batch),
          )
          .map((b) => ({
            id: Number(b.id),
            kind: b.kind,
            template: b.template,
            digitsOnly: Boolean(Number(b.digits_only)),
            count: Number(b.count),
            generated: Number(b.generated),
            regenerated: Number(b.regenerated),
            status: b.status,
            usesLimit: b.uses_limit,
            perClientLimit: b.per_client_limit,
            activeFrom: b.active_from,
            activeUntil: b.active_until,
            discountPeriod: b.discount_period_type
              ? `${b.discount_period_length} ${b.discount_period_type}`
              : null,
            amount:
              b.amount_kind === 'fixed'
                ? formatMoney(money(BigInt(String(b.amount_minor)), b.currency ?? ''))
                : b.amount_kind === 'last_payment'
                  ? `${b.percent}% of the last payment`
                  : null,
            fundsPeriod: b.funds_period_type ? `${b.funds_period_length} ${b.funds_period_type}` : null,
            createdAt: b.created_at,
          }));
  const codes = (await codesPage(db, filter, 0, limit)).map(codeView);
  return { batches, codes };
}

const CSV_HEADER = 'code,kind,promotion,batch,uses,uses_limit,created_at,revoked_at';
const PAGE = 5000;

/**
 * Writes every code of the filter as CSV (a header, one line a code) or as one JSON array, a page at a time:
 * the memory stays one page. `write` may answer a promise to hold the next page back (a full pipe).
 */
export async function exportCodes(
  db: Knex,
  filter: CodeFilter,
  format: 'csv' | 'json',
  write: (text: string) => void | Promise<void>,
): Promise<number> {
  let afterId = 0;
  let written = 0;
  await write(format === 'csv' ? `${CSV_HEADER}\n` : '[');
  for (;;) {
    const page = await codesPage(db, filter, afterId, PAGE);
    if (page.length === 0) break;
    const lines = page.map((row) => {
      const view = codeView(row);
      if (format === 'json') return JSON.stringify(view);
      return [
        view.code,
        view.kind,
        view.promotion,
        view.batch ?? '',
        view.uses,
        view.usesLimit ?? '',
        view.createdAt,
        view.revokedAt ?? '',
      ]
        .map((v) => csvField(String(v)))
        .join(',');
    });
    await write(format === 'csv' ? `${lines.join('\n')}\n` : `${written === 0 ? '' : ','}${lines.join(',')}`);
    written += page.length;
    afterId = Number(page[page.length - 1]?.id ?? afterId);
  }
  if (format === 'json') await write(']\n');
  return written;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Revokes the codes typed (by their key) or a whole batch; a revoked code is refused as withdrawn. */
export async function revoke(
  db: Knex,
  target: { kind: 'code' | 'certificate'; codes?: readonly string[]; batch?: number },
  now: Date,
): Promise<number> {
  if ((target.codes === undefined || target.codes.length === 0) === (target.batch === undefined))
    throw new ValidationError('revoke', ['name the codes to revoke or one batch (--batch), not both']);
  return revokeCodes(
    db,
    {
      kind: target.kind,
      ...(target.codes !== undefined && target.codes.length > 0 ? { keys: target.codes.map(codeKey) } : {}),
      ...(target.batch !== undefined ? { batch: target.batch } : {}),
    },
    formatDateTime(now),
  );
}
