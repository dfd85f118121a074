/**
 * `billmgr-plugin affiliate ...`: the admin side of affiliate programs and referral rewards (issue 5):
 * programs, global settings, partners, overrides, group and account-type rules, manual assignment, the account
 * search, the referral log, the ledger, balances, applying credit and withdrawals. `--json` on each.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { formatMoney, parseMoney, toMajorString, type Money } from '../../domain/money';
import type { ProgramInput, SettingsInput } from '../../domain/affiliate/program';
import { describeRule, parseRule, type RewardRule, type RuleInput } from '../../domain/affiliate/rules';
import { withDatabase } from '../database';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  const affiliate = program.command('affiliate').description('affiliate programs and referral rewards');
  registerPrograms(affiliate);
  registerSettings(affiliate);
  registerPartners(affiliate);
  registerRules(affiliate);
  registerReferrals(affiliate);
  registerLedger(affiliate);
  registerWithdrawals(affiliate);
}

function registerPrograms(affiliate: Command): void {
  const programs = affiliate.command('program').description('affiliate programs (seed 000)');
  const programOptions = (command: Command): Command =>
    command
      .option('--name <name>', 'program name')
      .option('--template <template>', 'promo code template; must hold @ID@ (the partner id)')
      .option('--reward <percent>', "percent of the referrals' expenses; 'none' for the global default")
      .option('--months <n>', 'referral period in months; 0 for no end', parseWholeNumber)
      .option('--website <url>', 'the website the partner links point to')
      .option('--group <id>', "client group that may take part; 'none' for everyone", idOrNone)
      .option('--forbid-group <id>', "client group never rewarded; 'none' for no such group", idOrNone)
      .option('--project <id>', 'the provider (project) id', parseWholeNumber);
  programOptions(programs.command('add').description('add a program')).action(
    async (options: ProgramOptions, command: Command) => {
      const { createProgram } = await import('../../affiliate/programs');
      const created = await withDatabase((db) => createProgram(db, programInput(options), new Date()));
      outputOf(command).result(created, [`program ${created.id} added: ${programLine(created)}`]);
    },
  );
  programOptions(
    programs.command('edit').description('change a program').argument('<id>', 'program id', parseWholeNumber),
  )
    .option('--active <on|off>', 'take the program in or out of service', onOff)
    .action(async (id: number, options: ProgramOptions & { active?: boolean }, command: Command) => {
      const { updateProgram } = await import('../../affiliate/programs');
      const changes = {
        ...programInput(options),
        ...(options.active !== undefined ? { active: options.active } : {}),
      };
      const updated = await withDatabase((db) => updateProgram(db, id, changes));
      outputOf(command).result(updated, [`program ${id}: ${programLine(updated)}`]);
    });
  programs
    .command('list')
    .description('list the programs')
    .action(async (_options: unknown, command: Command) => {
      const { listPrograms } = await import('../../affiliate/programs');
      const list = await withDatabase((db) => listPrograms(db));
      outputOf(command).result(
        list,
        list.length === 0 ? ['no programs'] : list.map((p) => `${p.id} ${programLine(p)}`),
      );
    });
}

interface ProgramOptions {
  name?: string;
  template?: string;
  reward?: string;
  months?: number;
  website?: string;
  group?: number | null;
  forbidGroup?: number | null;
  project?: number;
}

function programInput(options: ProgramOptions): ProgramInput {
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.template !== undefined ? { promocodeTemplate: options.template } : {}),
    ...(options.reward !== undefined
      ? { rewardPercent: options.reward === 'none' ? null : options.reward }
      : {}),
    ...(options.months !== undefined ? { referralMonths: options.months } : {}),
    ...(options.website !== undefined ? { websiteUrl: options.website } : {}),
    ...(options.group !== undefined ? { clientGroup: options.group } : {}),
    ...(options.forbidGroup !== undefined ? { forbiddenGroup: options.forbidGroup } : {}),
    ...(options.project !== undefined ? { project: options.project } : {}),
  };
}

function programLine(p: {
  name: string;
  active: boolean;
  promocodeTemplate: string;
  rewardPercent: string | null;
  referralMonths: number;
  websiteUrl: string;
  clientGroup: number | null;
  forbiddenGroup: number | null;
}): string {
  return [
    `'${p.name}'${p.active ? '' : ' (inactive)'}`,
    `code ${p.promocodeTemplate}`,
    `reward ${p.rewardPercent === null ? 'global default' : `${p.rewardPercent}%`}`,
    `period ${p.referralMonths === 0 ? 'no end' : `${p.referralMonths} months`}`,
    p.websiteUrl,
    ...(p.clientGroup !== null ? [`group ${p.clientGroup}`] : []),
    ...(p.forbiddenGroup !== null ? [`forbidden group ${p.forbiddenGroup}`] : []),
  ].join(', ');
}

function registerSettings(affiliate: Command): void {
  const settings = affiliate.command('settings').description('global affiliate settings (seed 001)');
  settings
    .command('show')
    .description('show the settings')
    .action(async (_options: unknown, command: Command) => {
      const { loadSettings } = await import('../../affiliate/settings');
      const current = await withDatabase((db) => loadSettings(db));
      outputOf(command).result(plain(current), settingsLines(current));
    });
  settings
    .command('set')
    .description('change settings; the result is validated as a whole')
    .option('--enabled <on|off>', 'the whole affiliate system', onOff)
    .option('--default-percent <percent>', "default earning percentage, or 'none'")
    .option('--currency <code>', 'currency of the signup bonus and the minimum withdrawal')
    .option('--signup-bonus <amount>', 'credited once to a new partner')
    .option('--min-withdrawal <amount>', 'smallest withdrawal a partner may ask for')
    .option(
      '--delay-days <n>',
      'days a reward stays pending after the referred invoice is paid',
      parseWholeNumber,
    )
    .option('--department <id>', "support department for payout requests, or 'none'", idOrNone)
    .option('--link-template <url>', "affiliate link with [AffiliateLinkCode], or 'none'")
    .option('--auto-apply <on|off>', 'the monthly run pays available credit onto the balance', onOff)
    .action(async (options: SettingsOptions, command: Command) => {
      const { saveSettings, loadSettings } = await import('../../affiliate/settings');
      const saved = await withDatabase(async (db) => {
        const currency = (options.currency ?? (await loadSettings(db)).currency).toUpperCase();
        return saveSettings(db, settingsInput(options, currency), new Date());
      });
      outputOf(command).result(plain(saved), settingsLines(saved));
    });
}

interface SettingsOptions {
  enabled?: boolean;
  defaultPercent?: string;
  currency?: string;
  signupBonus?: string;
  minWithdrawal?: string;
  delayDays?: number;
  department?: number | null;
  linkTemplate?: string;
  autoApply?: boolean;
}

function settingsInput(options: SettingsOptions, currency: string): SettingsInput {
  const minor = (amount: string): bigint => amountOf(amount, currency).minor;
  return {
    ...(options.enabled !== undefined ? { enabled: options.enabled } : {}),
    ...(options.defaultPercent !== undefined
      ? { defaultPercent: options.defaultPercent === 'none' ? null : options.defaultPercent }
      : {}),
    ...(options.currency !== undefined ? { currency } : {}),
    ...(options.signupBonus !== undefined ? { signupBonusMinor: minor(options.signupBonus) } : {}),
    ...(options.minWithdrawal !== undefined ? { minWithdrawalMinor: minor(options.minWithdrawal) } : {}),
    ...(options.delayDays !== undefined ? { commissionDelayDays: options.delayDays } : {}),
    ...(options.department !== undefined ? { supportDepartment: options.department } : {}),
    ...(options.linkTemplate !== undefined
      ? { linkTemplate: options.linkTemplate === 'none' ? null : options.linkTemplate }
      : {}),
    ...(options.autoApply !== undefined ? { autoApply: options.autoApply } : {}),
  };
}

function settingsLines(s: import('../../domain/affiliate/program').AffiliateSettings): string[] {
  const amount = (minor: bigint): string => `${toMajorString({ minor, currency: s.currency })} ${s.currency}`;
  return [
    `enabled: ${s.enabled ? 'on' : 'off'}`,
    `default percentage: ${s.defaultPercent === undefined ? 'none' : `${s.defaultPercent}%`}`,
    `signup bonus: ${amount(s.signupBonusMinor)}`,
    `minimum withdrawal: ${amount(s.minWithdrawalMinor)}`,
    `commission delay: ${s.commissionDelayDays} days`,
    `support department: ${s.supportDepartment ?? 'none'}`,
    `affiliate link template: ${s.linkTemplate ?? 'none'}`,
    `apply available credit monthly: ${s.autoApply ? 'on' : 'off'}`,
  ];
}

function registerPartners(affiliate: Command): void {
  const partners = affiliate.command('partner').description('partners (affiliates) of the programs');
  partners
    .command('add')
    .description('make an account a partner: a unique promo code and link')
    .requiredOption('--program <id>', 'program id', parseWholeNumber)
    .requiredOption('--account <id>', 'the partner account', parseWholeNumber)
    .action(async (options: { program: number; account: number }, command: Command) => {
      const { addPartner } = await import('../../affiliate/programs');
      const partner = await withDatabase((db) =>
        addPartner(db, options.program, options.account, new Date()),
      );
      outputOf(command).result(partner, [partnerLine(partner)]);
    });
  partners
    .command('list')
    .description('list partners')
    .option('--program <id>', 'of one program', parseWholeNumber)
    .option('--account <id>', 'of one account', parseWholeNumber)
    .action(async (options: { program?: number; account?: number }, command: Command) => {
      const { listPartners } = await import('../../affiliate/programs');
      const list = await withDatabase((db) => listPartners(db, options));
      outputOf(command).result(list, list.length === 0 ? ['no partners'] : list.map(partnerLine));
    });
  for (const [name, active] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    partners
      .command(name)
      .description(`${name} a partner (a disabled partner earns nothing new)`)
      .argument('<id>', 'partner id', parseWholeNumber)
      .action(async (id: number, _options: unknown, command: Command) => {
        const { setPartnerActive } = await import('../../affiliate/programs');
        await withDatabase((db) => setPartnerActive(db, id, active));
        outputOf(command).result({ affiliate: id, active }, [
          `partner ${id} ${active ? 'enabled' : 'disabled'}`,
        ]);
      });
  }
}

function partnerLine(p: {
  id: number;
  program: number;
  account: number;
  promocode: string;
  active: boolean;
  link: string;
  templatedLink?: string;
}): string {
  return (
    `partner ${p.id}${p.active ? '' : ' (disabled)'}: account ${p.account}, program ${p.program}, ` +
    `promo code ${p.promocode}, link ${p.link}${p.templatedLink ? `, ${p.templatedLink}` : ''}`
  );
}

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

function registerRules(affiliate: Command): void {
  const override = affiliate
    .command('override')
    .description("a partner's own reward rule, over the defaults");
  ruleOptions(override.command('set').description('set the override (WHMCS style: --type and --amount)'))
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .option('--type <type>', 'percentage or fixed (with --amount; 20 means 20% or $20)')
    .option('--one-time', 'pay one time only')
    .action(
      async (id: number, options: RuleOptions & { type?: string; oneTime?: boolean }, command: Command) => {
        const { setOverride, ruleFromWhmcsOverride } = await import('../../affiliate/rules');
        const rule: RewardRule =
          options.type !== undefined
            ? ruleFromWhmcsOverride({
                type: options.type,
                amount: options.amount ?? '',
                ...(options.currency !== undefined ? { currency: options.currency } : {}),
                oneTimeOnly: options.oneTime === true,
              })
            : parseRule(ruleInput(options), 'override');
        await withDatabase((db) => setOverride(db, id, rule, new Date()));
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
      const { clearOverride } = await import('../../affiliate/rules');
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
      const { getOverride } = await import('../../affiliate/rules');
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
        const { addGroupRule } = await import('../../affiliate/rules');
        const id = await withDatabase((db) =>
          addGroupRule(
            db,
            {
              program: options.program ?? null,
              accountGroup: options.group ?? null,
              accountType: options.accountType ?? null,
              rule: ruleInput(options),
            },
            new Date(),
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
      const { listGroupRules } = await import('../../affiliate/rules');
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
      const { removeGroupRule } = await import('../../affiliate/rules');
      const removed = await withDatabase((db) => removeGroupRule(db, id));
      outputOf(command).result({ id, removed }, [removed ? `rule ${id} removed` : `there is no rule ${id}`]);
      if (!removed) process.exitCode = 1;
    });
}

function registerReferrals(affiliate: Command): void {
  affiliate
    .command('sweep')
    .description(
      'bind accounts registered since the last sweep to the partner of a counter visit from their signup address',
    )
    .action(async (_options: unknown, command: Command) => {
      const { sweepSignups } = await import('../../affiliate/sweep');
      const summary = await withDatabase((db) => sweepSignups(db, new Date()));
      outputOf(command).result(summary, [
        `accounts registered after ${summary.from} up to ${summary.until}: ${summary.looked} without a partner, ${summary.bound} bound, ${summary.refused} refused`,
      ]);
    });
  affiliate
    .command('assign')
    .description('set the partner of a client account by hand')
    .requiredOption('--account <id>', 'the referred client account', parseWholeNumber)
    .requiredOption('--affiliate <id>', 'the partner id', parseWholeNumber)
    .option('--replace', 'move a client that already has a partner')
    .option('--by <name>', 'who assigns it', 'admin')
    .action(
      async (
        options: { account: number; affiliate: number; replace?: boolean; by: string },
        command: Command,
      ) => {
        const { assignReferral } = await import('../../affiliate/attribution');
        const result = await withDatabase((db) =>
          assignReferral(db, {
            account: options.account,
            affiliate: options.affiliate,
            assignedBy: options.by,
            replace: options.replace === true,
            now: new Date(),
          }),
        );
        outputOf(command).result(result, [
          result.bound
            ? `account ${options.account} is now a referral of partner ${result.affiliate} (referral ${result.referral})`
            : `refused: ${result.message}`,
        ]);
        if (!result.bound) process.exitCode = 1;
      },
    );
  affiliate
    .command('promocode')
    .description('bind a client to the partner of a promo code (valid on first use only)')
    .requiredOption('--account <id>', 'the client account', parseWholeNumber)
    .requiredOption('--code <code>', 'the promo code')
    .action(async (options: { account: number; code: string }, command: Command) => {
      const { bindByPromoCode } = await import('../../affiliate/attribution');
      const result = await withDatabase((db) => bindByPromoCode(db, { ...options, now: new Date() }));
      outputOf(command).result(result, [
        result.bound
          ? `bound to partner ${result.affiliate} (referral ${result.referral})`
          : `refused: ${result.message}`,
      ]);
      if (!result.bound) process.exitCode = 1;
    });
  affiliate
    .command('search')
    .description('find accounts by name, for the "Referral" field')
    .argument('<text>', 'part of the account name')
    .option('--limit <n>', 'at most this many', parseWholeNumber, 20)
    .action(async (text: string, options: { limit: number }, command: Command) => {
      const { searchAccounts } = await import('../../affiliate/reports');
      const matches = await withDatabase((db) => searchAccounts(db, text, options.limit));
      outputOf(command).result(
        matches,
        matches.length === 0
          ? ['no account matches']
          : matches.map(
              (m) =>
                `${m.id} ${m.name ?? ''} <${m.email ?? ''}>` +
                `${m.affiliates.length > 0 ? ` partner ${m.affiliates.join(', ')}` : ''}`,
            ),
      );
    });
  affiliate
    .command('referrals')
    .description('the referral log of a client: every referral it gave, with status and earnings')
    .argument('<account>', 'the partner account', parseWholeNumber)
    .action(async (account: number, _options: unknown, command: Command) => {
      const { referralLog } = await import('../../affiliate/reports');
      const log = await withDatabase((db) => referralLog(db, account));
      const lines: string[] = [];
      if (log.partners.length === 0) lines.push(`account ${account} is not a partner`);
      for (const p of log.partners) {
        lines.push(`partner ${p.affiliate} (program ${p.program}, code ${p.promocode})`);
        for (const b of p.balances) {
          lines.push(
            `  ${b.currency}: pending ${toMajorString(b.pending)}, available ${toMajorString(b.available)}, paid out ${toMajorString(b.paidOut)}`,
          );
        }
        lines.push(`  commission on referral expenses: ${moneyList(p.expenseCommission)}`);
        if (p.referrals.length === 0) lines.push('  no referrals');
        for (const r of p.referrals) {
          const charged =
            Object.entries(r.charged)
              .map(([c, a]) => `${a} ${c}`)
              .join(', ') || 'nothing';
          lines.push(
            `  ${r.referral}: account ${r.account} ${r.name ?? ''} via ${r.source}, bound ${r.boundAt}, ` +
              `${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}; charged ${charged}; earned ${moneyList(r.earnings)}`,
          );
        }
      }
      outputOf(command).result(plain(log), lines);
    });
}

function registerLedger(affiliate: Command): void {
  affiliate
    .command('ledger')
    .description('ledger entries of a partner or of every partner of an account')
    .option('--affiliate <id>', 'partner id', parseWholeNumber)
    .option('--account <id>', 'partner account', parseWholeNumber)
    .option('--limit <n>', 'the latest this many', parseWholeNumber, 200)
    .action(async (options: { affiliate?: number; account?: number; limit: number }, command: Command) => {
      if (options.affiliate === undefined && options.account === undefined) {
        throw new Error('give --affiliate or --account');
      }
      const { ledgerLines } = await import('../../affiliate/reports');
      const lines = await withDatabase((db) => ledgerLines(db, options));
      outputOf(command).result(plain(lines), lines.length === 0 ? ['no entries'] : lines.map(ledgerLine));
    });
  affiliate
    .command('balance')
    .description("a partner's holding area: pending, available, paid out")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { balancesOf } = await import('../../affiliate/holding');
      const balances = await withDatabase((db) => balancesOf(db, id));
      outputOf(command).result(
        plain(balances),
        balances.length === 0
          ? [`partner ${id} has no entries`]
          : balances.map(
              (b) =>
                `${b.currency}: pending ${toMajorString(b.pending)}, available ${toMajorString(b.available)}, paid out ${toMajorString(b.paidOut)}`,
            ),
      );
    });
  affiliate
    .command('apply')
    .description("pay a partner's available credit onto its balance now")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const [{ applyNow }, { payPendingCredits }] = await Promise.all([
        import('../../affiliate/holding'),
        import('../../host/credit'),
      ]);
      const { applied, credits } = await withDatabase(async (db, core) => {
        const now = new Date();
        const applied = await applyNow(db, id, now);
        const credits = await payPendingCredits(db, core.mgrctl, {
          concurrency: core.concurrency,
          now: () => now,
        });
        return { applied, credits };
      });
      outputOf(command).result(plain(applied), [
        applied.length === 0 ? `partner ${id} has no available credit` : `applied ${moneyList(applied)}`,
        ...credits.failed.map(
          (f) => `the core has not credited ${f.key} yet: ${f.error} (billmgr-plugin credits pay)`,
        ),
      ]);
      if (credits.failed.length > 0) process.exitCode = 1;
    });
}

export function ledgerLine(l: import('../../affiliate/reports').LedgerLine): string {
  return (
    `#${l.id} ${l.createdAt} ${l.kind.padEnd(9)} ${formatMoney(l.amount).padStart(14)} ` +
    `${l.rule}${l.ruleRef ? ` [${l.ruleRef}]` : ''} ${l.period} ${l.source}` +
    `${l.availableOn ? ` available ${l.availableOn}` : ''}${l.note ? ` - ${l.note}` : ''}`
  );
}

function registerWithdrawals(affiliate: Command): void {
  const withdraw = affiliate.command('withdraw').description('payout requests from the holding area');
  withdraw
    .command('request')
    .description('ask for a payout of available credit (at least the minimum)')
    .requiredOption('--affiliate <id>', 'partner id', parseWholeNumber)
    .requiredOption('--amount <amount>', 'amount in major units')
    .option('--currency <code>', 'currency', 'USD')
    .action(async (options: { affiliate: number; amount: string; currency: string }, command: Command) => {
      const { requestWithdrawal } = await import('../../affiliate/holding');
      const amount = amountOf(options.amount, options.currency);
      const row = await withDatabase((db) => requestWithdrawal(db, options.affiliate, amount, new Date()));
      outputOf(command).result(row, [
        `withdrawal ${row.id} of ${formatMoney(amount)} requested${row.department !== null ? ` (department ${row.department})` : ''}`,
      ]);
    });
  withdraw
    .command('list')
    .description('list withdrawals')
    .option('--affiliate <id>', 'of one partner', parseWholeNumber)
    .option('--status <status>', 'requested, paid or rejected')
    .action(async (options: { affiliate?: number; status?: string }, command: Command) => {
      const { listWithdrawals } = await import('../../affiliate/holding');
      const rows = await withDatabase((db) => listWithdrawals(db, options));
      outputOf(command).result(
        rows,
        rows.length === 0
          ? ['no withdrawals']
          : rows.map(
              (w) =>
                `${w.id}: partner ${w.affiliate}, ${toMajorString({ minor: BigInt(w.amount_minor), currency: w.currency })} ${w.currency}, ` +
                `${w.status}, requested ${w.requested_at}${w.decided_at ? `, decided ${w.decided_at}` : ''}`,
            ),
      );
    });
  withdraw
    .command('decide')
    .description('settle a request: paid, or rejected (the credit returns to available)')
    .argument('<id>', 'withdrawal id', parseWholeNumber)
    .option('--paid', 'it was paid out')
    .option('--rejected', 'it is refused')
    .option('--note <text>', 'why')
    .action(
      async (
        id: number,
        options: { paid?: boolean; rejected?: boolean; note?: string },
        command: Command,
      ) => {
        if (options.paid === options.rejected) throw new Error('give exactly one of --paid and --rejected');
        const { decideWithdrawal } = await import('../../affiliate/holding');
        const row = await withDatabase((db) =>
          decideWithdrawal(db, id, options.paid ? 'paid' : 'rejected', new Date(), options.note),
        );
        outputOf(command).result(row, [`withdrawal ${id}: ${row.status}`]);
      },
    );
}

function amountOf(text: string, currency: string): Money {
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(text))
    throw new InvalidArgumentError(`'${text}' is not an amount such as 20 or 19.99.`);
  if (!/^[A-Za-z]{3}$/.test(currency))
    throw new InvalidArgumentError(`'${currency}' is not a currency code.`);
  return parseMoney(text, currency);
}

function onOff(text: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new InvalidArgumentError(`'${text}' is not on or off.`);
}

function idOrNone(text: string): number | null {
  return text === 'none' ? null : parseWholeNumber(text);
}

function moneyList(amounts: readonly Money[]): string {
  return amounts.length === 0 ? 'nothing' : amounts.map(formatMoney).join(', ');
}

/** JSON-ready: Money becomes `{ amount: "12.35", currency }`, other bigints become strings. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (
      typeof record.minor === 'bigint' &&
      typeof record.currency === 'string' &&
      Object.keys(record).length === 2
    ) {
      return { amount: toMajorString(value as Money), currency: record.currency };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
