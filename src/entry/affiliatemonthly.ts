/**
 * `handlers/affiliatemonthly`: the monthly affiliate reward run (`billmaintain --command affiliatemonthly` on a
 * host, cron on the 1st). Prints the run's summary as a document; bad arguments are an error document and a
 * non-zero exit.
 */
import { parseOptions } from '../contract/argv';
import { HostError } from '../contract/errors';
import { runHandler, type HandlerContext, type HandlerSpec } from './handler';
import { buildDoc } from '../contract/xml';
import type { MonthlyRunSummary } from '../affiliate/monthly';

/** The run paid the month, but some credits the core refused wait for the next run (see the log). */
export const EXIT_CREDITS_WAITING = 3;
/** The run paid every partner it could, but some failed (each named with its error): they are not paid. */
export const EXIT_PARTNERS_FAILED = 4;

const OPTIONS = { date: { kind: 'date' }, 'dry-run': { kind: 'flag' }, quiet: { kind: 'flag' } } as const;

export interface AffiliateMonthlyArgs {
  date?: string;
  dryRun: boolean;
  quiet: boolean;
}

const HELP = `affiliatemonthly: pays affiliate partners their rewards for a month.

Usage: affiliatemonthly [--date YYYY-MM-DD] [--dry-run] [--quiet] [--help]

  --date D    pay for the calendar month before the month of D (default: today, so the run on
              the 1st pays for the month that just ended; --date 2016-04-01 pays for March 2016)
  --dry-run   show what would be paid, write nothing
  --quiet     print nothing when the run succeeds (the summary goes to the log): cron mails only failures
"Today" and the month are the server's local dates. Re-running a month pays nothing more.
The partners' accounts are credited through the core (payment.add, payment.setpaid); a credit the core
refuses waits for the next run, which makes it again, once.
One partner that cannot be paid (a bad rule row, a reward larger than one host payment holds) is named
with its error in <failed> and does not stop the others. A run found unfinished (killed) is marked so
by the next run, which lists what it had paid in <killed>; billmgr-plugin affiliate runs lists every run.
Output: one XML document with the run's summary (an error document on failure, with --quiet too).
Exit: 0 paid; 3 paid, but credits wait (listed in the document and the log); 4 some partners failed
(listed, the others paid; wins over 3); 1 failed.`;

export const affiliatemonthly: HandlerSpec<AffiliateMonthlyArgs> = {
  name: 'affiliatemonthly',
  help: HELP,
  parse(argv) {
    const options = parseOptions(argv, OPTIONS);
    return {
      ...(options.date !== undefined ? { date: options.date } : {}),
      dryRun: options['dry-run'] === true,
      quiet: options.quiet === true,
    };
  },
  logContext: () => ({ command: 'affiliatemonthly' }),
  async execute(args, ctx) {
    const { runAffiliateMonthly, MonthNotOverError } = await import('../affiliate/monthly');
    let summary: MonthlyRunSummary;
    try {
      summary = await runAffiliateMonthly(await ctx.db(), {
        ...(args.date !== undefined ? { date: args.date } : {}),
        dryRun: args.dryRun,
        now: ctx.clock.now(),
        clock: ctx.clock,
        core: { mgrctl: ctx.mgrctl, concurrency: ctx.config.callbackConcurrency },
      });
    } catch (err) {
      if (err instanceof MonthNotOverError)
        throw new HostError('value', 'date', err.message, { value: 'date' });
      throw err;
    }
    report(summary, ctx);
    // The month is paid, but a credit the core refused waits for the next run: cron mails this exit.
    if ((summary.credits?.failed.length ?? 0) > 0) process.exitCode = EXIT_CREDITS_WAITING;
    if (summary.failedPartners.length > 0) process.exitCode = EXIT_PARTNERS_FAILED;
    return args.quiet && process.exitCode === undefined ? '' : summaryDoc(summary);
  },
};

function report(summary: MonthlyRunSummary, ctx: HandlerContext): void {
  ctx.log.info(
    `${summary.dryRun ? 'dry run for' : 'paid'} ${summary.period}: ${summary.payments} payment(s), ` +
      `earned ${JSON.stringify(summary.earned)}, reversed ${JSON.stringify(summary.reversed)}`,
  );
  for (const failed of summary.credits?.failed ?? []) {
    ctx.log.error(`credit ${failed.key} to account ${failed.account} waits: ${failed.error}`);
  }
  for (const failed of summary.failedPartners) {
    ctx.log.error(`partner ${failed.affiliate} not paid for ${summary.period}: ${failed.error}`);
  }
  for (const killed of summary.killedRuns) {
    ctx.log.warn(
      `run ${killed.run} (${killed.period}, started ${killed.startedAt}) was killed; it had paid ${killed.payments} ` +
        `payment(s), earned ${JSON.stringify(killed.earned)}, applied ${JSON.stringify(killed.applied)}`,
    );
  }
  for (const refused of summary.refusedReferrals) {
    ctx.log.warn(
      `self-referral refused: referral ${refused.referral} (account ${refused.account}) of partner ${refused.affiliate}: ${refused.reason}`,
    );
  }
}

export function summaryDoc(summary: MonthlyRunSummary): string {
  const amounts = (totals: Record<string, string>): Array<{ $: { currency: string }; _: string }> =>
    Object.entries(totals).map(([currency, amount]) => ({ $: { currency }, _: amount }));
  return buildDoc({
    affiliatemonthly: {
      $: { period: summary.period, date: summary.runDate, dryrun: summary.dryRun ? 'on' : 'off' },
      enabled: summary.enabled ? 'on' : 'off',
      ...(summary.run !== undefined && !summary.dryRun ? { run: String(summary.run) } : {}),
      partners: String(summary.partners),
      rewarded: String(summary.rewardedPartners),
      payments: String(summary.payments),
      earned: amounts(summary.earned),
      reversed: amounts(summary.reversed),
      applied: amounts(summary.applied),
      ...(summary.sweep
        ? {
            sweep: {
              $: {
                looked: String(summary.sweep.looked),
                bound: String(summary.sweep.bound),
                refused: String(summary.sweep.refused),
              },
            },
          }
        : {}),
      ...(summary.credits
        ? {
            credits: {
              $: { credited: String(summary.credits.credited), waiting: String(summary.credits.waiting) },
              failed: summary.credits.failed.map((f) => ({
                $: { key: f.key, account: String(f.account) },
                _: f.error,
              })),
            },
          }
        : {}),
      failed: summary.failedPartners.map((f) => ({ $: { affiliate: String(f.affiliate) }, _: f.error })),
      killed: summary.killedRuns.map((k) => ({
        $: { run: String(k.run), period: k.period, started: k.startedAt, payments: String(k.payments) },
        earned: amounts(k.earned),
        reversed: amounts(k.reversed),
        applied: amounts(k.applied),
      })),
      refused: summary.refusedReferrals.map((r) => ({
        $: {
          referral: String(r.referral),
          affiliate: String(r.affiliate),
          account: String(r.account),
          reason: r.reason,
        },
      })),
    },
  });
}

export function run(): Promise<void> {
  return runHandler(affiliatemonthly);
}
