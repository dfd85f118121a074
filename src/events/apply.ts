/**
 * Applies the module's stored events in batches, oldest first. Per batch: the lifecycle callbacks through the
 * core (outside any transaction of ours: the core writes the same item rows), then one transaction with every
 * data change, the applied rows deleted (their receipts stay) and the kept rows' errors.
 *
 * A crash between the callbacks and the commit is harmless: the callbacks are planned from the services' status
 * (see lifecycle.ts), so the next run makes none of them again, and every data change sets a value.
 */
import type { Knex } from 'knex';
import { HostError } from '../contract/errors';
import type { Mgrctl } from '../contract/mgrctl';
import type { CrashHook } from './crash';
import type { TariffEnumerations } from './enumerations';
import type { StoredProgress } from './progress';
import { isLifecycleType } from './event-types';
import { addedIpId, addIp, call, commitIp, coreCalls } from '../host/core';
import { ipCommitJournal, type IpCommitJournal } from '../db/itemip';
import { formatDateTime } from '../domain/dates';
import { coreCallOf, coreSteps, stepFunc, type CoreStep, type HostWrites } from './core-steps';
import { writeDataChanges } from './effects';
import { deleteApplied, pendingEvents, setItemeventErrors, setItemeventItems } from '../db/itemevent';
import { linkEvents, readBatchFacts } from './facts';
import type { EventLog } from './log';
import { planBatch, plannedCallbacks, type BatchPlan, type PendingEvent } from './plan';
import { eventTransaction } from './transaction';

export interface ApplyOptions {
  moduleId: number;
  batchSize: number;
  /** At most this many stored events looked at in the run. */
  limit?: number;
  now: Date;
  /** Plan and report only: no callback, no write. */
  dryRun: boolean;
  /** Services whose callbacks run at the same time (each service's own callbacks stay in order). */
  callbackConcurrency: number;
  /** Parameters and expiry dates: written in SQL, or through the core (see core-steps.ts). */
  hostWrites: HostWrites;
  crash: CrashHook;
  log: EventLog;
  /** Reads selling tariffs for enum add-on events; absent when the selling side could not be reached. */
  enumerations?: TariffEnumerations;
  /** Set while events are being received alongside: wait for more instead of ending when none is stored. */
  incoming?: StoredProgress;
}

export interface KeptEvent {
  rowId: number;
  sellingEventId: string;
  type: string;
  item: number | null;
  error: string;
}

export interface ApplyResult {
  applied: number;
  kept: KeptEvent[];
  /** Events left for a later run because an earlier event of their service failed in this one. */
  waiting: number;
  callbacks: number;
  /** Time spent waiting for the core's callbacks. */
  callbackMs: number;
}

/** Counts into `result` as it goes, so that a run stopped by a failure still reports what it did. */
export async function applyStoredEvents(
  db: Knex,
  mgrctl: Mgrctl,
  options: ApplyOptions,
  result: ApplyResult,
): Promise<void> {
  /** Services whose callback failed in this run: their later events wait, to keep each service's order. */
  const failed = new Map<number, string>();
  let afterRowId = 0;
  let looked = 0;
  for (;;) {
    const want = Math.min(options.batchSize, (options.limit ?? Infinity) - looked);
    if (want <= 0) break;
    const storedPages = options.incoming?.stored ?? 0;
    const batch = await pendingEvents(db, options.moduleId, afterRowId, want);
    if (batch.length === 0) {
      if (await options.incoming?.moreThan(storedPages)) continue;
      break;
    }
    looked += batch.length;
    afterRowId = batch[batch.length - 1]?.rowId ?? afterRowId;
    const events = await linkEvents(db, options.moduleId, batch);
    const ready = events.filter((e) => e.item === null || !failed.has(e.item));
    result.waiting += events.length - ready.length;
    await applyBatch(db, mgrctl, ready, batch, failed, result, options);
  }
}

/** Dry run: what the events fetched but not stored would do, after the stored ones. Writes nothing. */
export async function planFetchedEvents(
  db: Knex,
  mgrctl: Mgrctl,
  fetched: readonly PendingEvent[],
  result: ApplyResult,
  options: ApplyOptions,
): Promise<void> {
  if (!options.dryRun) throw new Error('planFetchedEvents is for dry runs only');
  const events = await linkEvents(db, options.moduleId, fetched);
  await applyBatch(db, mgrctl, events, fetched, new Map(), result, options);
}

