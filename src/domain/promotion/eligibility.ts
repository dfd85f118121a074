/**
 * Who may take part (seed 002): conditions without a group are all required; within a group any one condition is
 * enough; every group must be satisfied. A promotion without conditions is open to every client. Pure: the facts
 * come from outside, so one client's check and the audience of all decide alike.
 */
import { conditionType } from './conditions';
import {
  factKey,
  parseArgs,
  type AnyCondition,
  type ConditionContext,
  type FactRequest,
  type FactValue,
} from './condition';

/** A condition as stored: its type's code, its group (null = ungrouped) and its arguments as given. */
export interface StoredCondition {
  readonly id: number;
  readonly code: string;
  readonly group: string | null;
  readonly args: Readonly<Record<string, string>>;
}

interface Prepared {
  readonly stored: StoredCondition;
  readonly entry?: AnyCondition;
  /** Set when the condition cannot be evaluated: it fails closed with this reason. */
  readonly refusal?: string;
  readonly args: Record<string, unknown>;
  /** The condition's fact names and the key of each request. */
  readonly facts: ReadonlyArray<readonly [name: string, key: string]>;
}

/** The conditions of one promotion made ready for many clients: their arguments read, their facts listed once. */
export interface EligibilityPlan {
  readonly context: ConditionContext;
  readonly conditions: readonly Prepared[];
  /** Every distinct fact the conditions need, by key. */
  readonly requests: ReadonlyMap<string, FactRequest>;
  readonly ungrouped: readonly Prepared[];
  readonly groups: ReadonlyArray<readonly Prepared[]>;
}

export function planEligibility(
  conditions: readonly StoredCondition[],
  context: ConditionContext,
): EligibilityPlan {
  const requests = new Map<string, FactRequest>();
  const prepared = conditions.map((stored): Prepared => {
    const entry = conditionType(stored.code);
    if (!entry) {
      return { stored, args: {}, facts: [], refusal: `unknown condition type '${stored.code}': not met` };
    }
    const { values, problems } = parseArgs(entry, stored.args);
    if (problems.length > 0) {
      return {
        stored,
        args: {},
        facts: [],
        refusal: `arguments not valid (${problems.join('; ')}): not met`,
      };
    }
    const needs = entry.needs(values, context) as Record<string, FactRequest>;
    const facts = Object.entries(needs).map(([name, request]) => {
      const key = factKey(request);
      requests.set(key, request);
      return [name, key] as const;
    });
    return { stored, entry, args: values, facts };
  });
  const groups = new Map<string, Prepared[]>();
  for (const p of prepared) {
    if (p.stored.group === null) continue;
    groups.set(p.stored.group, [...(groups.get(p.stored.group) ?? []), p]);
  }
  return {
    context,
    conditions: prepared,
    requests,
    ungrouped: prepared.filter((p) => p.stored.group === null),
    groups: [...groups.values()],
  };
}

export interface ConditionResult {
  readonly id: number;
  readonly code: string;
  readonly group: string | null;
  readonly passed: boolean;
  readonly text: string;
}

export interface GroupResult {
  /** null: the ungrouped conditions, all required. */
  readonly group: string | null;
  readonly passed: boolean;
}

export interface Eligibility {
  readonly eligible: boolean;
  readonly conditions: readonly ConditionResult[];
  readonly groups: readonly GroupResult[];
}

/** One client's eligibility, from the value of each fact the plan lists (by key), with every explanation. */
export function decideEligibility(plan: EligibilityPlan, factOf: (key: string) => FactValue): Eligibility {
  const conditions = plan.conditions.map((prepared): ConditionResult => {
    const { id, code, group } = prepared.stored;
    if (prepared.refusal !== undefined || !prepared.entry) {
      return {
        id,
        code,
        group,
        passed: false,
        text: prepared.refusal ?? `unknown condition type '${code}': not met`,
      };
    }
    const input = inputOf(plan, prepared, factOf);
    return { id, code, group, passed: prepared.entry.check(input), text: prepared.entry.explain(input) };
  });
  const groups: GroupResult[] = [];
  const ungrouped = conditions.filter((c) => c.group === null);
  if (ungrouped.length > 0) groups.push({ group: null, passed: ungrouped.every((c) => c.passed) });
  for (const name of [...new Set(conditions.map((c) => c.group))]) {
    if (name === null) continue;
    groups.push({ group: name, passed: conditions.some((c) => c.group === name && c.passed) });
  }
  return { eligible: groups.every((g) => g.passed), conditions, groups };
}

/**
 * The same decision without the explanation: what the audience asks of every client. It runs the same `check`
 * of each condition under the same group rules, stopping at the first answer.
 */
export function isEligible(plan: EligibilityPlan, factOf: (key: string) => FactValue): boolean {
  const passes = (prepared: Prepared): boolean =>
    prepared.refusal === undefined &&
    prepared.entry !== undefined &&
    prepared.entry.check(inputOf(plan, prepared, factOf));
  return plan.ungrouped.every(passes) && plan.groups.every((group) => group.some(passes));
}

function inputOf(
  plan: EligibilityPlan,
  prepared: Prepared,
  factOf: (key: string) => FactValue,
): { facts: Record<string, FactValue>; args: Record<string, unknown>; context: ConditionContext } {
  const facts: Record<string, FactValue> = {};
  for (const [name, key] of prepared.facts) facts[name] = factOf(key);
  return { facts, args: prepared.args, context: plan.context };
}

/** The explanation as lines: the verdict, then each group's outcome with its conditions. */
export function explanationLines(result: Eligibility): string[] {
  const lines = [result.eligible ? 'eligible' : 'not eligible'];
  if (result.conditions.length === 0) lines.push('  no conditions: every client');
  for (const group of result.groups) {
    lines.push(
      group.group === null
        ? `  without a group (all required): ${group.passed ? 'passed' : 'failed'}`
        : `  group "${group.group}" (any one): ${group.passed ? 'passed' : 'failed'}`,
    );
    for (const c of result.conditions.filter((c) => c.group === group.group)) {
      lines.push(`    [${c.passed ? 'x' : ' '}] ${c.id} ${c.code}: ${c.text}`);
    }
  }
  return lines;
}
