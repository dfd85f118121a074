/** `handlers/checkevent`: cron's five-minute event sync with the selling side (issue 4). */
import { parseOptions, type ParsedOptions } from '../contract/argv';
import { ArgumentError } from '../contract/errors';
import { runHandler, type HandlerContext, type HandlerSpec } from './handler';
import { buildDoc } from '../contract/xml';
import type { CheckeventResult, ModuleRun } from '../events/checkevent';

const OPTIONS = {
  module: { kind: 'int' },
  'dry-run': { kind: 'flag' },
  limit: { kind: 'int' },
  summary: { kind: 'flag' },
} as const;

/** Exit codes: a module failed (its selling side down, bad settings) is 1, as every handler's failure. */
export const EXIT_MODULE_FAILED = 1;
/** Events were kept with errors (`billmgr-plugin events list` shows them); nothing failed outright. */
export const EXIT_EVENTS_KEPT = 3;

export type CheckeventArgs = ParsedOptions<typeof OPTIONS>;

/** Kept events listed on stdout per module; the log has every one, `billmgr-plugin events list` too. */
const KEPT_SHOWN = 100;

const HELP = `checkevent: applies the selling BILLmanager's events to the services resold through it.

Usage: checkevent [--module N] [--dry-run] [--limit N] [--summary] [--help]

For every active pmbillmgr module (or only module N): fetches the pending events, stores them in itemevent,
acknowledges them on the selling side, and applies them (setup, suspend, activate, delete through the core;
IP addresses, add-ons, parameters and expiry dates directly). Events that cannot be applied stay in itemevent
with their error.
  --module N   only this processing module
  --dry-run    fetch one page without acknowledging it and report what would be applied; write nothing
  --limit N    at most N events fetched and N stored events applied per module
  --summary    print the summary document (one line per module: fetched, applied, kept with errors, time);
               --dry-run always prints it
Output, as cron wants it: nothing when all went well (the summary goes to the log); otherwise one line per
problem (a module that failed, an event kept with its error). Exit 0 when all went well, ${EXIT_MODULE_FAILED} when a
module failed (for example its selling side is down), ${EXIT_EVENTS_KEPT} when events were kept with errors
(\`billmgr-plugin events list\` shows them).`;

export const checkevent: HandlerSpec<CheckeventArgs> = {
  name: 'checkevent',
  help: HELP,
  parse(argv) {
    const args = parseOptions(argv, OPTIONS);
    if (args.limit !== undefined && args.limit < 1)
      throw new ArgumentError('limit', '--limit must be at least 1');
    if (args.module !== undefined && args.module < 1)
      throw new ArgumentError('module', '--module must be a module id');
    return args;
  },
  logContext: (args) => ({ command: 'checkevent', module: args.module }),
  execute,
};

async function execute(args: CheckeventArgs, ctx: HandlerContext): Promise<string> {
  const { runCheckevent, summaryLine } = await import('../events');
  const result = await runCheckevent(await ctx.db(), ctx.mgrctl, {
    ...(args.module !== undefined ? { module: args.module } : {}),
    ...(args.limit !== undefined ? { limit: args.limit } : {}),
    dryRun: args['dry-run'] === true,
    log: ctx.log,
    now: ctx.clock.now(),
    http: ctx.config.http,
    ...(ctx.config.checkeventCrashAt ? { crashAt: ctx.config.checkeventCrashAt } : {}),
    callbackConcurrency: ctx.config.callbackConcurrency,
    hostWrites: ctx.config.hostWrites,
  });
  for (const run of result.modules) {
    if (run.error === undefined) ctx.log.info(summaryLine(run), { module: run.module });
    else ctx.log.error(summaryLine(run), { module: run.module });
  }
  const kept = result.modules.some((run) => run.kept.length > 0);
  if (!result.ok) process.exitCode = EXIT_MODULE_FAILED;
  else if (kept) process.exitCode = EXIT_EVENTS_KEPT;
  // A dry run is for a person: it always shows what it would do.
  if (args.summary === true || args['dry-run'] === true) return summaryDoc(result, summaryLine);
  const problems = problemLines(result, summaryLine);
  return problems.length > 0 ? problems.join('\n') + '\n' : '';
}

/** One line per problem, for cron's mail: failed modules first, then each kept event with its error. */
export function problemLines(result: CheckeventResult, summaryLine: (run: ModuleRun) => string): string[] {
  return [
    ...result.modules.filter((run) => run.error !== undefined).map(summaryLine),
    ...result.modules.flatMap((run) =>
      run.kept
        .slice(0, KEPT_SHOWN)
        .map(
          (kept) =>
            `module ${run.module}: event ${kept.sellingEventId} (${kept.type}${kept.item ? `, service ${kept.item}` : ''}) kept: ${kept.error}`,
        ),
    ),
  ];
}

function summaryDoc(result: CheckeventResult, summaryLine: (run: ModuleRun) => string): string {
  return buildDoc({
    module: result.modules.map((run) => ({
      $: {
        id: String(run.module),
        fetched: String(run.fetched),
        applied: String(run.applied),
        kept: String(run.kept.length),
        seconds: (run.ms / 1000).toFixed(2),
        ...(run.busy ? { busy: 'yes' } : {}),
        ...(run.error !== undefined ? { failed: 'yes' } : {}),
      },
      _: summaryLine(run),
    })),
    kept: result.modules.flatMap((run) =>
      run.kept.slice(0, KEPT_SHOWN).map((kept) => ({
        $: {
          module: String(run.module),
          event: kept.sellingEventId,
          type: kept.type,
          item: String(kept.item ?? ''),
        },
        _: kept.error,
      })),
    ),
  });
}

export function run(): Promise<void> {
  return runHandler(checkevent);
}
