/**
 * `billmgr-plugin promotion redeem|commit|release|release-held|expire-credits|uses|ledger`: what the panel's
 * handlers call when a client types a code (redeem, at order with --reserve), pays (commit) or cancels
 * (release), the cron jobs (release-held, expire-credits), and the admin's views. A refused code prints the
 * reason in the client's words and exits 2.
 */
import type { Command } from 'commander';
import type { Knex } from 'knex';
import { ValidationError } from '../../../domain/errors';
import { withDatabase, type CliRuntime } from '../../database';
import type { CreditReport } from '../../../host/credit';
import { outputOf, parseWholeNumber } from '../../output';
import type { RedemptionView } from '../../../promotions/redemption/view';

/** Exit code of a refused code: the request was fine, the code cannot be used (the reason is printed). */
export const REFUSED_EXIT = 2;

interface RedeemOptions {
  account: number;
  code: string;
  key?: string;
  address?: string;
  reserve?: boolean;
  order?: string;
  holdHours?: number;
}

export function register(promotion: Command): void {
  promotion
    .command('redeem')
    .description('a client uses a promo code or a certificate; --reserve holds it for an order until paid')
    .requiredOption('--account <id>', 'the client account', parseWholeNumber)
    .requiredOption('--code <code>', 'as the client typed it')
    .option('--key <key>', 'idempotency key: a retry with the same key gets the first answer')
    .option('--address <ip>', "the client's address, for the limit on attempts")
    .option('--reserve', 'hold the use for an order: commit at payment, release on cancellation')
    .option('--order <ref>', 'the order a reservation is for')
    .option('--hold-hours <n>', 'how long a reservation holds (default 168)', parseWholeNumber)
    .action(async (options: RedeemOptions, command: Command) => {
      const [{ redeem }, { productionPorts }] = await Promise.all([
        import('../../../promotions/redemption/redeem'),
        import('../../../promotions/redemption/wiring'),
      ]);
      const { outcome, credits } = await withDatabase(async (db, cli) => {
        const outcome = await redeem(
          db,
          {
            account: options.account,
            code: options.code,
            ...(options.key !== undefined ? { key: options.key } : {}),
            ...(options.address !== undefined ? { address: options.address } : {}),
            mode: options.reserve ? 'reserve' : 'commit',
            ...(options.order !== undefined ? { orderRef: options.order } : {}),
            ...(options.holdHours !== undefined ? { holdHours: options.holdHours } : {}),
          },
          productionPorts(cli.clock.now()),
        );
        const credited =
          outcome.redeemed && outcome.redemption.status === 'committed' && outcome.redemption.amount;
        return { outcome, credits: credited ? await creditNow(db, cli) : undefined };
      });
      if (outcome.redeemed) {
        outputOf(command).result({ ...outcome, ...(credits ? { credits } : {}) }, [
          describe(outcome.redemption),
          ...creditLines(credits),
        ]);
        if (credits && credits.failed.length > 0) process.exitCode = 1;
      } else {
        outputOf(command).result(outcome, [
          `refused (${outcome.refusal.reason}): ${outcome.refusal.message}`,
        ]);
        process.exitCode = REFUSED_EXIT;
      }
    });
  const target = (command: Command): Command =>
    command
      .option('--key <key>', 'the idempotency key the redemption was made with')
      .option('--id <id>', 'the redemption id', parseWholeNumber);
  target(promotion.command('commit').description('the order was paid: the reserved use stays taken')).action(
    async (options: { key?: string; id?: number }, command: Command) => {
      const [{ commitRedemption }, { productionPorts }] = await Promise.all([
        import('../../../promotions/redemption/commit'),
        import('../../../promotions/redemption/wiring'),
      ]);
      const { done, credits } = await withDatabase(async (db, cli) => {
        const done = await commitRedemption(db, targetOf(options), productionPorts(cli.clock.now()));
        return { done, credits: done.amount !== null ? await creditNow(db, cli) : undefined };
      });
      outputOf(command).result({ ...done, ...(credits ? { credits } : {}) }, [
        describe(done),
        ...creditLines(credits),
      ]);
      if (credits && credits.failed.length > 0) process.exitCode = 1;
    },
  );
  target(
    promotion.command('release').description('the order was cancelled: the reserved use is given back'),
  ).action(async (options: { key?: string; id?: number }, command: Command) => {
    const { releaseRedemption } = await import('../../../promotions/redemption/release');
    const done = await withDatabase((db, cli) =>
      releaseRedemption(db, targetOf(options), 'cancelled', cli.clock.now()),
    );
    outputOf(command).result(done, [
      `${done.released ? 'released' : 'nothing to release'}: ${describe(done.redemption)}`,
    ]);
  });
  promotion
    .command('release-held')
    .description('release every reservation whose hold ran out (cron)')
    .action(async (_options: unknown, command: Command) => {
      const { releaseHeldTooLong } = await import('../../../promotions/redemption/release');
      const released = await withDatabase((db, cli) => releaseHeldTooLong(db, cli.clock.now()));
      outputOf(command).result({ released }, [`${released} reservations released`]);
    });
  promotion
    .command('expire-credits')
    .description(
      'take back the unspent funds of certificates whose validity term ended, through the core (expense.edit; cron)',
    )
    .action(async (_options: unknown, command: Command) => {
      const [{ expireCredits }, { productionPorts }] = await Promise.all([
        import('../../../promotions/redemption/expire'),
        import('../../../promotions/redemption/wiring'),
      ]);
      const { result, credits } = await withDatabase(async (db, cli) => {
        const result = await expireCredits(db, productionPorts(cli.clock.now()));
        return { result, credits: result.takenBack > 0 ? await creditNow(db, cli) : undefined };
      });
      outputOf(command).result({ ...result, ...(credits ? { credits } : {}) }, [
        `${result.settled} credits ended, ${result.takenBack} with unspent funds taken back`,
        ...creditLines(credits),
      ]);
      if (credits && credits.failed.length > 0) process.exitCode = 1;
    });
  promotion
    .command('uses')
    .description('redemptions, oldest first')
    .option('--promotion <id>', 'of this promotion', parseWholeNumber)
    .option('--account <id>', 'of this client', parseWholeNumber)
    .option('--status <status>', 'reserved | committed | released')
    .option('--limit <n>', 'how many', parseWholeNumber, 100)
    .action(
      async (
        options: { promotion?: number; account?: number; status?: RedemptionView['status']; limit: number },
        command: Command,
      ) => {
        const { listUses } = await import('../../../promotions/redemption/reports');
        const list = await withDatabase((db) =>
          listUses(
            db,
            {
              ...(options.promotion !== undefined ? { promotion: options.promotion } : {}),
              ...(options.account !== undefined ? { account: options.account } : {}),
              ...(options.status !== undefined ? { status: options.status } : {}),
            },
            options.limit,
          ),
        );
        outputOf(command).result(list, list.length === 0 ? ['no redemptions'] : list.map(describe));
      },
    );
  promotion
    .command('ledger')
    .description("a client's promotional ledger and its balance (the sum of the entries)")
    .requiredOption('--account <id>', 'the client account', parseWholeNumber)
    .action(async (options: { account: number }, command: Command) => {
      const { accountLedger } = await import('../../../promotions/redemption/reports');
      const ledger = await withDatabase((db: Knex) => accountLedger(db, options.account));
      outputOf(command).result(ledger, [
        ...ledger.entries.map(
          (e) =>
            `#${e.id} ${e.createdAt} ${e.kind} ${e.amount} ${e.currency} (${e.source}, promotion ${e.promotion})` +
            (e.validUntil !== null ? ` valid until ${e.validUntil}` : ''),
        ),
        ...(ledger.entries.length === 0 ? [`no entries for account ${options.account}`] : []),
        `balance: ${ledger.balance.map((b) => `${b.amount} ${b.currency}`).join(', ') || '0'}`,
      ]);
    });
}

