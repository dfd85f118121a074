/** `affiliate ledger|balance|apply`: ledger entries, the holding area, applying credit now. */
import type { Command } from 'commander';
import type { CommissionLine, LedgerLine } from '../../../affiliate/reports';
import { ValidationError } from '../../../domain/errors';
import { formatMoney } from '../../../domain/money';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { balanceLine, moneyList, plain } from './options';

export function registerLedger(affiliate: Command): void {
  affiliate
    .command('ledger')
    .description('ledger entries of a partner or of every partner of an account')
    .option('--affiliate <id>', 'partner id', parseWholeNumber)
    .option('--account <id>', 'partner account', parseWholeNumber)
    .option('--limit <n>', 'the latest this many', parseWholeNumber, 200)
    .action(async (options: { affiliate?: number; account?: number; limit: number }, command: Command) => {
      if (options.affiliate === undefined && options.account === undefined) {
        throw new ValidationError('ledger', ['give --affiliate or --account']);
      }
      const { ledgerLines } = await import('../../../affiliate/reports');
      const lines = await withDatabase((db) => ledgerLines(db, options));
      outputOf(command).result(plain(lines), lines.length === 0 ? ['no entries'] : lines.map(ledgerLine));
    });
  affiliate
    .command('commissions')
    .description("one partner's commissions with their sources: referral, expenses or payment, rule, run")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .option('--period <YYYY-MM>', 'of one month')
    .action(async (id: number, options: { period?: string }, command: Command) => {
      if (options.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.period))
        throw new ValidationError('commissions', [`'${options.period}' is not a month YYYY-MM`]);
      const { partnerCommissions } = await import('../../../affiliate/reports');
      const lines = await withDatabase((db) =>
        partnerCommissions(db, { affiliate: id, ...(options.period ? { period: options.period } : {}) }),
      );
      outputOf(command).result(
        plain(lines),
        lines.length === 0 ? [`partner ${id} has no commissions`] : lines.flatMap(commissionLines),
      );
    });
  affiliate
    .command('balance')
    .description("a partner's holding area: pending, available, paid out")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const [{ balancesOf }, { getPartner }] = await Promise.all([
        import('../../../affiliate/holding'),
        import('../../../affiliate/programs'),
      ]);
      const balances = await withDatabase(async (db) => {
        await getPartner(db, id);
        return balancesOf(db, id);
      });
      outputOf(command).result(
        plain(balances),
        balances.length === 0 ? [`partner ${id} has no entries`] : balances.map(balanceLine),
      );
    });
  affiliate
    .command('apply')
    .description("pay a partner's available credit onto its balance now")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const [{ applyNow }, { payPendingCredits }, { getPartner }] = await Promise.all([
        import('../../../affiliate/holding'),
        import('../../../host/credit'),
        import('../../../affiliate/programs'),
      ]);
      const { applied, credits } = await withDatabase(async (db, cli) => {
        await getPartner(db, id);
        const now = cli.clock.now();
        const applied = await applyNow(db, id, now);
        const credits = await payPendingCredits(db, cli.mgrctl, {
          concurrency: cli.concurrency,
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

export function ledgerLine(l: LedgerLine): string {
  return (
    `#${l.id} ${l.createdAt} ${l.kind.padEnd(9)} ${formatMoney(l.amount).padStart(14)} ` +
    `${l.rule}${l.ruleRef ? ` [${l.ruleRef}]` : ''} ${l.period} ${l.source}` +
    `${l.availableOn ? ` available ${l.availableOn}` : ''}${l.note ? ` - ${l.note}` : ''}`
  );
}

function commissionLines(c: CommissionLine): string[] {
  const s = c.source;
  const from =
    s.kind === 'expenses'
      ? `expenses of ${c.period}`
      : s.kind === 'referral'
        ? `referral ${s.referral} (account ${s.referredAccount})${s.payment !== null ? `, paid invoice ${s.payment}` : ''}`
        : `${s.kind} ${s.id}${s.payment !== null ? `, payment ${s.payment}` : ''}`;
  return [
    `#${c.id} ${c.kind.padEnd(8)} ${formatMoney(c.amount).padStart(14)} ${c.rule}${c.ruleRef ? ` [${c.ruleRef}]` : ''} ` +
      `${c.period} from ${from}${c.run !== null ? `, run ${c.run}` : ''}${c.note ? ` - ${c.note}` : ''}`,
    ...(s.charges ?? []).map(
      (ch) => `    referral ${ch.referral} (account ${ch.account}) charged ${ch.charged} ${ch.currency}`,
    ),
  ];
}
