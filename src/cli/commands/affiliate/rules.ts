/** `affiliate override set|clear|show` and `affiliate rule add|list|remove`: reward rules over the defaults. */
import type { Command } from 'commander';
import { describeRule, parseRule, type RewardRule, type RuleInput } from '../../../domain/affiliate/rules';
import { NotFoundError } from '../../../domain/errors';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { plain } from './options';

/** The options that describe a rule, shared by overrides and group rules. */
function ruleOptions(command: Command): Command {
  return command
    .option(
      '--kind <kind>',
      'percent_of_expenses, fixed_after_invoice, percent_of_service, first_month_multiple, free_month_own_plan, free_month_capped, active_referrals_discount',
    )
    .option('--percent <p>', 'a percentage ("20" is 20%)')
    .option('--amount <a>', 'an amount in major units ("20" is $20)')
    .option('--currency <code>', 'currency of --amount', 'USD')
    .option('--nth <n>', 'the paid invoice that sets a one-time reward off', parseWholeNumber)
    .option('--occurrence <o>', 'one_time, monthly or yearly')
    .option('--factor <f>', 'multiple of the first month: 0.5, 1, 1.5')
    .option('--min-active <n>', 'active referrals needed for the discount', parseWholeNumber);
}

interface RuleOptions {
  kind?: string;
  percent?: string;
  amount?: string;
  currency?: string;
  nth?: number;
  occurrence?: string;
  factor?: string;
  minActive?: number;
}

function ruleInput(options: RuleOptions): RuleInput {
  return {
    ...(options.kind !== undefined ? { kind: options.kind } : {}),
    ...(options.percent !== undefined ? { percent: options.percent } : {}),
    ...(options.amount !== undefined ? { amount: options.amount, currency: options.currency ?? 'USD' } : {}),
    ...(options.nth !== undefined ? { nthInvoice: options.nth } : {}),
    ...(options.occurrence !== undefined ? { occurrence: options.occurrence } : {}),
    ...(options.factor !== undefined ? { factor: options.factor } : {}),
    ...(options.minActive !== undefined ? { minActive: options.minActive } : {}),
  };
}

export function registerRules(affiliate: Command): void {
  const override = affiliate
    .command('override')
    .description("a partner's own reward rule, over the defaults");
  ruleOptions(override.command('set').description('set the override (WHMCS style: --type and --amount)'))
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .option('--type <type>', 'percentage or fixed (with --amount; 20 means 20% or $20)')
    .option('--one-time', 'pay one time only')
    .action(
      async (id: number, options: RuleOptions & { type?: string; oneTime?: boolean }, command: Command) => {
        const { setOverride, ruleFromWhmcsOverride } = await import('../../../affiliate/rules');
        const rule: RewardRule =
          options.type !== undefined
            ? ruleFromWhmcsOverride({
                type: options.type,
                amount: options.amount ?? '',
                ...(options.currency !== undefined ? { currency: options.currency } : {}),
                oneTimeOnly: options.oneTime === true,
              })
            : parseRule(ruleInput(options), 'override');
        await withDatabase((db, cli) => setOverride(db, id, rule, cli.clock.now()));
        outputOf(command).result({ affiliate: id, rule: plain(rule) }, [
          `partner ${id}: ${describeRule(rule)}`,
        ]);
      },
    );
  override
    .command('clear')
    .description('back to the default rule')
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { clearOverride } = await import('../../../affiliate/rules');
      const cleared = await withDatabase((db) => clearOverride(db, id));
      outputOf(command).result({ affiliate: id, cleared }, [
        cleared ? `partner ${id}: back to the default rule` : `partner ${id} had no override`,
      ]);
    });
  override
    .command('show')
    .description("show a partner's override")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { getOverride } = await import('../../../affiliate/rules');
      const rule = await withDatabase((db) => getOverride(db, id));
      outputOf(command).result({ affiliate: id, rule: rule ? plain(rule) : null }, [
        `partner ${id}: ${rule ? describeRule(rule) : 'default rule'}`,
      ]);
    });

  const rules = affiliate.command('rule').description('reward rules per client group or per account type');
  ruleOptions(
    rules.command('add').description("a rule for a partner's client group, or a referral's account type"),
  )
    .option('--group <id>', "the partner's client group", parseWholeNumber)
    .option('--account-type <type>', "the referral's account type: business or residential")
    .option('--program <id>', 'only in this program', parseWholeNumber)
    .action(
      async (
        options: RuleOptions & { group?: number; accountType?: string; program?: number },
        command: Command,
      ) => {
        const { addGroupRule } = await import('../../../affiliate/rules');
        const id = await withDatabase((db, cli) =>
          addGroupRule(
            db,
            {
              program: options.program ?? null,
              accountGroup: options.group ?? null,
              accountType: options.accountType ?? null,
              rule: ruleInput(options),
            },
            cli.clock.now(),
          ),
        );
        outputOf(command).result({ id }, [
          `rule ${id} added: ${describeRule(parseRule(ruleInput(options)))}`,
        ]);
      },
    );
  rules
    .command('list')
    .description('list the group and account-type rules')
    .action(async (_options: unknown, command: Command) => {
      const { listGroupRules } = await import('../../../affiliate/rules');
      const list = await withDatabase((db) => listGroupRules(db));
      outputOf(command).result(
        plain(list),
        list.length === 0
          ? ['no rules']
          : list.map(
              (r) =>
                `${r.id}: ${r.accountGroup !== null ? `partners in group ${r.accountGroup}` : `${r.accountType} referrals`}` +
                `${r.program !== null ? ` of program ${r.program}` : ''}: ${describeRule(r.rule)}`,
            ),
      );
    });
  rules
    .command('remove')
    .description('remove a rule')
    .argument('<id>', 'rule id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { removeGroupRule } = await import('../../../affiliate/rules');
      const removed = await withDatabase((db) => removeGroupRule(db, id));
      if (!removed) throw new NotFoundError('rule', `there is no rule ${id}`, { rule: String(id) });
      outputOf(command).result({ id, removed }, [`rule ${id} removed`]);
    });
}
