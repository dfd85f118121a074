/** bmp_affiliate_settings: one row (id 1), absent until the first save. */
import type { Db } from '../types';
import { T, type DbAffiliateSettingsRow } from './tables';

export async function findSettingsRow(db: Db): Promise<DbAffiliateSettingsRow | undefined> {
  return (await db(T.settings).where({ id: 1 }).first()) as DbAffiliateSettingsRow | undefined;
}

export async function saveSettingsRow(db: Db, row: DbAffiliateSettingsRow): Promise<void> {
  await db(T.settings).insert(row).onConflict('id').merge();
}
