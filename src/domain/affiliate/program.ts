/**
 * An affiliate program (seed 000): who runs it, its promo-code template, its reward, its referral period, the
 * website the links point to, the client group that may take part and the group that is forbidden rewards.
 * Also the global settings of seed 001 (WHMCS's "General System Settings").
 */
import { isPercent, Problems } from './validation';

export const ID_MACRO = '@ID@';
export const LINK_CODE_PLACEHOLDER = '[AffiliateLinkCode]';

export interface AffiliateProgram {
  readonly project: number;
  readonly name: string;
  readonly promocodeTemplate: string;
  /** Percent of the referral's expenses ("10" is 10 %); null means the global default percentage. */
  readonly rewardPercent: string | null;
  /** Months after binding during which a referral earns; 0 means no end. */
  readonly referralMonths: number;
  readonly websiteUrl: string;
  readonly clientGroup: number | null;
  readonly forbiddenGroup: number | null;
}

export interface ProgramInput {
  project?: number;
  name?: string;
  promocodeTemplate?: string;
  rewardPercent?: string | null;
  referralMonths?: number;
  websiteUrl?: string;
  clientGroup?: number | null;
  forbiddenGroup?: number | null;
}

/** Validates a program, collecting every problem, and throws them all at once. */
export function validateProgram(input: ProgramInput): AffiliateProgram {
  const problems = new Problems();
  const name = input.name?.trim() ?? '';
  problems.check(name.length > 0 && name.length <= 255, 'name is required (at most 255 characters)');
  const template = input.promocodeTemplate?.trim() ?? '';
  problems.check(
    template.includes(ID_MACRO),
    `the promo code template must contain the macro ${ID_MACRO} (the partner's id): '${template}' is refused`,
  );
  problems.check(
    /^[A-Za-z0-9_-]*$/.test(template.split(ID_MACRO).join('')) && template.length <= 32,
    'the promo code template may hold only letters, digits, "-" and "_" around the macro (at most 32 characters)',
  );
  const rewardPercent = input.rewardPercent?.trim() || undefined;
  problems.check(
    rewardPercent === undefined || isPercent(rewardPercent),
    `reward must be a percentage above 0 and at most 100, got '${rewardPercent ?? ''}'`,
  );
  const months = input.referralMonths ?? 0;
  problems.check(
    Number.isInteger(months) && months >= 0 && months <= 1200,
    'referral period must be 0 (no end) or a number of months',
  );
  const website = input.websiteUrl?.trim() ?? '';
  problems.check(isWebsite(website), `website URL must be an http(s) URL, got '${website}'`);
  const project = input.project ?? 1;
  problems.check(Number.isInteger(project) && project > 0, 'provider (project) must be a positive id');
  const clientGroup = input.clientGroup ?? null;
  const forbiddenGroup = input.forbiddenGroup ?? null;
  problems.check(
    clientGroup === null || (Number.isInteger(clientGroup) && clientGroup > 0),
    'client group must be a group id',
  );
  problems.check(
    forbiddenGroup === null || (Number.isInteger(forbiddenGroup) && forbiddenGroup > 0),
    'forbidden group must be a group id',
  );
  problems.check(
    clientGroup === null || clientGroup !== forbiddenGroup,
    'the client group and the forbidden group cannot be the same group',
  );
  problems.throwIfAny('affiliate program');
  return {
    project,
    name,
    promocodeTemplate: template,
    rewardPercent: rewardPercent ?? null,
    referralMonths: months,
    websiteUrl: website,
    clientGroup,
    forbiddenGroup,
  };
}

/** Global affiliate settings (seed 001). Amounts in minor units of `currency`. */
export interface AffiliateSettings {
  readonly enabled: boolean;
  /** Used when a program has no reward of its own; undefined means none. */
  readonly defaultPercent?: string;
  /** Credited once to a partner when it joins a program. */
  readonly signupBonusMinor: bigint;
  /** The smallest withdrawal a partner may ask for. */
  readonly minWithdrawalMinor: bigint;
  readonly currency: string;
  /** Days an earned reward stays pending after the referred invoice is paid. */
  readonly commissionDelayDays: number;
  /** The support department payout requests go to. */
  readonly supportDepartment: number | null;
  /** A link template with `[AffiliateLinkCode]`, e.g. `https://example.com/?ref=[AffiliateLinkCode]`. */
  readonly linkTemplate: string | null;
  /** Apply available credit to the partner's balance in the monthly run (seed 000's automatic payment). */
  readonly autoApply: boolean;
}

export const DEFAULT_SETTINGS: AffiliateSettings = Object.freeze({
  enabled: true,
  signupBonusMinor: 0n,
  minWithdrawalMinor: 0n,
  currency: 'USD',
  commissionDelayDays: 0,
  supportDepartment: null,
  linkTemplate: null,
  autoApply: true,
});

export interface SettingsInput {
  enabled?: boolean;
  defaultPercent?: string | null;
  signupBonusMinor?: bigint;
  minWithdrawalMinor?: bigint;
  currency?: string;
  commissionDelayDays?: number;
  supportDepartment?: number | null;
  linkTemplate?: string | null;
  autoApply?: boolean;
}

/** Applies `changes` over `current`, validating the result as a whole. */
export function validateSettings(current: AffiliateSettings, changes: SettingsInput): AffiliateSettings {
  const problems = new Problems();
  const next = { ...current, ...withoutUndefined(changes) } as AffiliateSettings & {
    defaultPercent?: string | null;
  };
  const defaultPercent = next.defaultPercent ?? undefined;
  problems.check(
    defaultPercent === undefined || isPercent(defaultPercent),
    'default percentage must be above 0 and at most 100',
  );
  problems.check(next.signupBonusMinor >= 0n, 'signup bonus cannot be negative');
  problems.check(next.minWithdrawalMinor >= 0n, 'minimum withdrawal cannot be negative');
  problems.check(/^[A-Z]{3}$/.test(next.currency), 'currency must be a 3-letter code');
  problems.check(
    Number.isInteger(next.commissionDelayDays) &&
      next.commissionDelayDays >= 0 &&
      next.commissionDelayDays <= 3650,
    'commission delay must be a whole number of days',
  );
  problems.check(
    next.supportDepartment === null ||
      (Number.isInteger(next.supportDepartment) && next.supportDepartment > 0),
    'support department must be a department id',
  );
  problems.check(
    next.linkTemplate === null ||
      (next.linkTemplate.includes(LINK_CODE_PLACEHOLDER) && isWebsite(next.linkTemplate)),
    `the affiliate link template must be an http(s) URL holding ${LINK_CODE_PLACEHOLDER}`,
  );
  problems.throwIfAny('affiliate settings');
  const { defaultPercent: _ignored, ...rest } = next;
  return Object.freeze({ ...rest, ...(defaultPercent !== undefined ? { defaultPercent } : {}) });
}

function isWebsite(text: string): boolean {
  if (text.length === 0 || text.length > 255) return false;
  try {
    const url = new URL(text.replace(LINK_CODE_PLACEHOLDER, '0'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The fields of `value` that are set: a change that leaves a field out keeps its current value. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
