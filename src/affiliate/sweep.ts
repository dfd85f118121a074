/**
 * The referral sweep: binds accounts registered since the last sweep to the partner of a counter visit from the
 * address they signed up from, for whatever the panel's event handlers missed (a host whose signup function or
 * fields differ, a handler that failed). It does not depend on the handlers: only on the counter's records and the
 * host's accounts. Part of the monthly run, and `billmgr-plugin affiliate sweep`.
 *
 * Safe to repeat and to run twice at once: a named lock keeps two sweeps apart, the high-water mark moves once, and
 * an account already bound is left alone (one referral per account, a unique key).
 */
import type { Knex } from 'knex';
import { addDays, toDate, toDateTime } from '../domain/affiliate/period';
import { SIGNUP_IP } from '../host/panel-events';
import { bindToVisit, VISIT_BINDS_FOR_DAYS } from './attribution';
import { withNamedLock } from '../db/named-lock';
import { latestVisitFromIp } from '../db/affiliate/referrals';
import { findSweptUntil, saveSweptUntil, unboundSignups } from '../db/affiliate/sweep';

export interface SweepSummary {
  /** Accounts registered in (from, until] with no partner yet that were looked at. */
  from: string;
  until: string;
  looked: number;
  bound: number;
  refused: number;
}

const SWEEP = 'signups';
/** Accounts per page of the sweep. */
const PAGE = 500;

export async function sweepSignups(db: Knex, now: Date, lockWaitSeconds = 600): Promise<SweepSummary> {
  return withNamedLock(db, { purpose: 'referral sweep' }, lockWaitSeconds, async () => {
    const until = toDateTime(now);
    const mark = await findSweptUntil(db, SWEEP);
    // The first sweep looks back as far as a visit can bind a signup.
    const from = mark ?? `${addDays(toDate(now), -VISIT_BINDS_FOR_DAYS)} 00:00:00`;
    const summary: SweepSummary = { from, until, looked: 0, bound: 0, refused: 0 };
    for (let after = 0; ;) {
      const accounts = await unboundSignups(db, {
        after,
        from,
        until,
        ipColumn: SIGNUP_IP.column,
        limit: PAGE,
      });
      if (accounts.length === 0) break;
      after = Number(accounts[accounts.length - 1]?.id);
      for (const account of accounts) {
        summary.looked += 1;
        const visit = await latestVisitBefore(db, account.ip, String(account.registered));
        if (!visit) continue;
        const outcome = await bindToVisit(db, {
          account: Number(account.id),
          visit: visit.id,
          affiliate: visit.affiliate,
          now,
        });
        if (outcome.bound) summary.bound += 1;
        else summary.refused += 1;
      }
    }
    await saveSweptUntil(db, SWEEP, until);
    return summary;
  });
}

/** The newest visit through a partner's link from `ip` in the days before the signup. */
async function latestVisitBefore(
  db: Knex,
  ip: string,
  registered: string,
): Promise<{ id: number; affiliate: number } | undefined> {
  const since = `${addDays(registered.slice(0, 10), -VISIT_BINDS_FOR_DAYS)} 00:00:00`;
  return latestVisitFromIp(db, ip, since, registered);
}
