/**
 * `handlers/promotioncron`: the promotions' periodic work (cron, hourly): reservations whose hold ran out are
 * released, certificate credits whose term ended give their unspent funds back, the discount run credits the
 * discounted share of new expenses, and every credit or debit that waits in the host adapter's outbox is made
 * through the core. Each step is idempotent and safe twice at once, so a missed or doubled hour does no harm.
 */
import { parseOptions } from '../contract/argv';
import { buildDoc } from '../contract/xml';
import { BusyError } from '../domain/errors';
import type { CreditReport } from '../host/credit';
import type { DiscountRunReport } from '../promotions/discounts/run';
import type { ExpiryResult } from '../promotions/redemption/expire';
import { runHandler, type HandlerSpec } from './handler';

/** Everything ran, but some credits or debits the core refused wait for the next run (named in the document). */
export const EXIT_CREDITS_WAITING = 3;

const OPTIONS = { quiet: { kind: 'flag' } } as const;

export interface PromotionCronArgs {
  quiet: boolean;
}

export interface PromotionCronSummary {
  released: number;
  expired: ExpiryResult;
  /** Undefined when another discount run was under way: it credits those expenses. */
  discounts?: DiscountRunReport;
  credits: CreditReport;
}

const HELP = `promotioncron: the promotions' periodic work, run by cron every hour.

Usage: promotioncron [--quiet] [--help]

  --quiet     print nothing when all went well (the summary goes to the log): cron mails only problems
In order: releases the reservations whose hold ran out (each gives its uses back once); takes back
the unspent funds of certificates whose validity term ended, by an expiry entry and an expense the
core books (expense.edit); credits the discounted share of new expenses of clients holding a
discount; makes every credit and debit waiting in the outbox through the core. Each step is safe
to repeat and to run twice at once: nothing is released, taken back or credited twice.
Output: one XML document with what each step did (an error document on failure, with --quiet too).
Exit: 0 done; 3 done, but credits or debits the core refused wait (listed); 1 failed.`;

export const promotioncron: HandlerSpec<PromotionCronArgs> = {
  name: 'promotioncron',
  help: HELP,
  parse: (argv) => ({ quiet: parseOptions(argv, OPTIONS).quiet === true }),
  logContext: () => ({ command: 'promotioncron' }),
  async execute(args, ctx) {
    const [
      { releaseHeldTooLong },
      { expireCredits },
      { productionPorts },
      { enqueueCredits },
      { payPendingCredits },
    ] = await Promise.all([
      import('../promotions/redemption/release'),
      import('../promotions/redemption/expire'),
      import('../promotions/redemption/wiring'),
      import('../db/host-credit'),
      import('../host/credit'),
    ]);
    const { runDiscounts } = await import('../promotions/discounts/run');
    const db = await ctx.db();
    const now = ctx.clock.now();
    const core = { mgrctl: ctx.mgrctl, concurrency: ctx.config.callbackConcurrency };
    const released = await releaseHeldTooLong(db, now);
    const expired = await expireCredits(db, productionPorts(now));
    let discountReport: DiscountRunReport | undefined;
    try {
      // The run's credits join the outbox; the one payment step below makes them with the expiries' debits.
      discountReport = await runDiscounts(
        db,
        { enqueue: enqueueCredits, pay: async () => undefined },
        { now },
      );
    } catch (err) {
      if (!(err instanceof BusyError)) throw err;
      ctx.log.info('another discount run is under way: it credits the new expenses');
    }
    const credits = await payPendingCredits(db, core.mgrctl, {
      concurrency: core.concurrency,
      now: () => now,
    });
    const summary: PromotionCronSummary = {
      released,
      expired,
      ...(discountReport ? { discounts: discountReport } : {}),
      credits,
    };
    ctx.log.info(
      `released ${released}, credits ended ${expired.settled} (${expired.takenBack} taken back), ` +
        `discounted ${discountReport?.discounted ?? 'none (busy)'}, credited ${credits.credited}, ` +
        `taken back ${credits.debited}, waiting ${credits.waiting}`,
    );
    for (const failed of credits.failed)
      ctx.log.error(`credit ${failed.key} to account ${failed.account} waits: ${failed.error}`);
    if (credits.failed.length > 0) process.exitCode = EXIT_CREDITS_WAITING;
    return args.quiet && process.exitCode === undefined ? '' : summaryDoc(summary);
  },
};

export function summaryDoc(summary: PromotionCronSummary): string {
  return buildDoc({
    promotioncron: {
      released: String(summary.released),
      expired: {
        $: { settled: String(summary.expired.settled), takenback: String(summary.expired.takenBack) },
      },
      discounts: summary.discounts
        ? {
            $: {
              expenses: String(summary.discounts.expenses),
              discounted: String(summary.discounts.discounted),
              entries: String(summary.discounts.entries),
            },
          }
        : { $: { busy: 'on' } },
      credits: {
        $: {
          credited: String(summary.credits.credited),
          debited: String(summary.credits.debited),
          waiting: String(summary.credits.waiting),
          ...(summary.credits.busy ? { busy: 'on' } : {}),
        },
        failed: summary.credits.failed.map((f) => ({
          $: { key: f.key, account: String(f.account) },
          _: f.error,
        })),
      },
    },
  });
}

export function run(): Promise<void> {
  return runHandler(promotioncron);
}
