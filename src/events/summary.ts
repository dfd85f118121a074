/** The one line per module that checkevent prints and logs: fetched, applied, kept with errors, time. */
import type { ModuleRun } from './checkevent';

export function summaryLine(run: ModuleRun): string {
  const head = `module ${run.module} (${run.name || 'unnamed'})`;
  const seconds = `${(run.ms / 1000).toFixed(2)} s`;
  if (run.busy) return `${head}: skipped, another checkevent run holds its lock, ${seconds}`;
  const counts = run.dryRun
    ? `dry run: fetched ${run.fetched} (not acknowledged), would apply ${run.applied}, would keep ${run.kept.length}`
    : `fetched ${run.fetched}, applied ${run.applied}, kept with errors ${run.kept.length}`;
  const extras = [
    run.redelivered > 0 ? `${run.redelivered} re-delivered and not stored again` : '',
    run.waiting > 0 ? `${run.waiting} waiting behind a failed callback` : '',
  ].filter(Boolean);
  const failure = run.error === undefined ? '' : `FAILED: ${run.error}; events stored so far are kept; `;
  return `${head}: ${failure}${counts}${extras.length ? ` (${extras.join(', ')})` : ''}, ${seconds}`;
}
