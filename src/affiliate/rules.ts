/**
 * Stored reward rules (per-affiliate overrides, per-group and per-account-type rules) and the partner facts the
 * run resolves them with (src/domain/affiliate/resolve.ts).
 */
import { percentAsFactor } from '../domain/money';
import Decimal from 'decimal.js';
import { partnerGroupRefusal } from '../domain/affiliate/attribution';
import { toDateTime } from '../domain/affiliate/period';
import {
  accountTypeOf,
  resolveRule,
  type AccountType,
  type GroupRule,
  type RuleSources,
  type SourcedRule,
} from '../domain/affiliate/resolve';
import { parseRule, type RewardRule, type RuleInput } from '../domain/affiliate/rules';
import { AffiliateValidationError } from '../domain/affiliate/validation';
import { NotFoundError } from '../domain/errors';
import { loadSettings } from './settings';
import { groupsOfAccounts } from '../db/account';
import { findPartner, partnerFacts } from '../db/affiliate/partners';
import {
  deleteGroupRule,
  deleteOverride,
  findOverride,
  insertGroupRule,
  listGroupRuleRows,
  overridesOf,
  upsertOverride,
} from '../db/affiliate/rules';
import { ruleColumns, ruleFromColumns, toFlag } from '../db/affiliate/tables';
import type { Db } from '../db/types';

/**
 * WHMCS's per-affiliate override (seed 001): type percentage or fixed, an amount ("20" is 20 % or $20), and
 * "pay one time only". Percentage recurring is a percent of the referral's expenses; percentage one-time is
 * that percent of its first month; fixed one-time is a credit after the first paid invoice; fixed recurring is
 * that credit every month the referral pays an invoice.
 */
export function ruleFromWhmcsOverride(input: {
  type: string;
  amount: string;
  currency?: string;
  oneTimeOnly: boolean;
}): RewardRule {
  if (input.type === 'percentage') {
    if (!input.oneTimeOnly)
      return parseRule({ kind: 'percent_of_expenses', percent: input.amount }, 'override');
    const percent = parseRule({ kind: 'percent_of_expenses', percent: input.amount }, 'override');
    const factor = percentAsFactor(percent.kind === 'percent_of_expenses' ? percent.percent : 0);
    return parseRule({ kind: 'first_month_multiple', factor }, 'override');
  }
  if (input.type === 'fixed') {
    return parseRule(
      {
        kind: 'fixed_after_invoice',
        amount: input.amount,
        ...(input.currency !== undefined ? { currency: input.currency } : {}),
        occurrence: input.oneTimeOnly ? 'one_time' : 'monthly',
      },
      'override',
    );
  }
  throw new AffiliateValidationError('override', [`type must be percentage or fixed, got '${input.type}'`]);
}

export async function setOverride(db: Db, affiliateId: number, rule: RewardRule, now: Date): Promise<void> {
  if (!(await findPartner(db, affiliateId)))
    throw new NotFoundError('partner', `there is no partner ${affiliateId}`);
  await upsertOverride(db, affiliateId, ruleColumns(rule), toDateTime(now));
}

/** Back to "default": the partner's rule is resolved from groups, account types and the program again. */
export async function clearOverride(db: Db, affiliateId: number): Promise<boolean> {
  return deleteOverride(db, affiliateId);
}

export interface GroupRuleInput {
  program?: number | null;
  accountGroup?: number | null;
  accountType?: string | null;
  rule: RuleInput;
}

