/** Affiliate programs and their partners: create, change, list; a partner's promo code, links and signup bonus. */
import { withTransaction } from '../db/transaction';
import Decimal from 'decimal.js';
import { partnerGroupRefusal, REFUSAL_TEXT } from '../domain/affiliate/attribution';
import { affiliateLink, promoCodeFor, templatedLink } from '../domain/affiliate/codes';
import { availableOn } from '../domain/affiliate/holding';
import { toDate, toDateTime } from '../domain/affiliate/period';
import {
  validateProgram,
  withoutUndefined,
  type AffiliateProgram,
  type ProgramInput,
} from '../domain/affiliate/program';
import { AffiliateValidationError } from '../domain/affiliate/validation';
import { NotFoundError } from '../domain/errors';
import { accountExists, groupsOfAccounts } from '../db/account';
import { appendEntries } from '../db/affiliate/ledger';
import {
  findPartner,
  findPartnerByPromocode,
  insertPartner,
  listPartnerRows,
  setPartnerActiveFlag,
  setPartnerPromocode,
} from '../db/affiliate/partners';
import {
  findProgram,
  insertProgram,
  listProgramRows,
  updateProgramRow,
  type ProgramColumns,
} from '../db/affiliate/programs';
import { toFlag, type DbAffiliateProgramRow, type DbAffiliateRow } from '../db/affiliate/tables';
import type { Db } from '../db/types';
import { loadSettings } from './settings';

export interface ProgramView extends AffiliateProgram {
  readonly id: number;
  readonly active: boolean;
}

export async function createProgram(db: Db, input: ProgramInput, now: Date): Promise<ProgramView> {
  const program = validateProgram(input);
  const id = await insertProgram(db, {
    ...programColumns(program),
    active: 1,
    created_at: toDateTime(now),
  });
  return { ...program, id, active: true };
}

/** Changes a program; the result is validated as a whole, like a new one. */
export async function updateProgram(
  db: Db,
  id: number,
  changes: ProgramInput & { active?: boolean },
): Promise<ProgramView> {
  const current = await getProgram(db, id);
  const { active, ...rest } = changes;
  const program = validateProgram({ ...current, ...withoutUndefined(rest) });
  const isActive = active ?? current.active;
  await updateProgramRow(db, id, { ...programColumns(program), active: isActive ? 1 : 0 });
  return { ...program, id, active: isActive };
}

export async function getProgram(db: Db, id: number): Promise<ProgramView> {
  const row = await findProgram(db, id);
  if (!row) throw new NotFoundError('program', `there is no program ${id}`);
  return programFromRow(row);
}

export async function listPrograms(db: Db): Promise<ProgramView[]> {
  return (await listProgramRows(db)).map(programFromRow);
}

export interface PartnerView {
  readonly id: number;
  readonly program: number;
  readonly account: number;
  readonly promocode: string;
  readonly active: boolean;
  /** `<website>?from=<id>` (seed 000). */
  readonly link: string;
  /** The settings' `[AffiliateLinkCode]` template filled in, when there is one (seed 001). */
  readonly templatedLink?: string;
}

/**
 * Makes `account` a partner of `program`: a unique promo code from the template, a link, and the signup bonus
 * of the settings (pending for the commission delay, like every reward). Refused for a partner outside the
 * program's client group or inside its forbidden group.
 */
