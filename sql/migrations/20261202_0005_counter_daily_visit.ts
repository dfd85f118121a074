/**
 * The counter keeps one visit per partner, visitor and server-local day: `visit_day` (that day) and `hits` (how
 * many times the counter was loaded that day) join bmp_affiliate_visit, and a unique key on (affiliate, visitor,
 * visit_day) lets two hits at once end as one row. Rows recorded before, one per hit, are folded first: the
 * oldest row of each (partner, visitor, day) stays, carries the hits of all, and a referral bound to a folded row
 * points at the one that stays.
 *
 * Existing `visited_at` values are UTC; their server-local day is worked out here, in the process's time zone (the
 * migration runs on the server, as the counter does), one UPDATE per stretch of time with the same UTC offset.
 */
import type { Knex } from 'knex';
import { localDate } from '../../src/domain/dates';

const VISIT = 'bmp_affiliate_visit';
const REFERRAL = 'bmp_affiliate_referral';
const DAILY_KEY = 'bmp_affiliate_visit_daily';
/** A plain index on the key's columns, so that finding the duplicates does not compare every row with every row. */
const FOLD_INDEX = 'bmp_affiliate_visit_fold';

function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith('mysql');
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable(VISIT, (t) => {
    t.date('visit_day').nullable().comment('the server-local day of the visit');
    t.integer('hits').notNullable().defaultTo(1).comment('counter loads that day, the first one included');
  });
  await fillVisitDays(knex);
  await knex.schema.alterTable(VISIT, (t) => {
    t.index(['affiliate', 'visitor', 'visit_day'], FOLD_INDEX);
  });
  await foldDuplicates(knex);
  await knex.schema.alterTable(VISIT, (t) => {
    t.dropIndex(['affiliate', 'visitor', 'visit_day'], FOLD_INDEX);
  });
  await knex.schema.alterTable(VISIT, (t) => {
    t.date('visit_day').notNullable().comment('the server-local day of the visit').alter();
    t.unique(['affiliate', 'visitor', 'visit_day'], { indexName: DAILY_KEY });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable(VISIT, (t) => {
    t.dropUnique(['affiliate', 'visitor', 'visit_day'], DAILY_KEY);
  });
  await knex.schema.alterTable(VISIT, (t) => {
    t.dropColumn('hits');
    t.dropColumn('visit_day');
  });
}

/** Sets every row's `visit_day` from its UTC `visited_at`, one UPDATE per stretch of one UTC offset. */
async function fillVisitDays(knex: Knex): Promise<void> {
  const range = (await knex(VISIT).min('visited_at as first').max('visited_at as last').first()) as
    { first: string | null; last: string | null } | undefined;
  if (!range?.first || !range.last) return;
  const first = utc(range.first);
  const last = utc(range.last);
  for (const stretch of offsetStretches(first, new Date(last.getTime() + 1000))) {
    // getTimezoneOffset is UTC minus local, in minutes: local = UTC - offset.
    const minutes = -stretch.offset;
    const day = isMysql(knex)
      ? knex.raw('DATE(DATE_ADD(visited_at, INTERVAL ? MINUTE))', [minutes])
      : knex.raw(`date(visited_at, ?)`, [`${minutes >= 0 ? '+' : ''}${minutes} minutes`]);
    await knex(VISIT)
      .where('visited_at', '>=', dateTime(stretch.from))
      .where('visited_at', '<', dateTime(stretch.to))
      .update({ visit_day: day });
  }
  const unset = (await knex(VISIT).whereNull('visit_day').count({ n: '*' }).first()) as
    { n: number | string } | undefined;
  if (String(unset?.n ?? 0) !== '0') throw new Error(`${String(unset?.n)} visits were given no day`);
  // The SQL above must agree with the process's calendar; a sample says so before anything is folded.
  const sample = (await knex(VISIT).orderBy('id').first('visited_at', 'visit_day')) as {
    visited_at: string;
    visit_day: string;
  };
  if (String(sample.visit_day).slice(0, 10) !== localDate(utc(sample.visited_at))) {
    throw new Error(`visit day ${sample.visit_day} disagrees with the local date of ${sample.visited_at}`);
  }
}

/** Folds every (affiliate, visitor, visit_day) into its oldest row, which carries the sum of their hits. */
async function foldDuplicates(knex: Knex): Promise<void> {
  const keepers = `SELECT MIN(id) AS id, SUM(hits) AS hits FROM ${VISIT}
    GROUP BY affiliate, visitor, visit_day HAVING COUNT(*) > 1`;
  await knex.raw(
    isMysql(knex)
      ? `UPDATE ${VISIT} JOIN (${keepers}) k ON k.id = ${VISIT}.id SET ${VISIT}.hits = k.hits`
      : `UPDATE ${VISIT} SET hits = k.hits FROM (${keepers}) AS k WHERE k.id = ${VISIT}.id`,
  );
  await knex.raw(
    `UPDATE ${REFERRAL} SET visit = (
       SELECT MIN(k.id) FROM ${VISIT} v
       JOIN ${VISIT} k ON k.affiliate = v.affiliate AND k.visitor = v.visitor AND k.visit_day = v.visit_day
       WHERE v.id = ${REFERRAL}.visit)
     WHERE visit IN (SELECT id FROM ${VISIT})`,
  );
  const sameKey = `k.affiliate = ${VISIT}.affiliate AND k.visitor = ${VISIT}.visitor
    AND k.visit_day = ${VISIT}.visit_day AND k.id < ${VISIT}.id`;
  await knex.raw(
    isMysql(knex)
      ? `DELETE ${VISIT} FROM ${VISIT} JOIN ${VISIT} k ON ${sameKey}`
      : `DELETE FROM ${VISIT} WHERE EXISTS (SELECT 1 FROM ${VISIT} k WHERE ${sameKey})`,
  );
}

interface Stretch {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** `Date.getTimezoneOffset()` throughout. */
  offset: number;
}

const HOUR = 3600 * 1000;

/** The stretches of [from, to) over which the process's UTC offset stays the same. */
export function offsetStretches(from: Date, to: Date): Stretch[] {
  const stretches: Stretch[] = [];
  let start = from;
  let offset = start.getTimezoneOffset();
  for (let probe = start.getTime() + HOUR; ; probe += HOUR) {
    const at = new Date(Math.min(probe, to.getTime()));
    if (at.getTimezoneOffset() !== offset) {
      const change = firstChange(new Date(Math.max(start.getTime(), at.getTime() - HOUR)), at, offset);
      stretches.push({ from: start, to: change, offset });
      start = change;
      offset = change.getTimezoneOffset();
    }
    if (at.getTime() >= to.getTime()) break;
  }
  stretches.push({ from: start, to, offset });
  return stretches;
}

/** The first whole second in (before, after] whose offset is not `offset` (offset changes on whole seconds). */
function firstChange(before: Date, after: Date, offset: number): Date {
  let low = Math.floor(before.getTime() / 1000);
  let high = Math.ceil(after.getTime() / 1000);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (new Date(middle * 1000).getTimezoneOffset() === offset) low = middle;
    else high = middle;
  }
  return new Date(high * 1000);
}

function utc(text: string): Date {
  return new Date(`${String(text).slice(0, 19).replace(' ', 'T')}Z`);
}

function dateTime(moment: Date): string {
  return moment.toISOString().slice(0, 19).replace('T', ' ');
}