/** A rule for the partners of a client group, or for referrals of an account type; exactly one of the two. */
export async function addGroupRule(db: Db, input: GroupRuleInput, now: Date): Promise<number> {
  const problems: string[] = [];
  const hasGroup = input.accountGroup !== undefined && input.accountGroup !== null;
  const type =
    input.accountType === undefined || input.accountType === null
      ? undefined
      : accountTypeOf(input.accountType);
  if (input.accountType !== undefined && input.accountType !== null && type === undefined) {
    problems.push(`account type must be business or residential, got '${input.accountType}'`);
  }
  if (hasGroup === (input.accountType !== undefined && input.accountType !== null)) {
    problems.push('a rule is either for a client group or for an account type');
  }
  let rule: RewardRule | undefined;
  try {
    rule = parseRule(input.rule);
  } catch (err) {
    if (!(err instanceof AffiliateValidationError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !rule) throw new AffiliateValidationError('group rule', problems);
  return insertGroupRule(db, {
    program: input.program ?? null,
    accountgroup: hasGroup ? (input.accountGroup ?? null) : null,
    account_type: type ?? null,
    ...ruleColumns(rule),
    created_at: toDateTime(now),
  });
}

export async function removeGroupRule(db: Db, id: number): Promise<boolean> {
  return deleteGroupRule(db, id);
}

export interface StoredGroupRule {
  id: number;
  program: number | null;
  accountGroup: number | null;
  accountType: string | null;
  rule: RewardRule;
}

export async function listGroupRules(db: Db): Promise<StoredGroupRule[]> {
  const rows = await listGroupRuleRows(db);
  return rows.map((row) => ({
    id: row.id,
    program: row.program,
    accountGroup: row.accountgroup,
    accountType: row.account_type,
    rule: ruleFromColumns(row, `group rule ${row.id}`),
  }));
}

export async function getOverride(db: Db, affiliateId: number): Promise<RewardRule | undefined> {
  const row = await findOverride(db, affiliateId);
  return row && ruleFromColumns(row, `override of partner ${affiliateId}`);
}

/** Everything the run knows about one partner: its account, program, groups and the rule of each referral type. */
export interface PartnerContext {
  readonly affiliate: number;
  readonly account: number;
  readonly program: number;
  readonly project: number;
  readonly referralMonths: number;
  /** False when the partner, its program or its groups keep it from earning (it still gets what it earned). */
  readonly earns: boolean;
  ruleFor(referralType: string | null | undefined): SourcedRule | undefined;
}

/** The group and account-type rules of all programs, loaded once per run. */
export interface RuleBook {
  readonly groupRules: readonly (GroupRule & { program: number | null })[];
  readonly typeRules: readonly { program: number | null; type: AccountType; rule: SourcedRule }[];
  readonly defaultRule?: SourcedRule;
}

export async function loadRuleBook(db: Db): Promise<RuleBook> {
  const settings = await loadSettings(db);
  const stored = await listGroupRules(db);
  return {
    groupRules: stored
      .filter((r) => r.accountGroup !== null)
      .map((r) => ({
        id: r.id,
        accountGroup: r.accountGroup ?? 0,
        program: r.program,
        ref: `group:${r.id}`,
        rule: r.rule,
      })),
    typeRules: stored
      .filter((r) => accountTypeOf(r.accountType) !== undefined)
      .map((r) => ({
        program: r.program,
        type: accountTypeOf(r.accountType) as AccountType,
        rule: { ref: `type:${r.id}`, rule: r.rule },
      })),
    ...(settings.defaultPercent
      ? {
          defaultRule: {
            ref: 'default',
            rule: parseRule({ kind: 'percent_of_expenses', percent: settings.defaultPercent }),
          },
        }
      : {}),
  };
}

/** Loads the contexts of the given partners (a page of the run) in a few set-based queries. */
export async function loadPartnerContexts(
  db: Db,
  book: RuleBook,
  affiliateIds: readonly number[],
): Promise<PartnerContext[]> {
  if (affiliateIds.length === 0) return [];
  const partners = await partnerFacts(db, affiliateIds);
  const groupsOf = await groupsOfAccounts(db, [...new Set(partners.map((p) => Number(p.account)))]);
  const overrides = new Map<number, SourcedRule>();
  for (const row of await overridesOf(db, affiliateIds)) {
    overrides.set(row.affiliate, {
      ref: `override:${row.id}`,
      rule: ruleFromColumns(row, `override ${row.id}`),
    });
  }
  return partners.map((p) => {
    const program = Number(p.program);
    const groups = groupsOf.get(Number(p.account)) ?? new Set<number>();
    const forProgram = (rule: { program: number | null }): boolean =>
      rule.program === null || rule.program === program;
    const override = overrides.get(Number(p.id));
    const sources: RuleSources = {
      ...(override ? { override } : {}),
      groupRules: book.groupRules.filter(forProgram),
      partnerGroups: groups,
      typeRules: typeRulesFor(book, program),
      ...(p.reward_percent !== null
        ? {
            programRule: {
              ref: `program:${program}`,
              rule: parseRule({
                kind: 'percent_of_expenses',
                percent: new Decimal(String(p.reward_percent)).toString(),
              }),
            },
          }
        : {}),
      ...(book.defaultRule ? { defaultRule: book.defaultRule } : {}),
    };
    const resolved = new Map<string, SourcedRule | undefined>();
    return {
      affiliate: Number(p.id),
      account: Number(p.account),
      program,
      project: Number(p.project),
      referralMonths: Number(p.referral_months),
      earns:
        toFlag(p.active) &&
        toFlag(p.program_active) &&
        partnerGroupRefusal(groups, { clientGroup: p.client_group, forbiddenGroup: p.forbidden_group }) ===
          undefined,
      ruleFor(referralType) {
        const key = accountTypeOf(referralType) ?? '';
        if (!resolved.has(key)) resolved.set(key, resolveRule(sources, key));
        return resolved.get(key);
      },
    };
  });
}

/** A program's account-type rules: its own before the global ones (program NULL), the oldest first. */
function typeRulesFor(book: RuleBook, program: number): Map<AccountType, SourcedRule> {
  const rules = new Map<AccountType, SourcedRule>();
  const own = book.typeRules.filter((r) => r.program === program);
  const global = book.typeRules.filter((r) => r.program === null);
  for (const r of [...own, ...global]) if (!rules.has(r.type)) rules.set(r.type, r.rule);
  return rules;
}
