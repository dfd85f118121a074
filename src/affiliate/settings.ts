/** The global affiliate settings: one row, created with the defaults on first save. */
import Decimal from 'decimal.js';
import {
  DEFAULT_SETTINGS,
  validateSettings,
  type AffiliateSettings,
  type SettingsInput,
} from '../domain/affiliate/program';
import { toDateTime } from '../domain/affiliate/period';
import { findSettingsRow, saveSettingsRow } from '../db/affiliate/settings';
import { toBigInt, toFlag, type DbAffiliateSettingsRow } from '../db/affiliate/tables';
import type { Db } from '../db/types';

export async function loadSettings(db: Db): Promise<AffiliateSettings> {
  const row = await findSettingsRow(db);
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
  await saveSettingsRow(db, row);
  return next;
}
