/**
 * `billmgr-plugin promotion audience <id>`: who may take part now, set-based over pages of accounts, before the
 * promotion goes live: the count; `--list` prints the accounts, `--json` gives both.
 */
import type { Command } from 'commander';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { parseMoment } from './check';

export function registerAudience(promotion: Command): void {
  promotion
    .command('audience')
    .description('how many clients are eligible (and which, with --list or --json)')
    .argument('<promotion>', 'promotion id', parseWholeNumber)
    .option('--list', 'print the eligible accounts too')
    .option('--code <code>', 'as if every client gave this promo code (normalised)')
    .option('--at <datetime>', 'evaluate as at this server-local time instead of now', parseMoment)
    .action(async (id: number, options: { list?: boolean; code?: string; at?: Date }, command: Command) => {
      const { audience } = await import('../../../promotions/eligibility');
      const output = outputOf(command);
      const accounts: number[] = [];
      const keep = output.json || options.list === true;
      const { count } = await withDatabase((db, cli) =>
        audience(db, id, {
          now: options.at ?? cli.clock.now(),
          ...(options.code !== undefined ? { code: options.code } : {}),
          ...(keep ? { onEligible: (ids: readonly number[]) => void accounts.push(...ids) } : {}),
        }),
      );
      output.result({ promotion: id, count, accounts }, [
        `promotion ${id}: ${count} eligible client${count === 1 ? '' : 's'}`,
        ...(options.list ? accounts.map(String) : []),
      ]);
    });
}
