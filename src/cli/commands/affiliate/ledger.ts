/** `affiliate ledger|balance|apply`: ledger entries, the holding area, applying credit now. */
import type { Command } from 'commander';
import type { LedgerLine } from '../../../affiliate/reports';
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
        throw new Error('give --affiliate or --account');
      }
      const { ledgerLines } = await import('../../../affiliate/reports');
      const lines = await withDatabase((db) => ledgerLines(db, options));
      outputOf(command).result(plain(lines), lines.length === 0 ? ['no entries'] : lines.map(ledgerLine));
    });
  affiliate
    .command('balance')
    .description("a partner's holding area: pending, available, paid out")
    .argument('<affiliate>', 'partner id', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const { balancesOf } = await import('../../../affiliate/holding');
      const balances = await withDatabase((db) => balancesOf(db, id));
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
      const [{ applyNow }, { payPendingCredits }] = await Promise.all([
        import('../../../affiliate/holding'),
        import('../../../host/credit'),
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

export function ledgerLine(l: LedgerLine): string {
  return (
    `#${l.id} ${l.createdAt} ${l.kind.padEnd(9)} ${formatMoney(l.amount).padStart(14)} ` +
    `${l.rule}${l.ruleRef ? ` [${l.ruleRef}]` : ''} ${l.period} ${l.source}` +
    `${l.availableOn ? ` available ${l.availableOn}` : ''}${l.note ? ` - ${l.note}` : ''}`
  );
}
