/** `affiliate adjust|adjustments`: an admin's manual adjustments of a partner's credit, each with a reason. */
import type { Command } from 'commander';
import { formatMoney } from '../../../domain/money';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { plain, signedAmountOf } from './options';

export function registerAdjustments(affiliate: Command): void {
  affiliate
    .command('adjust')
    .description(
      "add to (or, negative, take from) a partner's available credit, with a reason; an entry, never an edit",
    )
    .requiredOption('--affiliate <id>', 'partner id', parseWholeNumber)
    .requiredOption('--amount <amount>', 'signed amount in major units: 12.50 or -5')
    .requiredOption('--reason <text>', 'why (kept with the entry)')
    .option('--currency <code>', 'currency', 'USD')
    .option('--by <name>', 'who adjusts', 'admin')
    .action(
      async (
        options: { affiliate: number; amount: string; reason: string; currency: string; by: string },
        command: Command,
      ) => {
        const amount = signedAmountOf(options.amount, options.currency);
        const { adjustCredit } = await import('../../../affiliate/adjustments');
        const adjustment = await withDatabase((db, cli) =>
          adjustCredit(db, {
            affiliate: options.affiliate,
            amount,
            reason: options.reason,
            by: options.by,
            now: cli.clock.now(),
          }),
        );
        outputOf(command).result(plain(adjustment), [
          `adjustment ${adjustment.id}: partner ${adjustment.affiliate} ${formatMoney(adjustment.amount)} (${adjustment.reason})`,
        ]);
      },
    );
  affiliate
    .command('adjustments')
    .description('list manual adjustments')
    .option('--affiliate <id>', 'of one partner', parseWholeNumber)
    .action(async (options: { affiliate?: number }, command: Command) => {
      const { listAdjustments } = await import('../../../affiliate/adjustments');
      const list = await withDatabase((db) => listAdjustments(db, options));
      outputOf(command).result(
        plain(list),
        list.length === 0
          ? ['no adjustments']
          : list.map(
              (a) =>
                `${a.id}: partner ${a.affiliate} ${formatMoney(a.amount)} on ${a.createdAt} by ${a.createdBy}: ${a.reason}`,
            ),
      );
    });
}
