/**
 * The five-minute event sync (issue 4, seed 004): for each active pmbillmgr module, under the module's lock,
 * receive the selling side's events (store, then acknowledge) and apply the stored ones. One module failing
 * does not stop the others; events already stored are applied even when the selling side cannot be reached.
 */
import type { HostWrites } from './core-steps';
import type { Knex } from 'knex';
import { createSellingClient } from '../billmgr-api/client';
import type { SellingClient } from '../billmgr-api/types';
import type { CheckeventCrashPoint, PluginConfig } from '../config';
import { HostError } from '../contract/errors';
import { systemClock } from '../domain/clock';
import type { Mgrctl } from '../contract/mgrctl';
import { activeModules, loadModuleSettings, type ModuleSettings } from '../db/processing-module';
import { MODULE_NAME } from '../module-name';
import { applyStoredEvents, planFetchedEvents, type ApplyOptions, type KeptEvent } from './apply';
import { crashHook } from './crash';
import { tariffEnumerations } from './enumerations';
import { receivedEventIds } from '../db/events/receipt';
import { tryNamedLock } from '../db/named-lock';
import { silentLog, type EventLog } from './log';
import type { PendingEvent } from './plan';
import { StoredProgress } from './progress';
import { fetchPage, receiveEvents } from './receive';

export interface CheckeventOptions {
  /** Only this module (which must be an active pmbillmgr module); every active one when absent. */
  module?: number;
  /** Fetch one page without acknowledging it and report what would be applied: no write, no callback. */
  dryRun?: boolean;
  /** At most this many events fetched, and this many stored events applied, per module. */
  limit?: number;
  now?: Date;
  log?: EventLog;
  http: PluginConfig['http'];
  crashAt?: CheckeventCrashPoint;
  /** Events per `func=itemevent` page. */
  pageSize?: number;
  /** Stored events per apply transaction. */
  batchSize?: number;
  /** Services whose core calls run at the same time (default 4). */
  callbackConcurrency?: number;
  /** Parameters and expiry dates in SQL (the default) or through the core. */
  hostWrites?: HostWrites;
  /** How to reach a module's selling side; by default a client of its url, username and password. */
  sellingClient?: (settings: ModuleSettings) => SellingClient;
}

/**
 * A page of 2,000 events is about 400 KB of XML: few enough round trips and commits, and the run stays well under
 * its memory target. Applying takes up to 5,000 stored events at a time: while it keeps up it applies each page as
 * it is stored; when it falls behind it catches up in fewer, larger batches.
 */
export const DEFAULT_PAGE_SIZE = 2000;
export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_CALLBACK_CONCURRENCY = 4;

export interface ModuleRun {
  module: number;
  name: string;
  dryRun: boolean;
  fetched: number;
  stored: number;
  redelivered: number;
  applied: number;
  kept: KeptEvent[];
  waiting: number;
  callbacks: number;
  callbackMs: number;
  ms: number;
  /** Another run holds the module's lock: this one left it alone. */
  busy: boolean;
  /** Why the module failed (selling side down, bad settings); events stored before are safe. */
  error?: string;
}

export interface CheckeventResult {
  modules: ModuleRun[];
  /** False when any module failed: the handler exits non-zero. */
  ok: boolean;
}

export async function runCheckevent(
  db: Knex,
  mgrctl: Mgrctl,
  options: CheckeventOptions,
): Promise<CheckeventResult> {
  const modules = await modulesToCheck(db, options.module);
  const runs: ModuleRun[] = [];
  for (const module of modules) runs.push(await checkModule(db, mgrctl, module, options));
  return { modules: runs, ok: runs.every((run) => run.error === undefined) };
}

async function modulesToCheck(db: Knex, only: number | undefined): Promise<{ id: number; name: string }[]> {
  const modules = (await activeModules(db)).map((m) => ({ id: Number(m.id), name: m.name ?? '' }));
  if (only === undefined) return modules;
  const module = modules.find((m) => m.id === only);
  if (!module) {
    throw new HostError(
      'value',
      'module',
      `processing module ${only} is not an active ${MODULE_NAME} module`,
      {
        value: 'module',
      },
    );
  }
  return [module];
}

