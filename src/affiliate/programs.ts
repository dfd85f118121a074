/** Affiliate programs and their partners: create, change, list; a partner's promo code, links and signup bonus. */
import { withTransaction } from '../db/transaction';
import Decimal from 'decimal.js';
import { partnerGroupRefusal, REFUSAL_TEXT } from '../domain/affiliate/attribution';
import { affiliateLink, promoCodeFor, templatedLink } from '../domain/affiliate/codes';
import { availableOn } from '../domain/affiliate/holding';
import { toDate, toDateTime } from '../domain/affiliate/period';
import {
  ID_MACRO,
  validateProgram,
  withoutUndefined,
  type AffiliateProgram,
  type ProgramInput,
} from '../domain/affiliate/program';
import { templateCollision } from '../domain/affiliate/template-collision';
import { AffiliateValidationError } from '../domain/affiliate/validation';
import { ConflictError, NotFoundError } from '../domain/errors';
import { accountExists, groupsOfAccounts } from '../db/account';
import { appendEntries } from '../db/affiliate/ledger';
import {
  findPartner,
  findPartnerByPromocode,
  insertPartner,
  listPartnerRows,
  partnersWithPromocodeLike,
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
  return withTransaction(db, async (trx) => {
    await refuseCollidingTemplate(trx, program.promocodeTemplate, undefined);
    const id = await insertProgram(trx, {
      ...programColumns(program),
      active: 1,
      created_at: toDateTime(now),
    });
    return { ...program, id, active: true };
  });
}

/**
 * A template whose codes could be another partner's code is refused when saved: against every other program's
 * template (an example pair of partner ids says how), and against the codes partners hold already (a program's
 * earlier template made them). Identical templates are allowed: two programs never share a partner id.
 */
async function refuseCollidingTemplate(
  db: Db,
  template: string,
  programId: number | undefined,
): Promise<void> {
  const problems: string[] = [];
  for (const other of await listProgramRows(db)) {
    if (other.id === programId) continue;
    const collision = templateCollision(template, other.promocode_template);
    if (collision) {
      problems.push(
        `promo code template ${template} can make the same code as program ${other.id} ('${other.name}', ` +
          `template ${other.promocode_template}): partner ${collision.firstId} here and partner ` +
          `${collision.secondId} there would both get ${collision.code}`,
      );
    }
  }
  const held = await partnersWithPromocodeLike(db, likePattern(template));
  const parse = codePattern(template);
  for (const partner of held) {
    const id = parse.exec(partner.promocode)?.[1];
    if (id !== undefined && !id.startsWith('0') && Number(id) !== Number(partner.id)) {
      problems.push(
        `promo code template ${template} would give partner ${id} the code ${partner.promocode}, ` +
          `which partner ${partner.id} (program ${partner.program}) holds`,
      );
      break;
    }
  }
  if (problems.length > 0) throw new AffiliateValidationError('affiliate program', problems);
}

/** The template as a LIKE pattern over stored (upper-case) codes: each @ID@ any text. */
function likePattern(template: string): string {
  return template
    .toUpperCase()
    .split(ID_MACRO)
    .map((part) => part.replace(/[!%_]/g, (c) => `!${c}`))
    .join('%');
}

/** The template as a regular expression reading the partner id back out of a code. */
function codePattern(template: string): RegExp {
  const parts = template
    .toUpperCase()
    .split(ID_MACRO)
    .map((part) => part.replace(/[-\\^$.*+?()[\]{}|]/g, '\\$&'));
  return new RegExp(
    `^${parts.map((part, i) => (i === 0 ? part : `${i === 1 ? '(\\d+)' : '\\1'}${part}`)).join('')}$`,
  );
}

/** Changes a program; the result is validated as a whole, like a new one. */
export async function updateProgram(
  db: Db,
  id: number,
  changes: ProgramInput & { active?: boolean },
): Promise<ProgramView> {
  return withTransaction(db, async (trx) => {
    const current = await getProgram(trx, id);
    const { active, ...rest } = changes;
    const program = validateProgram({ ...current, ...withoutUndefined(rest) });
    if (program.promocodeTemplate !== current.promocodeTemplate)
      await refuseCollidingTemplate(trx, program.promocodeTemplate, id);
    const isActive = active ?? current.active;
    await updateProgramRow(trx, id, { ...programColumns(program), active: isActive ? 1 : 0 });
    return { ...program, id, active: isActive };
  });
}

export async function getProgram(db: Db, id: number): Promise<ProgramView> {
  const row = await findProgram(db, id);
  if (!row)
    throw new NotFoundError('program', `there is no affiliate program ${id}`, { program: String(id) });
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
  return withTransaction(
    db,
    async (trx) => {
      const program = await getProgram(trx, programId);
      if (!program.active)
        throw new AffiliateValidationError('partner', [`program ${programId} is not active`]);
      if (!(await accountExists(trx, account)))
        throw new NotFoundError('account', `there is no account ${account}`, { account: String(account) });
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
        throw new ConflictError(
          'partner',
          `partner ${affiliateId} of program ${programId} would get promo code ${promocode}, which partner ` +
            `${clash.id} holds: change program ${programId}'s template (${program.promocodeTemplate}) and add it again`,
          { promocode },
        );
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
    },
    {
      // Two partners added at once can still meet on the code or on (program, account): say so, not raw SQL.
      onConflict: () => {
        throw new ConflictError(
          'partner',
          `account ${account} could not be made a partner of program ${programId}: it is one already, or its ` +
            'promo code was taken meanwhile (see affiliate partner list)',
        );
      },
    },
  );
}

export async function setPartnerActive(db: Db, affiliateId: number, active: boolean): Promise<void> {
  if ((await setPartnerActiveFlag(db, affiliateId, active)) === 0) throw noPartner(affiliateId);
}

export async function getPartner(db: Db, affiliateId: number): Promise<PartnerView> {
  const row = await findPartner(db, affiliateId);
  if (!row) throw noPartner(affiliateId);
  return partnerView(db, row);
}

/** The one message for an unknown partner id. */
export function noPartner(affiliateId: number): NotFoundError {
  return new NotFoundError('partner', `there is no partner ${affiliateId}`, {
    affiliate: String(affiliateId),
  });
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
