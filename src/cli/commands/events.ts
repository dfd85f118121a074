/**
 * `billmgr-plugin events list|retry|drop`: the events checkevent stored and could not apply (host table
 * `itemevent`), with their errors. Every checkevent run tries each stored event again; `retry` does that now for
 * the event's module and says whether it went through; `drop` gives one up, writing it whole to the log first.
 */
import type { Command } from 'commander';
import type { Knex } from 'knex';
import type { Runtime } from '../../runtime';
import type { StoredEvent } from '../../events/kept';
import { withCliRuntime } from '../database';
import { outputOf, parseWholeNumber } from '../output';

export function register(program: Command): void {
  const events = program
    .command('events')
    .description('the selling side events checkevent stored and could not apply yet: list, retry, drop');
  events
    .command('list')
    .description('stored events with their errors, oldest first')
    .option('--module <id>', 'only this processing module', parseWholeNumber)
    .option('--all', 'also the events not tried yet (no error)')
    .action(async (options: { module?: number; all?: boolean }, command: Command) => {
      const { storedEvents } = await import('../../events/kept');
      const list = await withEventsRuntime((rt) =>
        storedEvents(rt.db, {
          ...(options.module !== undefined ? { module: options.module } : {}),
          withErrorsOnly: options.all !== true,
        }),
      );
      outputOf(command).result(
        list,
        list.length > 0 ? list.map(describe) : ['no stored events kept with errors'],
      );
    });
  events
    .command('retry')
    .description(
      'apply the event now: a checkevent pass of its module (which tries every stored event of it)',
    )
    .argument('<id>', 'the itemevent id `events list` shows', parseWholeNumber)
    .action(async (id: number, _options: unknown, command: Command) => {
      const [{ storedEvent }, { runCheckevent, summaryLine }] = await Promise.all([
        import('../../events/kept'),
        import('../../events'),
      ]);
      const outcome = await withEventsRuntime(async (rt) => {
        const event = await storedEvent(rt.db, id);
        const result = await runCheckevent(rt.db, rt.mgrctl, {
          module: event.module,
          log: rt.log,
          now: rt.clock.now(),
          http: rt.config.http,
        });
        const after = await storedEvent(rt.db, id).catch(() => undefined);
        const run = result.modules[0];
        return {
          event,
          applied: after === undefined,
          error: after?.error ?? null,
          summary: run ? summaryLine(run) : '',
        };
      });
      outputOf(command).result(outcome, [
        outcome.applied
          ? `event ${id} applied`
          : `event ${id} still kept: ${outcome.error ?? 'not tried (see the summary)'}`,
        outcome.summary,
      ]);
      if (!outcome.applied) process.exitCode = 1;
    });
  events
    .command('drop')
    .description('give up an event: it leaves itemevent, written whole to the log first; its receipt stays')
    .argument('<id>', 'the itemevent id `events list` shows', parseWholeNumber)
    .requiredOption('--reason <text>', 'why, for the log')
    .action(async (id: number, options: { reason: string }, command: Command) => {
      const { dropStoredEvent } = await import('../../events/kept');
      const dropped = await withEventsRuntime(async (rt) => {
        const event = await dropStoredEvent(rt.db, id);
        rt.log.warn(`dropped stored event ${id} by hand: ${options.reason}: ${JSON.stringify(event)}`, {
          module: event.module,
        });
        return event;
      });
      outputOf(command).result({ dropped, reason: options.reason }, [
        `dropped ${describe(dropped)}`,
        `  the whole event is in the log (var/bmp-events.log); its receipt stays, so it is not received again`,
      ]);
    });
}

function describe(event: StoredEvent): string {
  const service = event.item === null ? 'no local service' : `service ${event.item}`;
  const what = `${event.type}${event.param ? ` ${event.param}` : ''}${event.value ? `=${event.value}` : ''}`;
  return `#${event.id} module ${event.module} selling event ${event.sellingEventId} ${what} (${service}, ${event.eventDate ?? 'no date'}): ${event.error ?? 'not tried yet'}`;
}

interface EventsRuntime {
  config: Runtime['config'];
  mgrctl: Runtime['mgrctl'];
  db: Knex;
  log: Runtime['log'];
  clock: Runtime['clock'];
}

/** Configured as the handlers are, logging to `<mgrdir>/var/bmp-events.log`; closed after the command. */
async function withEventsRuntime<T>(work: (rt: EventsRuntime) => Promise<T>): Promise<T> {
  return withCliRuntime({ handler: 'events', command: 'events' }, async (rt) =>
    work({ config: rt.config, mgrctl: rt.mgrctl, db: await rt.db(), log: rt.log, clock: rt.clock }),
  );
}