async function applyBatch(
  db: Knex,
  mgrctl: Mgrctl,
  events: readonly PendingEvent[],
  stored: readonly PendingEvent[],
  failed: Map<number, string>,
  result: ApplyResult,
  options: ApplyOptions,
): Promise<void> {
  const facts = await readBatchFacts(db, options.moduleId, events, options.enumerations);
  const callbacks = plannedCallbacks(events, facts.statuses);
  const steps = coreSteps(callbacks, planBatch(events, facts).writes, facts, options.hostWrites);
  const journal = ipCommitJournal(db, () => formatDateTime(options.now));
  const failedNow = options.dryRun
    ? new Map<number, string>()
    : await makeCallbacks(mgrctl, steps, result, { ...options, journal });
  options.crash('mid-apply');
  const plan = planBatch(events, facts, failedNow);
  if (!options.dryRun) {
    await eventTransaction(db, async (trx) => {
      await writeDataChanges(trx, plan.writes, options.hostWrites);
      await deleteApplied(trx, plan.applied);
      await setItemeventErrors(trx, plan.kept);
      await setItemeventItems(trx, newlyLinked(events, stored, plan));
    });
  }
  for (const [item, error] of failedNow) failed.set(item, error);
  report(plan, events, callbacks, result, options);
  options.crash('after-apply');
}

/**
 * Makes each service's core calls in order. A failure stops that service's calls and is returned as its error;
 * the other services go on.
 */
/** The options of the calls: the batch's, and the journal of IP rows added and not yet committed. */
type CallOptions = ApplyOptions & { journal: IpCommitJournal };

async function makeCallbacks(
  mgrctl: Mgrctl,
  steps: ReadonlyMap<number, readonly CoreStep[]>,
  result: ApplyResult,
  options: CallOptions,
): Promise<Map<number, string>> {
  const failed = new Map<number, string>();
  const started = performance.now();
  const callEach = mgrctl.callEach?.bind(mgrctl);
  if (callEach) await callInSteps(mgrctl, callEach, steps, failed, result, options);
  else await callPerService(mgrctl, steps, failed, result, options);
  result.callbackMs += performance.now() - started;
  return failed;
}

/**
 * A bounded pool: up to `callbackConcurrency` services at a time, each service's own calls one after another and
 * in order. This is how the real mgrctl is used, one process per call.
 */
async function callPerService(
  mgrctl: Mgrctl,
  steps: ReadonlyMap<number, readonly CoreStep[]>,
  failed: Map<number, string>,
  result: ApplyResult,
  options: CallOptions,
): Promise<void> {
  const queue = [...steps];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const [item, list] = queue[next++] as [number, readonly CoreStep[]];
      for (const step of list) if (!(await stepOne(mgrctl, step, item, failed, result, options))) break;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.callbackConcurrency) }, worker));
}

/**
 * Through the batch form: every service's first step, then every service's second, and so on; within a step one
 * batch per function. Each service has one step per round, so its calls keep their order. A batch refused took no
 * effect: its calls are made again one at a time, to find the services they fail for.
 */
async function callInSteps(
  mgrctl: Mgrctl,
  callEach: NonNullable<Mgrctl['callEach']>,
  steps: ReadonlyMap<number, readonly CoreStep[]>,
  failed: Map<number, string>,
  result: ApplyResult,
  options: CallOptions,
): Promise<void> {
  for (let round = 0; ; round += 1) {
    const byFunc = new Map<string, [number, CoreStep][]>();
    for (const [item, list] of steps) {
      const step = list[round];
      if (step === undefined || failed.has(item)) continue;
      const group = byFunc.get(stepFunc(step)) ?? [];
      group.push([item, step]);
      byFunc.set(stepFunc(step), group);
    }
    if (byFunc.size === 0) return;
    for (const [func, group] of byFunc) {
      try {
        await callGroup(callEach, func, group, options.journal);
        result.callbacks += group.reduce((n, [, step]) => n + (step.kind === 'addIp' ? 2 : 1), 0);
      } catch {
        for (const [item, step] of group) await stepOne(mgrctl, step, item, failed, result, options);
      }
    }
  }
}