async function checkModule(
  db: Knex,
  mgrctl: Mgrctl,
  module: { id: number; name: string },
  options: CheckeventOptions,
): Promise<ModuleRun> {
  const started = performance.now();
  const now = options.now ?? systemClock.now();
  const log = options.log ?? silentLog;
  const run: ModuleRun = {
    module: module.id,
    name: module.name,
    dryRun: options.dryRun === true,
    fetched: 0,
    stored: 0,
    redelivered: 0,
    applied: 0,
    kept: [],
    waiting: 0,
    callbacks: 0,
    callbackMs: 0,
    ms: 0,
    busy: false,
  };
  const lock = run.dryRun
    ? { release: async () => undefined }
    : await tryNamedLock(db, { purpose: 'checkevent', id: module.id }, now);
  if (!lock) {
    run.busy = true;
    log.warn(`module ${module.id}: another checkevent run holds its lock; leaving it alone`, {
      module: module.id,
    });
  } else {
    try {
      await syncModule(db, mgrctl, module.id, run, options, now, log);
    } finally {
      await lock.release();
    }
  }
  run.ms = performance.now() - started;
  return run;
}

/**
 * Receives and applies side by side: each page is applied as soon as it is stored, while the next one is fetched.
 * Applying starts with what earlier runs stored and goes on when the selling side cannot be reached.
 */
async function syncModule(
  db: Knex,
  mgrctl: Mgrctl,
  moduleId: number,
  run: ModuleRun,
  options: CheckeventOptions,
  now: Date,
  log: EventLog,
): Promise<void> {
  const crash = crashHook(options.crashAt);
  const failed = (step: string) => (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    run.error = run.error === undefined ? message : `${run.error}; ${step}: ${message}`;
    log.error(`module ${moduleId}: ${step}: ${message}`, { module: moduleId });
  };
  const client = await sellingClientOf(db, mgrctl, moduleId, options, log).catch((err: unknown) => {
    failed('connecting')(err);
    return undefined;
  });
  const applyOptions: ApplyOptions = {
    moduleId,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    now,
    dryRun: run.dryRun,
    callbackConcurrency: options.callbackConcurrency ?? DEFAULT_CALLBACK_CONCURRENCY,
    hostWrites: options.hostWrites ?? 'sql',
    crash,
    log,
    ...(client ? { enumerations: tariffEnumerations(client) } : {}),
  };
  if (run.dryRun) {
    // Nothing stored, nothing acknowledged: the stored events, then the first page, are only planned.
    const fetched = client
      ? await peekEvents(db, client, moduleId, options).catch(failed('fetching'))
      : undefined;
    run.fetched = fetched?.length ?? 0;
    await applyStoredEvents(db, mgrctl, applyOptions, run);
    if (fetched?.length) await planFetchedEvents(db, mgrctl, fetched, run, applyOptions);
    return;
  }
  const incoming = new StoredProgress();
  const receiving = client
    ? receiveEvents(
        db,
        client,
        {
          moduleId,
          pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
          ...(options.limit !== undefined ? { limit: options.limit } : {}),
          now,
          crash,
          log,
          progress: incoming,
        },
        run,
      )
        // Nothing is lost: what was stored stays stored, what was not is still on the selling side.
        .catch(failed('receiving'))
        .finally(() => incoming.finish())
    : Promise.resolve(incoming.finish());
  const applying = applyStoredEvents(db, mgrctl, { ...applyOptions, incoming }, run)
    // A batch that failed rolled back: its events stay stored for the next run.
    .catch(failed('applying'));
  await Promise.all([receiving, applying]);
}

async function sellingClientOf(
  db: Knex,
  mgrctl: Mgrctl,
  moduleId: number,
  options: CheckeventOptions,
  log: EventLog,
): Promise<SellingClient> {
  const settings = await loadModuleSettings(db, mgrctl, moduleId);
  if (options.sellingClient) return options.sellingClient(settings);
  return createSellingClient({
    url: settings.url,
    username: settings.username,
    password: settings.password,
    timeoutMs: options.http.timeoutMs,
    retries: options.http.retries,
    maxBackoffMs: options.http.maxBackoffMs,
    log: (level, message) => {
      if (level === 'warn') log.warn(message, { module: moduleId });
    },
  });
}

/** Dry run: the first page of pending events, not acknowledged, less those already stored. */
async function peekEvents(
  db: Knex,
  client: SellingClient,
  moduleId: number,
  options: CheckeventOptions,
): Promise<PendingEvent[]> {
  const { events: page } = await fetchPage(
    client,
    Math.min(options.pageSize ?? DEFAULT_PAGE_SIZE, options.limit ?? Infinity),
    1,
    (message) => options.log?.warn(message, { module: moduleId }),
  );
  const received = await receivedEventIds(
    db,
    moduleId,
    page.map((e) => e.id),
  );
  return page
    .filter((e) => !received.has(e.id))
    .map((e, index) => ({
      rowId: -(index + 1),
      sellingEventId: e.id,
      sellingItem: e.item,
      item: null,
      type: e.type,
      param: e.param,
      value: e.value,
    }));
}
