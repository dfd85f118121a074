/**
 * The shape of a promotion condition (vendure's PromotionCondition): a declarative entry with its code, its
 * arguments, the facts it needs and a pure `check`. The facts are gathered set-based beforehand, a page of
 * accounts at a time (src/db/promotion/facts.ts), so the same entry decides one client's check and explains it,
 * and evaluates 100,000 clients' audience.
 */
import { roundToMinor, toMajorString, type Money } from '../money';
import { parsePeriod } from '../periods';
import { PERIOD_TYPES, parseDay, type PeriodType } from './calendar';

// ---- arguments ---------------------------------------------------------------------------------------------

export interface ArgSpec<T> {
  /** What the admin types, for messages and `--help`. */
  readonly hint: string;
  readonly optional: boolean;
  /** The value, or a problem (a sentence fragment: "must be ..."). */
  parse(text: string): { value: T } | { problem: string };
}

type ArgSpecs = Readonly<Record<string, ArgSpec<unknown>>>;
export type ArgValues<S extends ArgSpecs> = {
  readonly [K in keyof S]: S[K] extends ArgSpec<infer T> ? T : never;
};

function spec<T>(hint: string, parse: ArgSpec<T>['parse']): ArgSpec<T> {
  return { hint, optional: false, parse };
}

/** The same argument, allowed to be left out (its value is then undefined). */
export function optional<T>(arg: ArgSpec<T>): ArgSpec<T | undefined> {
  return { ...arg, optional: true, parse: (text) => arg.parse(text) };
}

export const COMPARISONS = ['gt', 'lt', 'eq'] as const;
export type Comparison = (typeof COMPARISONS)[number];
const COMPARISON_WORDS: Readonly<Record<string, Comparison>> = {
  gt: 'gt',
  '>': 'gt',
  more: 'gt',
  lt: 'lt',
  '<': 'lt',
  less: 'lt',
  eq: 'eq',
  '=': 'eq',
  equal: 'eq',
};

export const cmp = (): ArgSpec<Comparison> =>
  spec<Comparison>('gt | lt | eq (or > < =)', (text) => {
    const value = COMPARISON_WORDS[text.trim().toLowerCase()];
    return value ? { value } : { problem: 'must be gt, lt or eq (>, <, =)' };
  });

export const periodType = (): ArgSpec<PeriodType> =>
  spec<PeriodType>('day | month | year', (text) => {
    const value = text.trim().toLowerCase();
    return (PERIOD_TYPES as readonly string[]).includes(value)
      ? { value: value as PeriodType }
      : { problem: 'must be day, month or year' };
  });

export const positiveInt = (): ArgSpec<number> =>
  spec<number>('a whole number, 1 or more', (text) =>
    /^\d{1,6}$/.test(text.trim()) && Number(text) > 0
      ? { value: Number(text) }
      : { problem: 'must be a whole number of at least 1' },
  );

export const count = (): ArgSpec<number> =>
  spec<number>('a whole number, 0 or more', (text) =>
    /^\d{1,6}$/.test(text.trim()) ? { value: Number(text) } : { problem: 'must be a whole number' },
  );

/** An amount in major units ("1000", "999.50"), read once as minor units of the condition's currency. */
export const amount = (): ArgSpec<bigint> =>
  spec<bigint>('an amount, e.g. 1000 or 999.50', (text) =>
    /^\d{1,12}(\.\d{1,2})?$/.test(text.trim())
      ? { value: roundToMinor(text.trim()) }
      : { problem: 'must be an amount with at most two decimals' },
  );

export const iso = (): ArgSpec<string> =>
  spec<string>('a currency code, e.g. RUB', (text) =>
    /^[A-Za-z]{3}$/.test(text.trim())
      ? { value: text.trim().toUpperCase() }
      : { problem: 'must be a three-letter currency code' },
  );

export const day = (): ArgSpec<string> =>
  spec<string>('a date YYYY-MM-DD', (text) => {
    const value = parseDay(text);
    return value ? { value } : { problem: 'must be a date YYYY-MM-DD' };
  });