async function callGroup(
  callEach: NonNullable<Mgrctl['callEach']>,
  func: string,
  group: readonly [number, CoreStep][],
  journal: IpCommitJournal,
): Promise<void> {
  const calls = group.map(([, step]) => coreCallOf(step));
  const answers = await callEach(
    func,
    calls.map((c) => c.params),
  );
  const commits = group.flatMap(([, step]) => (step.kind === 'commitIp' ? [step.row] : []));
  if (commits.length > 0) await journal.committed(commits);
  if (!group.some(([, step]) => step.kind === 'addIp')) return;
  if (!answers || answers.length !== calls.length) throw new Error(`${func}: the batch form gave no answers`);
  const added = answers.map((answer) => addedIpId(answer));
  await journal.added(added);
  await callEach(
    coreCalls.commitIp(1).func,
    added.map((id) => coreCalls.commitIp(id).params),
  );
  await journal.committed(added);
}

/** One step; false (and the service's error in `failed`) when it failed. */
async function stepOne(
  mgrctl: Mgrctl,
  step: CoreStep,
  item: number,
  failed: Map<number, string>,
  result: ApplyResult,
  options: CallOptions,
): Promise<boolean> {
  const func = stepFunc(step);
  try {
    if (step.kind === 'call') {
      result.callbacks += 1;
      await call(mgrctl, step.call);
    } else if (step.kind === 'commitIp') {
      result.callbacks += 1;
      await commitIp(mgrctl, step.row, options.journal);
    } else {
      result.callbacks += 2;
      await addIp(mgrctl, step.addon, { ip: step.ip }, options.journal);
    }
    return true;
  } catch (err) {
    const message = err instanceof HostError || err instanceof Error ? err.message : String(err);
    failed.set(item, `${func} failed: ${message}`);
    options.log.error(`${func} of service ${item} failed: ${message}`, {
      item,
      module: options.moduleId,
    });
    return false;
  }
}

/** Kept rows stored before their service was linked get its id now. */
function newlyLinked(
  events: readonly PendingEvent[],
  stored: readonly PendingEvent[],
  plan: BatchPlan,
): Map<number, number> {
  const unlinkedBefore = new Set(stored.filter((e) => e.item === null).map((e) => e.rowId));
  const linked = new Map<number, number>();
  for (const event of events) {
    if (event.item !== null && unlinkedBefore.has(event.rowId) && plan.kept.has(event.rowId))
      linked.set(event.rowId, event.item);
  }
  return linked;
}

function report(
  plan: BatchPlan,
  events: readonly PendingEvent[],
  callbacks: ReadonlyMap<number, readonly string[]>,
  result: ApplyResult,
  options: ApplyOptions,
): void {
  const verb = options.dryRun ? 'would apply' : 'applied';
  for (const event of plan.applied) {
    const via = isLifecycleType(event.type)
      ? ` via ${callbacks.get(event.item as number)?.join(', ') || 'no callback: the status already says so'}`
      : '';
    options.log.info(
      `${verb} event ${event.sellingEventId} ${event.type}${describe(event)} to service ${event.item}${via}`,
      {
        item: event.item,
        module: options.moduleId,
      },
    );
  }
  result.applied += plan.applied.length;
  const byRow = new Map(events.map((e) => [e.rowId, e]));
  for (const [rowId, error] of plan.kept) {
    const event = byRow.get(rowId);
    if (!event) continue;
    options.log.warn(
      `${options.dryRun ? 'would keep' : 'kept'} event ${event.sellingEventId} ${event.type}: ${error}`,
      {
        item: event.item,
        module: options.moduleId,
      },
    );
    result.kept.push({
      rowId,
      sellingEventId: event.sellingEventId,
      type: event.type,
      item: event.item,
      error,
    });
  }
}

function describe(event: PendingEvent): string {
  if (!event.param && !event.value) return '';
  return ` ${[event.param, event.value].filter(Boolean).join('=')}`;
}
