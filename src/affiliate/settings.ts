/** The global affiliate settings: one row, created with the defaults on first save. */
import Decimal from 'decimal.js';
import {
  DEFAULT_SETTINGS,
  validateSettings,
  type AffiliateSettings,
  type SettingsInput,
} from '../domain/affiliate/program';
import { toDateTime } from '../domain/affiliate/period';
import type { Db } from '../db/affiliate/sql';
import { T, toBigInt, toFlag, type DbAffiliateSettingsRow } from '../db/affiliate/tables';

export async function loadSettings(db: Db): Promise<AffiliateSettings> {
  const row = (await db(T.settings).where({ id: 1 }).first()) as DbAffiliateSettingsRow | undefined;
  if (!row) return DEFAULT_SETTINGS;
  return Object.freeze({
    enabled: toFlag(row.enabled),
    ...(row.default_percent !== null
      ? { defaultPercent: new Decimal(String(row.default_percent)).toString() }
      : {}),
    signupBonusMinor: toBigInt(row.signup_bonus_minor),
    minWithdrawalMinor: toBigInt(row.min_withdrawal_minor),
    currency: row.currency,
    commissionDelayDays: row.commission_delay_days,
    supportDepartment: row.support_department,
    linkTemplate: row.link_template,
    autoApply: toFlag(row.auto_apply),
  });
}

/** Validates `changes` over the current settings and stores the result. */
export async function saveSettings(db: Db, changes: SettingsInput, now: Date): Promise<AffiliateSettings> {
  const next = validateSettings(await loadSettings(db), changes);
  const row: DbAffiliateSettingsRow = {
    id: 1,
    enabled: next.enabled ? 1 : 0,
    default_percent: next.defaultPercent ?? null,
    signup_bonus_minor: next.signupBonusMinor.toString(),
    min_withdrawal_minor: next.minWithdrawalMinor.toString(),
    currency: next.currency,
    commission_delay_days: next.commissionDelayDays,
    support_department: next.supportDepartment,
    link_template: next.linkTemplate,
    auto_apply: next.autoApply ? 1 : 0,
    updated_at: toDateTime(now),
  };
  await db(T.settings).insert(row).onConflict('id').merge();
  return next;
}
