/**
 * `billmgr-plugin credits list|pay`: the credits the plugin asked the core to make on clients' accounts, and the
 * funds it asked the core to take back (the host adapter's outbox, host/credit.ts). Every affiliate run pays what
 * waits; `pay` does it now.
 */
import type { Command } from 'commander';
import { formatMoney, money } from '../../domain/money';
import type { DbHostCreditRow } from '../../db/host-credit';
import { withDatabase } from '../database';
import { outputOf } from '../output';

export function register(program: Command): void {
  const credits = program
    .command('credits')
    .description("credits on clients' accounts made through the core: list those waiting, pay them now");
  credits
    .command('list')
    .description('credits the core has not made yet, with the last error of each')
    .action(async (_options: unknown, command: Command) => {
      const { unfinishedCredits } = await import('../../db/host-credit');
      const waiting = await withDatabase((db) => unfinishedCredits(db, 0, 10_000));
      outputOf(command).result(
        waiting.map(view),
        waiting.length > 0 ? waiting.map(line) : ['no credits waiting'],
      );
    });
  credits
    .command('pay')
    .description(
      'make every waiting credit now, through the core (payment.add, payment.setpaid; expense.edit for funds taken back)',
    )
    .action(async (_options: unknown, command: Command) => {
      const { payPendingCredits } = await import('../../host/credit');
      const report = await withDatabase((db, cli) =>
        payPendingCredits(db, cli.mgrctl, {
          concurrency: cli.concurrency,
          now: () => cli.clock.now(),
          onProgress: (done, total) => {
            if (total >= 100 && (done % 100 === 0 || done === total))
              process.stderr.write(`credits: ${done}/${total}\n`);
          },
        }),
      );
      outputOf(command).result(report, [
        report.busy
          ? 'another process is making the credits now; they wait for it'
          : `credited ${report.credited}, taken back ${report.debited}, waiting ${report.waiting}`,
        ...report.failed.map((f) => `  ${f.key} (account ${f.account}): ${f.error}`),
      ]);
      if (report.failed.length > 0 || report.busy) process.exitCode = report.busy ? 75 : 1;
    });
}

interface CreditView {
  key: string;
  /** credit: funds onto the account; debit: funds taken back. */
  kind: string;
  account: number;
  amount: string;
  state: string;
  payment: number | null;
  attempts: number;
  error: string | null;
}

function view(row: DbHostCreditRow): CreditView {
  return {
    key: row.credit_key,
    kind: row.kind,
    account: Number(row.account),
    amount: formatMoney(money(BigInt(row.amount_minor), row.currency)),
    state: row.state,
    payment: row.payment === null ? null : Number(row.payment),
    attempts: Number(row.attempts),
    error: row.last_error,
  };
}

function line(row: DbHostCreditRow): string {
  const v = view(row);
  return `${v.key} account ${v.account} ${v.kind === 'debit' ? '-' : ''}${v.amount} ${v.state}, ${v.attempts} attempt(s)${v.error ? `: ${v.error}` : ''}`;
}