export const id = (): ArgSpec<number> =>
  spec<number>('an id', (text) =>
    /^\d{1,10}$/.test(text.trim()) && Number(text) > 0
      ? { value: Number(text) }
      : { problem: 'must be a positive id' },
  );

export const idList = (): ArgSpec<readonly number[]> =>
  spec<readonly number[]>('ids separated by commas, e.g. 3,5', (text) => {
    const parts = text.split(',').map((p) => p.trim());
    if (parts.length === 0 || parts.some((p) => !/^\d{1,10}$/.test(p) || Number(p) <= 0))
      return { problem: 'must be positive ids separated by commas' };
    return { value: [...new Set(parts.map(Number))] };
  });

export const flag = (): ArgSpec<boolean> =>
  spec<boolean>('on | off', (text) => {
    const value = text.trim().toLowerCase();
    if (['on', 'yes', 'true', '1'].includes(value)) return { value: true };
    if (['off', 'no', 'false', '0'].includes(value)) return { value: false };
    return { problem: 'must be on or off' };
  });

/** Order periods as the host prices them: column names or API months (`monthly,12`). */
export const orderPeriods = (): ArgSpec<readonly number[]> =>
  spec<readonly number[]>('order periods separated by commas, e.g. monthly,annually or 1,12', (text) => {
    try {
      return { value: [...new Set(text.split(',').map((p) => parsePeriod(p)))] };
    } catch (err) {
      return { problem: `must be order periods: ${err instanceof Error ? err.message : String(err)}` };
    }
  });

// ---- facts -------------------------------------------------------------------------------------------------

export type ServiceStatus = 'ordered' | 'active' | 'stopped' | 'deleted' | 'processing';

/** Which of a client's main services (not add-ons) count. Date bounds are calendar days, both inclusive. */
export interface ServiceFilter {
  readonly statuses: readonly ServiceStatus[];
  readonly pricelist?: number;
  readonly itemtype?: number;
  readonly periods?: readonly number[];
  /** Only services with at least one expense. */
  readonly paidOnly?: boolean;
  /** The order date (item.createdate) on or after `from` and before `before` (date-times; either may be null). */
  readonly orderedWithin?: { readonly from: string | null; readonly before: string | null };
  /** The order or the activation date within [from, to], days inclusive. */
  readonly orderedOrOpened?: { readonly from: string; readonly to: string };
  /** The expiration date within [from, to], days inclusive. */
  readonly expires?: { readonly from: string; readonly to: string };
}

/** A fact a condition needs about each account; equal requests (by `factKey`) are gathered once. */
export type FactRequest =
  /** The sum of expenses with `realdate` in [from, to] (both inclusive), in `currency`, at `projects`. */
  | {
      readonly kind: 'expenses';
      readonly from: string;
      readonly to: string;
      readonly currency: string;
      readonly projects: readonly number[];
    }
  /** The sum of credited payments with `paydate` in [from, to] (both inclusive), in `currency`, at `projects`. */
  | {
      readonly kind: 'payments';
      readonly from: string;
      readonly to: string;
      readonly currency: string;
      readonly projects: readonly number[];
    }
  | { readonly kind: 'services'; readonly filter: ServiceFilter }
  /** The day the first main service was ordered (else activated); null without services. */
  | { readonly kind: 'firstService' }
  /** The registration date-time; null when the host has none. */
  | { readonly kind: 'registration' }
  | { readonly kind: 'groups' }
  /** The affiliate program the client was referred under (an active referral); null when not referred. */
  | { readonly kind: 'referralProgram' }
  | { readonly kind: 'recurring' }
  /** Uses of certificates by the client, of one promotion or (null) of any. */
  | { readonly kind: 'certificateUses'; readonly promotion: number | null }
  /** Whether the code given (normalised) is one of the promotion's promo codes. */
  | { readonly kind: 'promoCode'; readonly promotion: number };

export type PromoCodeState = 'none' | 'valid' | 'unknown' | 'revoked' | 'used_up';

