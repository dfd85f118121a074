/** Writing the append-only reward ledger: entries are only ever inserted, and the unique key stops doubles. */
import type { Money } from '../../domain/money';
import type { EntryKind } from '../../domain/affiliate/holding';
import { insertNew, type Db } from './sql';
import { LEDGER_KEY, T, type DbAffiliateLedgerRow } from './tables';

export type LedgerEntry = Omit<DbAffiliateLedgerRow, 'id'>;

/** The columns in the order INSERT ... SELECT statements name them. */
export const LEDGER_COLUMNS = [
  'kind',
  'affiliate',
  'account',
  'referral',
  'source_kind',
  'source_id',
  'rule',
  'rule_ref',
  'period',
  'currency',
  'amount_minor',
  'available_on',
  'payment',
  'run',
  'created_at',
  'note',
] as const satisfies readonly (keyof LedgerEntry)[];

export interface EntryFields {
  kind: EntryKind;
  affiliate: number;
  account: number;
  referral?: number | null;
  sourceKind: 'expenses' | 'referral' | 'payment' | 'affiliate' | 'run' | 'withdrawal';
  sourceId: number;
  rule: string;
  ruleRef?: string | null;
  period: string;
  amount: Money;
  availableOn?: string | null;
  payment?: number | null;
  run?: number | null;
  createdAt: string;
  note?: string | null;
}

export function entry(fields: EntryFields): LedgerEntry {
  return {
    kind: fields.kind,
    affiliate: fields.affiliate,
    account: fields.account,
    referral: fields.referral ?? null,
    source_kind: fields.sourceKind,
    source_id: fields.sourceId,
    rule: fields.rule,
    rule_ref: fields.ruleRef ?? null,
    period: fields.period,
    currency: fields.amount.currency,
    amount_minor: fields.amount.minor.toString(),
    available_on: fields.availableOn ?? null,
    payment: fields.payment ?? null,
    run: fields.run ?? null,
    created_at: fields.createdAt,
    note: fields.note === undefined || fields.note === null ? null : fields.note.slice(0, 255),
  };
}

/** Appends entries; one whose key (kind, source, rule, affiliate, period, currency) is taken is skipped. */
export async function appendEntries(db: Db, entries: readonly LedgerEntry[]): Promise<void> {
  if (entries.length > 0)
    await insertNew(db, T.ledger, entries as unknown as Record<string, unknown>[], LEDGER_KEY);
}
