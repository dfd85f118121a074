/**
 * What an administrator sets when generating promo codes or certificates (seed 002), validated as a whole: every
 * problem is collected and thrown once.
 */
import { ValidationError } from '../../errors';
import { parseMoney, type Money } from '../../money';
import { parseTemplate, templateProblems, type CodeTemplate } from './template';

export type PeriodType = 'day' | 'month' | 'year';
export const PERIOD_TYPES: readonly PeriodType[] = ['day', 'month', 'year'];

export interface Period {
  readonly type: PeriodType;
  readonly length: number;
}

/** The most codes one batch may make: generation keeps no more than a chunk in memory, the limit is the table's. */
export const MAX_BATCH_COUNT = 10_000_000;

export interface CodeBatchInput {
  promotion: number;
  template: string;
  digitsOnly: boolean;
  count: number;
  /** Uses of each code; undefined = no limit. */
  usesLimit?: number;
  /** Uses of one code by one client; undefined = no limit (the promotion's own per-client limit still holds). */
  perClientLimit?: number;
  /** Server-local `YYYY-MM-DD HH:MM:SS`; both undefined = the promotion's window. */
  activeFrom?: string;
  activeUntil?: string;
  /** How long the discount lasts; undefined = for the whole ordered period. */
  discountPeriod?: Period;
}

export type CertificateAmount = { kind: 'fixed'; amount: Money } | { kind: 'last_payment'; percent: string };

export interface CertificateBatchInput {
  promotion: number;
  template: string;
  count: number;
  amount: CertificateAmount;
  usesLimit?: number;
  /** How long the credited funds may be spent; undefined = no end. */
  fundsPeriod?: Period;
}

/** One batch, valid: what generation and the batch row need. */
export interface ValidBatch {
  readonly kind: 'code' | 'certificate';
  readonly promotion: number;
  readonly template: CodeTemplate;
  readonly count: number;
  readonly usesLimit: number | null;
  readonly perClientLimit: number | null;
  readonly activeFrom: string | null;
  readonly activeUntil: string | null;
  readonly discountPeriod: Period | null;
  readonly amount: CertificateAmount | null;
  readonly fundsPeriod: Period | null;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/;
const PERCENT = /^\d{1,3}(\.\d{1,4})?$/;

export function validateCodeBatch(input: CodeBatchInput): ValidBatch {
  const problems = common(input);
  optionalLimit(problems, 'the usage limit per client', input.perClientLimit);
  const from = input.activeFrom === undefined ? null : localDateTime(problems, 'the start', input.activeFrom);
  const until =
    input.activeUntil === undefined ? null : localDateTime(problems, 'the end', input.activeUntil);
  if ((from === null) !== (until === null) && problems.length === 0)
    problems.push('an activation window of its own needs both a start and an end');
  if (from !== null && until !== null && from >= until)
    problems.push('the activation window ends before it starts');
  if (input.discountPeriod !== undefined)
    periodProblems(problems, 'the discount period', input.discountPeriod);
  if (problems.length > 0) throw new ValidationError('promo code batch', problems);
  return {
    kind: 'code',
    promotion: input.promotion,
    template: parseTemplate(input.template, { digitsOnly: input.digitsOnly }),
    count: input.count,
    usesLimit: input.usesLimit ?? null,
    perClientLimit: input.perClientLimit ?? null,
    activeFrom: from,
    activeUntil: until,
    discountPeriod: input.discountPeriod ?? null,
    amount: null,
    fundsPeriod: null,
  };
}

/** Certificates are digits only (issue 15): a client types them from a card or a letter. */
export function validateCertificateBatch(input: CertificateBatchInput): ValidBatch {
  const problems = common(input);
  if (input.amount.kind === 'fixed') {
    if (input.amount.amount.minor <= 0n) problems.push('the amount must be more than zero');
  } else if (!PERCENT.test(input.amount.percent) || !/[1-9]/.test(input.amount.percent)) {
    problems.push(
      `the percentage '${input.amount.percent}' is not a number above zero with up to 4 decimals`,
    );
  }
  if (input.fundsPeriod !== undefined) periodProblems(problems, 'the validity term', input.fundsPeriod);
  if (problems.length > 0) throw new ValidationError('certificate batch', problems);
  return {
    kind: 'certificate',
    promotion: input.promotion,
    template: parseTemplate(input.template, { digitsOnly: true }),
    count: input.count,
    usesLimit: input.usesLimit ?? null,
    perClientLimit: null,
    activeFrom: null,
    activeUntil: null,
    discountPeriod: null,
    amount: input.amount,
    fundsPeriod: input.fundsPeriod ?? null,
  };
}

/** A fixed amount typed in major units ("25", "25.50"). */
export function fixedAmount(major: string, currency: string): CertificateAmount {
  return { kind: 'fixed', amount: parseMoney(major, currency) };
}

function common(input: { promotion: number; template: string; count: number; usesLimit?: number }): string[] {
  const problems = templateProblems(input.template);
  if (!Number.isInteger(input.promotion) || input.promotion <= 0)
    problems.push('the promotion id is missing');
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_BATCH_COUNT)
    problems.push(`the number of codes must be from 1 to ${MAX_BATCH_COUNT}`);
  optionalLimit(problems, 'the usage limit', input.usesLimit);
  return problems;
}

function optionalLimit(problems: string[], what: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1))
    problems.push(`${what} must be a whole number of at least 1`);
}

function periodProblems(problems: string[], what: string, period: Period): void {
  if (!PERIOD_TYPES.includes(period.type))
    problems.push(`${what}'s type must be one of ${PERIOD_TYPES.join(', ')}`);
  if (!Number.isInteger(period.length) || period.length < 1)
    problems.push(`${what}'s length must be a whole number of at least 1`);
}

function localDateTime(problems: string[], what: string, text: string): string | null {
  if (!LOCAL_DATE_TIME.test(text) || Number.isNaN(Date.parse(text.replace(' ', 'T')))) {
    problems.push(`${what} '${text}' is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)`);
    return null;
  }
  const [day, time = '00:00:00'] = text.split(' ');
  return `${day} ${time.length === 5 ? `${time}:00` : time}`;
}

/** The end of a period that starts at `start` (UTC), by calendar: months clamp to a shorter month's last day. */
export function endOfPeriod(start: Date, period: Period): Date {
  const end = new Date(start.getTime());
  if (period.type === 'day') end.setUTCDate(end.getUTCDate() + period.length);
  else {
    const months = period.type === 'month' ? period.length : period.length * 12;
    const day = end.getUTCDate();
    end.setUTCDate(1);
    end.setUTCMonth(end.getUTCMonth() + months);
    const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
    end.setUTCDate(Math.min(day, last));
  }
  return end;
}