export type FactValueOf<R extends FactRequest> = R extends { kind: 'expenses' | 'payments' }
  ? Money
  : R extends { kind: 'services' | 'certificateUses' }
    ? number
    : R extends { kind: 'firstService' | 'registration' }
      ? string | null
      : R extends { kind: 'groups' }
        ? readonly number[]
        : R extends { kind: 'referralProgram' }
          ? number | null
          : R extends { kind: 'recurring' }
            ? { readonly recurringPayment: boolean; readonly autoRenewServices: number }
            : R extends { kind: 'promoCode' }
              ? { readonly code: string | null; readonly state: PromoCodeState }
              : never;

export type FactValue = FactValueOf<FactRequest>;

/** The one key of a request: equal requests of several conditions are gathered once. */
export function factKey(request: FactRequest): string {
  return JSON.stringify(request);
}

// ---- the entry ---------------------------------------------------------------------------------------------

/** What a condition knows besides its arguments: the clock and the promotion. */
export interface ConditionContext {
  /** Server-local `YYYY-MM-DD HH:MM:SS` (domain/dates.ts localDateTime of the one clock). */
  readonly now: string;
  readonly promotion: {
    readonly id: number;
    readonly project: number;
    readonly startsAt: string | null;
    readonly endsAt: string | null;
  };
}

type Needs = Readonly<Record<string, FactRequest>>;
type Facts<N extends Needs> = { readonly [K in keyof N]: FactValueOf<N[K]> };

export interface ConditionEntry<S extends ArgSpecs = ArgSpecs, N extends Needs = Needs> {
  readonly code: string;
  /** The seed's name of the condition type. */
  readonly title: string;
  readonly args: S;
  readonly needs: (args: ArgValues<S>, context: ConditionContext) => N;
  /** Whether the client meets the condition: pure and cheap, it runs for every client of an audience. */
  readonly check: (input: CheckInput<S, N>) => boolean;
  /** Why, with the client's own value beside the threshold: for one client's explanation. */
  readonly explain: (input: CheckInput<S, N>) => string;
  /** At most this many uses per client of a promotion that holds the condition (seed 002: has_service, once). */
  readonly usesPerClient?: number;
}

export interface CheckInput<S extends ArgSpecs, N extends Needs> {
  readonly facts: Facts<N>;
  readonly args: ArgValues<S>;
  readonly context: ConditionContext;
}

export function defineCondition<S extends ArgSpecs, N extends Needs>(
  entry: ConditionEntry<S, N>,
): ConditionEntry<S, N> {
  return entry;
}

/** Any entry, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry erases each entry's own arg types
export type AnyCondition = ConditionEntry<any, any>;

/** The arguments as given (`name=value` text) checked against the entry: the values, or every problem. */
export function parseArgs(
  entry: AnyCondition,
  given: Readonly<Record<string, string>>,
): { values: Record<string, unknown>; problems: string[] } {
  const specs = entry.args as ArgSpecs;
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(given)) {
    if (!(name in specs)) {
      const known = Object.keys(specs);
      problems.push(
        `${entry.code} has no argument '${name}'${known.length ? ` (it takes ${known.join(', ')})` : ' (it takes none)'}`,
      );
    }
  }
  for (const [name, arg] of Object.entries(specs)) {
    const text = given[name];
    if (text === undefined || text.trim() === '') {
      if (!arg.optional) problems.push(`${name} is required: ${arg.hint}`);
      continue;
    }
    const parsed = arg.parse(text);
    if ('problem' in parsed) problems.push(`${name} '${text}' ${parsed.problem}`);
    else values[name] = parsed.value;
  }
  return { values, problems };
}

// ---- helpers for checks and explanations ---------------------------------------------------------------------

export function compareNumbers(
  value: number | bigint,
  comparison: Comparison,
  threshold: number | bigint,
): boolean {
  switch (comparison) {
    case 'gt':
      return value > threshold;
    case 'lt':
      return value < threshold;
    case 'eq':
      return value === threshold;
  }
}

export const COMPARISON_TEXT: Readonly<Record<Comparison, string>> = {
  gt: 'more than',
  lt: 'less than',
  eq: 'exactly',
};

/** "1,000.00": major units with thousands separated, as an explanation shows an amount. */
export function amountText(m: Money): string {
  const [whole = '0', fraction] = toMajorString(m).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

export function moneyText(m: Money): string {
  return `${amountText(m)} ${m.currency}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
