/** `affiliate sweep|assign|promocode|search|referrals`: binding clients to partners, and the referral log. */
import type { Command } from 'commander';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';
import { balanceLine, moneyList, plain } from './options';

export function registerReferrals(affiliate: Command): void {
  affiliate
    .command('sweep')
    .description(
      'bind accounts registered since the last sweep to the partner of a counter visit from their signup address',
    )
    .action(async (_options: unknown, command: Command) => {
      const { sweepSignups } = await import('../../../affiliate/sweep');
      const summary = await withDatabase((db, cli) => sweepSignups(db, cli.clock.now()));
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
        const { assignReferral } = await import('../../../affiliate/attribution');
        const result = await withDatabase((db, cli) =>
          assignReferral(db, {
            account: options.account,
            affiliate: options.affiliate,
            assignedBy: options.by,
            replace: options.replace === true,
            now: cli.clock.now(),
          }),
        );
        outputOf(command).result(result, [
          result.bound
            ? `account ${options.account} is now a referral of partner ${result.affiliate} (referral ${result.referral})`
            : `refused: ${result.message} (account ${options.account}, partner ${options.affiliate})`,
        ]);
        if (!result.bound) process.exitCode = 1;
      },
    );
  affiliate
    .command('unassign')
    .description(
      'take a referral from its partner: it earns nothing from now on; what it earned stays; `assign` can bind it again',
    )
    .requiredOption('--account <id>', 'the referred client account', parseWholeNumber)
    .option('--by <name>', 'who unassigns it', 'admin')
    .action(async (options: { account: number; by: string }, command: Command) => {
      const { unassignReferral } = await import('../../../affiliate/attribution');
      const result = await withDatabase((db, cli) =>
        unassignReferral(db, { account: options.account, by: options.by, now: cli.clock.now() }),
      );
      outputOf(command).result(result, [
        result.changed
          ? `account ${result.account} is no longer a referral of partner ${result.affiliate} (referral ${result.referral}, from ${result.unassignedAt})`
          : `account ${result.account} was unassigned from partner ${result.affiliate} already, on ${result.unassignedAt}`,
      ]);
    });
  affiliate
    .command('promocode')
    .description('bind a client to the partner of a promo code (valid on first use only)')
    .requiredOption('--account <id>', 'the client account', parseWholeNumber)
    .requiredOption('--code <code>', 'the promo code')
    .action(async (options: { account: number; code: string }, command: Command) => {
      const { bindByPromoCode } = await import('../../../affiliate/attribution');
      const result = await withDatabase((db, cli) =>
        bindByPromoCode(db, { ...options, now: cli.clock.now() }),
      );
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
      const { searchAccounts } = await import('../../../affiliate/reports');
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
      const { referralLog } = await import('../../../affiliate/reports');
      const log = await withDatabase((db) => referralLog(db, account));
      const lines: string[] = [];
      if (log.partners.length === 0) lines.push(`account ${account} is not a partner`);
      for (const p of log.partners) {
        lines.push(`partner ${p.affiliate} (program ${p.program}, code ${p.promocode})`);
        for (const b of p.balances) {
          lines.push(`  ${balanceLine(b)}`);
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
              `${r.status}${r.statusReason ? ` (${r.statusReason})` : ''}` +
              `${r.unassignedAt ? `, unassigned ${r.unassignedAt}` : ''}; charged ${charged}; earned ${moneyList(r.earnings)}`,
          );
        }
      }
      outputOf(command).result(plain(log), lines);
    });
}
