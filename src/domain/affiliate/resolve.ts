/**
 * Which rule a referral earns its partner by. The most specific wins:
 *   1. the partner's own override (per affiliate),
 *   2. a rule for a client group the PARTNER is in (salespeople vs. clients, seed 001),
 *   3. a rule for the REFERRAL's account type (business or residential referral, seed 001),
 *   4. the program's reward (percent of expenses, seed 000), else the global default percentage.
 * Among several group rules of one partner the oldest (lowest id) wins, so the choice never depends on row order.
 */
import type { RewardRule } from './rules';

export const ACCOUNT_TYPES = ['business', 'residential'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** A rule and where it came from: `override:3`, `group:2`, `type:business`, `program:1`, `default`. */
export interface SourcedRule {
  readonly ref: string;
  readonly rule: RewardRule;
}

export interface GroupRule extends SourcedRule {
  readonly id: number;
  readonly accountGroup: number;
}

export interface RuleSources {
  override?: SourcedRule;
  /** Group rules of the program; only those of the partner's groups apply. */
  groupRules: readonly GroupRule[];
  partnerGroups: ReadonlySet<number>;
  typeRules: ReadonlyMap<AccountType, SourcedRule>;
  /** The program's percent of expenses, when it has one. */
  programRule?: SourcedRule;
  /** The global default percentage, when set. */
  defaultRule?: SourcedRule;
}

export function resolveRule(
  sources: RuleSources,
  referralType: string | null | undefined,
): SourcedRule | undefined {
  if (sources.override) return sources.override;
  const groupRule = [...sources.groupRules]
    .sort((a, b) => a.id - b.id)
    .find((rule) => sources.partnerGroups.has(rule.accountGroup));
  if (groupRule) return groupRule;
  const type = accountTypeOf(referralType);
  const typeRule = type && sources.typeRules.get(type);
  if (typeRule) return typeRule;
  return sources.programRule ?? sources.defaultRule;
}

/** The host's free-text account type, when it is one the rules know. */
export function accountTypeOf(value: string | null | undefined): AccountType | undefined {
  const normal = value?.trim().toLowerCase();
  return (ACCOUNT_TYPES as readonly string[]).includes(normal ?? '') ? (normal as AccountType) : undefined;
}