/**
 * A certificate's credit, or the funds an expiry takes back, is in the host's outbox: made through the core now (or
 * by `credits pay` later).
 */
async function creditNow(db: Knex, cli: CliRuntime): Promise<CreditReport> {
  const { payPendingCredits } = await import('../../../host/credit');
  return payPendingCredits(db, cli.mgrctl, { concurrency: cli.concurrency, now: () => cli.clock.now() });
}

function creditLines(report: CreditReport | undefined): string[] {
  if (!report) return [];
  if (report.busy) return ['  the credit waits for the process making credits now'];
  return report.failed.map(
    (f) => `  the core has not made ${f.key} yet: ${f.error} (billmgr-plugin credits pay)`,
  );
}

function targetOf(options: { key?: string; id?: number }): { key?: string; id?: number } {
  if ((options.key === undefined) === (options.id === undefined))
    throw new ValidationError('redemption', ['name it by --key or by --id']);
  return options.key !== undefined ? { key: options.key } : { id: options.id as number };
}

function describe(r: RedemptionView): string {
  return (
    `redemption ${r.id} of ${r.code} by account ${r.account}: ${r.status}` +
    (r.amount !== null ? `, ${r.amount} ${r.currency ?? ''}` : '') +
    (r.basedOnPayment !== null ? ` (of payment ${r.basedOnPayment})` : '') +
    (r.holdUntil !== null && r.status === 'reserved' ? `, held until ${r.holdUntil} UTC` : '') +
    (r.releaseReason !== null ? ` (${r.releaseReason})` : '')
  );
}
