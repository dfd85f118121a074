/** The referral sweep's high-water mark (bmp_affiliate_sweep) and the signups it looks at. */
import type { Db } from '../types';
import { T } from './tables';

export async function findSweptUntil(db: Db, name: string): Promise<string | undefined> {
  const mark = (await db(T.sweep).where({ name }).first('swept_until')) as
    { swept_until: string } | undefined;
  return mark ? String(mark.swept_until) : undefined;
}

export async function saveSweptUntil(db: Db, name: string, until: string): Promise<void> {
  await db(T.sweep)
    .insert({ name, swept_until: until, ran_at: until })
    .onConflict('name')
    .merge(['swept_until', 'ran_at']);
}

export interface UnboundSignup {
  id: number;
  registered: string;
  ip: string;
}

/**
 * A page of the accounts registered in (from, until] that have no referral and a signup address in `ipColumn`,
 * by id after `after`.
 */
export async function unboundSignups(
  db: Db,
  page: { after: number; from: string; until: string; ipColumn: string; limit: number },
): Promise<UnboundSignup[]> {
  return (await db('account as a')
    .leftJoin(`${T.referral} as r`, 'r.account', 'a.id')
    .whereNull('r.id')
    .where('a.id', '>', page.after)
    .where('a.registration_date', '>', page.from)
    .where('a.registration_date', '<=', page.until)
    .whereNotNull(`a.${page.ipColumn}`)
    .orderBy('a.id')
    .limit(page.limit)
    .select({ id: 'a.id', registered: 'a.registration_date', ip: `a.${page.ipColumn}` })) as UnboundSignup[];
}
