/** `affiliate runs`: the monthly runs (and admins' applies), each finished, failed, killed or still running. */
import type { Command } from 'commander';
import type { RunRecord } from '../../../affiliate/runs';
import { withDatabase } from '../../database';
import { outputOf, parseWholeNumber } from '../../output';

export function registerRuns(affiliate: Command): void {
  affiliate
    .command('runs')
    .description(
      'affiliate runs, newest first: started, finished, failed or killed (found unfinished by the next run), with totals',
    )
    .option('--limit <n>', 'the latest this many', parseWholeNumber, 20)
    .action(async (options: { limit: number }, command: Command) => {
      const { runHistory } = await import('../../../affiliate/runs');
      const runs = await withDatabase((db) => runHistory(db, options.limit));
      outputOf(command).result(runs, runs.length === 0 ? ['no runs'] : runs.flatMap(runLines));
    });
}

function runLines(r: RunRecord): string[] {
  const state =
    r.status === 'killed'
      ? `killed (found by run ${r.killedFoundBy ?? '?'} at ${r.killedFoundAt ?? '?'})`
      : r.status === 'finished'
        ? `finished ${r.finishedAt ?? ''}`
        : r.status === 'failed'
          ? `failed ${r.finishedAt ?? ''}: ${r.error ?? ''}`
          : 'running';
  const amounts = (totals: Record<string, string>): string =>
    Object.entries(totals)
      .map(([currency, amount]) => `${amount} ${currency}`)
      .join(', ') || '0';
  return [
    `run ${r.run} ${r.kind} ${r.period}: started ${r.startedAt}, ${state}; earned ${amounts(r.earned)}, ` +
      `reversed ${amounts(r.reversed)}, applied ${amounts(r.applied)} in ${r.payments} payment(s)`,
    ...r.failedPartners.map((f) => `  partner ${f.affiliate} not paid: ${f.error}`),
  ];
}
