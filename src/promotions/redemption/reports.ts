/** `promotion uses` and `promotion ledger`: redemptions as listed, and a client's entries with their sum. */
import type { Knex } from 'knex';
import { money, toMajorString } from '../../domain/money';
import { balanceOf, entriesOf } from '../../db/promotion/ledger';
import { redemptions, type RedemptionFilter } from '../../db/promotion/redemption';
import { redemptionView, type RedemptionView } from './view';

export async function listUses(db: Knex, filter: RedemptionFilter, limit: number): Promise<RedemptionView[]> {
  return (await redemptions(db, filter, limit)).map((row) => redemptionView(row, row.code_text));
}

export interface LedgerEntryView {
  id: number;
  kind: string;
  source: string;
  promotion: number;
  redemption: number;
  amount: string;
  currency: string;
  validUntil: string | null;
  payment: number | null;
  createdAt: string;
}

export interface AccountLedger {
  account: number;
  entries: LedgerEntryView[];
  /** The promotional balance per currency: the sum of the entries. */
  balance: { currency: string; amount: string }[];
}

export async function accountLedger(db: Knex, account: number): Promise<AccountLedger> {
  const entries = (await entriesOf(db, account)).map((e) => ({
    id: Number(e.id),
    kind: e.kind,
    source: e.source,
    promotion: Number(e.promotion),
    redemption: Number(e.redemption),
    amount: toMajorString(money(BigInt(String(e.amount_minor)), e.currency)),
    currency: e.currency,
    validUntil: e.valid_until,
    payment: e.payment === null ? null : Number(e.payment),
    createdAt: e.created_at,
  }));
  const balance = (await balanceOf(db, account)).map((b) => ({
    currency: b.currency,
    amount: toMajorString(money(b.minor, b.currency)),
  }));
  return { account, entries, balance };
}