export async function addPartner(
  db: Db,
  programId: number,
  account: number,
  now: Date,
): Promise<PartnerView> {
  return withTransaction(db, async (trx) => {
    const program = await getProgram(trx, programId);
    if (!program.active)
      throw new AffiliateValidationError('partner', [`program ${programId} is not active`]);
    if (!(await accountExists(trx, account)))
      throw new NotFoundError('account', `there is no account ${account}`);
    const groups = (await groupsOfAccounts(trx, [account])).get(account) ?? new Set<number>();
    const refusal = partnerGroupRefusal(groups, program);
    if (refusal) throw new AffiliateValidationError('partner', [REFUSAL_TEXT[refusal]]);
    // The code needs the id: insert under a placeholder unique to this transaction, then set it.
    const affiliateId = await insertPartner(trx, {
      program: programId,
      account,
      promocode: `#${account}-${programId}-${now.getTime()}`,
      active: 1,
      created_at: toDateTime(now),
    });
    const promocode = promoCodeFor(program.promocodeTemplate, affiliateId);
    const clash = await findPartnerByPromocode(trx, promocode);
    if (clash) {
      throw new AffiliateValidationError('partner', [
        `promo code ${promocode} is already partner ${clash.id}'s`,
      ]);
    }
    await setPartnerPromocode(trx, affiliateId, promocode);
    await creditSignupBonus(trx, affiliateId, account, now);
    return partnerView(trx, {
      id: affiliateId,
      program: programId,
      account,
      promocode,
      active: 1,
      created_at: '',
    });
  });
}

export async function setPartnerActive(db: Db, affiliateId: number, active: boolean): Promise<void> {
  if ((await setPartnerActiveFlag(db, affiliateId, active)) === 0)
    throw new NotFoundError('partner', `there is no partner ${affiliateId}`);
}

export async function getPartner(db: Db, affiliateId: number): Promise<PartnerView> {
  const row = await findPartner(db, affiliateId);
  if (!row) throw new NotFoundError('partner', `there is no partner ${affiliateId}`);
  return partnerView(db, row);
}

export async function listPartners(
  db: Db,
  filter: { program?: number; account?: number } = {},
): Promise<PartnerView[]> {
  const rows = await listPartnerRows(db, filter);
  const views: PartnerView[] = [];
  for (const row of rows) views.push(await partnerView(db, row));
  return views;
}

async function partnerView(db: Db, row: DbAffiliateRow): Promise<PartnerView> {
  const program = await getProgram(db, row.program);
  const settings = await loadSettings(db);
  return {
    id: row.id,
    program: row.program,
    account: row.account,
    promocode: row.promocode,
    active: toFlag(row.active),
    link: affiliateLink(program.websiteUrl, row.id),
    ...(settings.linkTemplate ? { templatedLink: templatedLink(settings.linkTemplate, row.id) } : {}),
  };
}

async function creditSignupBonus(db: Db, affiliateId: number, account: number, now: Date): Promise<void> {
  const settings = await loadSettings(db);
  if (settings.signupBonusMinor <= 0n) return;
  await appendEntries(db, [
    {
      kind: 'earned',
      affiliate: affiliateId,
      account,
      referral: null,
      source_kind: 'affiliate',
      source_id: affiliateId,
      rule: 'signup_bonus',
      rule_ref: 'settings',
      period: 'once',
      currency: settings.currency,
      amount_minor: settings.signupBonusMinor.toString(),
      available_on: availableOn(toDate(now), settings.commissionDelayDays),
      payment: null,
      run: null,
      created_at: toDateTime(now),
      note: 'signup bonus',
    },
  ]);
}

function programColumns(program: AffiliateProgram): ProgramColumns {
  return {
    project: program.project,
    name: program.name,
    promocode_template: program.promocodeTemplate,
    reward_percent: program.rewardPercent,
    referral_months: program.referralMonths,
    website_url: program.websiteUrl,
    client_group: program.clientGroup,
    forbidden_group: program.forbiddenGroup,
  };
}

function programFromRow(row: DbAffiliateProgramRow): ProgramView {
  return {
    id: row.id,
    project: row.project,
    name: row.name,
    promocodeTemplate: row.promocode_template,
    rewardPercent: row.reward_percent === null ? null : new Decimal(String(row.reward_percent)).toString(),
    referralMonths: row.referral_months,
    websiteUrl: row.website_url,
    clientGroup: row.client_group,
    forbiddenGroup: row.forbidden_group,
    active: toFlag(row.active),
  };
}
