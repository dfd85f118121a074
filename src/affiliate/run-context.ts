/** What every step of one monthly run shares. */
import type { Month } from '../domain/affiliate/period';
import type { AffiliateSettings } from '../domain/affiliate/program';
import type { RuleBook } from './rules';

export interface RunContext extends ExpenseMarks {
  /** The bmp_affiliate_run row; every ledger entry of the run carries it. */
  readonly id: number;
  /** The month paid for. */
  readonly period: Month;
  /** The month's first moment, inclusive, and the next month's first moment, exclusive. */
  readonly start: string;
  readonly end: string;
  /** The run's clock: the day pending credit is cleared against, and the time written on rows. */
  readonly today: string;
  readonly now: string;
  readonly settings: AffiliateSettings;
  readonly book: RuleBook;
  /** The host's currencies: id to ISO code. */
  readonly currencies: ReadonlyMap<number, string>;
}

/** The expenses a run sees (src/affiliate/earning.ts expenseMarksOf). */
export interface ExpenseMarks {
  /** The highest expense id when the run started. */
  readonly expenseHighWater: bigint;
  /** Per partner, the earlier months (already paid) with charges booked after every run that paid them. */
  readonly lateMonths: ReadonlyMap<number, readonly Month[]>;
}
