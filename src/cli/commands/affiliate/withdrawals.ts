/** `affiliate withdraw request|list|decide`: payout requests from the holding area. */
import type { Command } from 'commander';
import { ValidationError } from '../../../domain/errors';
import { formatMoney } from '../../../domain/money';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { amountOf, plain } from './options';

export function registerWithdrawals(affiliate: Command): void {
  const withdraw = affiliate.command('withdraw').description('payout requests from the holding area');
  withdraw
    .command('request')
    .description('ask for a payout of available credit (at least the minimum)')
    .requiredOption('--affiliate <id>', 'partner id', parseWholeNumber)
    .requiredOption('--amount <amount>', 'amount in major units')
    .option('--currency <code>', 'currency', 'USD')
    .action(async (options: { affiliate: number; amount: string; currency: string }, command: Command) => {
      const { requestWithdrawal } = await import('../../../affiliate/holding');
      const amount = amountOf(options.amount, options.currency);
      const row = await withDatabase((db, cli) =>
        requestWithdrawal(db, options.affiliate, amount, cli.clock.now()),
      );
      outputOf(command).result(plain(row), [
        `withdrawal ${row.id} of ${formatMoney(amount)} requested${row.department !== null ? ` (department ${row.department})` : ''}`,
      ]);
    });
  withdraw
    .command('list')
    .description('list withdrawals')
    .option('--affiliate <id>', 'of one partner', parseWholeNumber)
    .option('--status <status>', 'requested, paid or rejected')
    .action(async (options: { affiliate?: number; status?: string }, command: Command) => {
      const { listWithdrawals } = await import('../../../affiliate/holding');
      const rows = await withDatabase((db) => listWithdrawals(db, options));
      outputOf(command).result(
        plain(rows),
        rows.length === 0
          ? ['no withdrawals']
          : rows.map(
              (w) =>
                `${w.id}: partner ${w.affiliate}, ${formatMoney(w.amount)}, ` +
                `${w.status}, requested ${w.requestedAt}${w.decidedAt ? `, decided ${w.decidedAt}` : ''}` +
                `${w.payoutReference ? `, paid out as ${w.payoutReference}` : ''}${w.note ? ` - ${w.note}` : ''}`,
            ),
      );
    });
  withdraw
    .command('decide')
    .description(
      'settle a request: paid (with --reference, how it was paid out), or rejected (the credit returns to available)',
    )
    .argument('<id>', 'withdrawal id', parseWholeNumber)
    .option('--paid', 'it was paid out')
    .option('--reference <text>', 'the payout reference: transfer id, cheque number ... (with --paid)')
    .option('--rejected', 'it is refused')
    .option('--note <text>', 'why')
    .action(
      async (
        id: number,
        options: { paid?: boolean; rejected?: boolean; note?: string; reference?: string },
        command: Command,
      ) => {
        if (options.paid === options.rejected)
          throw new ValidationError(`withdrawal ${id}`, ['give exactly one of --paid and --rejected']);
        const { decideWithdrawal } = await import('../../../affiliate/holding');
        const row = await withDatabase((db, cli) =>
          decideWithdrawal(
            db,
            id,
            options.paid ? 'paid' : 'rejected',
            cli.clock.now(),
            options.note,
            options.reference,
          ),
        );
        outputOf(command).result(plain(row), [
          `withdrawal ${id}: ${row.status}${row.payoutReference ? `, paid out as ${row.payoutReference}` : ''}`,
        ]);
      },
    );
}
