/** What every step of one monthly run shares. */
import type { Month } from '../domain/affiliate/period';
import type { AffiliateSettings } from '../domain/affiliate/program';
import type { RuleBook } from './rules';

export interface RunContext {
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
