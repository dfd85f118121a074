/** Binding clients to partners on MariaDB: promo codes (first use only), manual assignment, self-referral. */
import { assignReferral, bindByPromoCode } from '../../../src/affiliate/attribution';
import { addPartner, createProgram, getPartner, listPartners } from '../../../src/affiliate/programs';
import { referralLog, searchAccounts } from '../../../src/affiliate/reports';
import { T } from '../../../src/db/affiliate/tables';
import { runAffiliateMonthly } from '../../../src/affiliate/monthly';
import { toMajorString } from '../../../src/domain/money';
import { AffiliateValidationError } from '../../../src/domain/affiliate/validation';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { AffiliateWorld } from './world';
import { standinCore } from '../../support/core';

let throwaway: ThrowawayDb;
let world: AffiliateWorld;

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new AffiliateWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

const NOW = new Date('2026-10-05T12:00:00Z');

describe('programs and partners', () => {
  it('refuses a program whose promo code template lacks @ID@, and stores nothing', async () => {
    const before = await world.count(T.program);
    const attempt = createProgram(
      throwaway.db,
      {
        name: 'Spring',
        promocodeTemplate: 'SPRING',
        rewardPercent: '10',
        websiteUrl: 'https://provider.example/',
      },
      NOW,
    );
    await expect(attempt).rejects.toBeInstanceOf(AffiliateValidationError);
    await expect(attempt).rejects.toThrow(/must contain the macro @ID@/);
    expect(await world.count(T.program)).toBe(before);
  });

  it('gives every partner a unique promo code from the template and a ?from=<id> link', async () => {
    await world.settings({ linkTemplate: 'https://provider.example/r/[AffiliateLinkCode]' });
    const program = await world.program({
      promocodeTemplate: 'friend-@ID@',
      websiteUrl: 'https://provider.example/vps',
    });
    const first = await world.partner(program);
    const second = await world.partner(program);
    expect(first.promocode).toBe(`FRIEND-${first.id}`);
    expect(second.promocode).toBe(`FRIEND-${second.id}`);
    expect(first.link).toBe(`https://provider.example/vps?from=${first.id}`);
    expect(first.templatedLink).toBe(`https://provider.example/r/${first.id}`);
    expect(await getPartner(throwaway.db, second.id)).toEqual(second);
    expect((await listPartners(throwaway.db, { program: program.id })).map((p) => p.id)).toEqual([
      first.id,
      second.id,
    ]);
    await expect(addPartner(throwaway.db, program.id, first.account, NOW)).rejects.toThrow();
  });
});

describe('promo codes', () => {
  it('bind a client on its first use only', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    const other = await world.partner(program);
    const client = await world.account();
    const code = partner.promocode.toLowerCase();

    expect(
      await bindByPromoCode(throwaway.db, { account: client, code: ` ${code} `, now: NOW }),
    ).toMatchObject({
      bound: true,
      affiliate: partner.id,
    });
    const again = await bindByPromoCode(throwaway.db, { account: client, code: other.promocode, now: NOW });
    expect(again).toMatchObject({ bound: false, reason: 'already_referred' });
    const referral = await throwaway.db(T.referral).where({ account: client }).first();
    expect(referral).toMatchObject({
      affiliate: partner.id,
      source: 'promocode',
      bound_at: '2026-10-05 12:00:00',
    });
    // The referral period of 12 months ends a year after binding, excluded.
    expect(referral.reward_until).toBe('2027-10-05 12:00:00');
  });

  it('bind a client typed by two partners at once to one of them, and tell the other it is already referred', async () => {
    const program = await world.program();
    const partners = [await world.partner(program), await world.partner(program)];
    for (let round = 0; round < 5; round++) {
      const client = await world.account();
      const results = await Promise.all(
        partners.map((p) => bindByPromoCode(throwaway.db, { account: client, code: p.promocode, now: NOW })),
      );

      expect(results.filter((r) => r.bound)).toHaveLength(1);
      expect(results.filter((r) => !r.bound)).toEqual([
        expect.objectContaining({ reason: 'already_referred' }),
      ]);
      expect(await throwaway.db(T.referral).where({ account: client })).toHaveLength(1);
    }
  });

  it('do not work while the client has several unpaid services', async () => {
    const program = await world.program();
    const partner = await world.partner(program);
    const client = await world.account();
    await world.service(client, '10', { status: 1 });
    await world.service(client, '20', { status: 1 });
    const refused = await bindByPromoCode(throwaway.db, {
      account: client,
      code: partner.promocode,
      now: NOW,
    });
    expect(refused).toEqual({
      bound: false,
      reason: 'unpaid_services',
      message: 'the client has several unpaid services: the promo code does not apply',
    });
    await throwaway.db('item').where({ account: client, status: 1 }).limit(1).update({ status: 2 });
    expect(
      await bindByPromoCode(throwaway.db, { account: client, code: partner.promocode, now: NOW }),
    ).toMatchObject({
      bound: true,
    });
  });

  it('refuse an unknown or malformed code', async () => {
    const client = await world.account();
    for (const code of ['NOPE42', "x' OR '1'='1", '']) {
      expect(await bindByPromoCode(throwaway.db, { account: client, code, now: NOW })).toMatchObject({
        bound: false,
        reason: 'unknown_code',
      });
    }
  });
});

describe('self-referral', () => {
  it('is refused and reported: own account, same e-mail, same payment identity', async () => {
    const program = await world.program();
    const partner = await world.partner(program, { email: 'Owner@Example.com' });
    await world.payment(partner.account, '5.00', '2026-01-01 00:00:00', { payer: 'card:1111' });
    const sameEmail = await world.account({ email: 'owner@example.com ' });
    const samePayer = await world.account();
    await world.payment(samePayer, '5.00', '2026-01-01 00:00:00', { payer: 'card:1111' });

    const own = await bindByPromoCode(throwaway.db, {
      account: partner.account,
      code: partner.promocode,
      now: NOW,
    });
    const email = await bindByPromoCode(throwaway.db, {
      account: sameEmail,
      code: partner.promocode,
      now: NOW,
    });
    const payer = await assignReferral(throwaway.db, {
      account: samePayer,
      affiliate: partner.id,
      assignedBy: 'admin',
      now: NOW,
    });

    expect([own, email, payer].map((r) => (r.bound ? 'bound' : r.reason))).toEqual([
      'same_account',
      'same_email',
      'same_payer',
    ]);
    const reports = (await throwaway.db(T.refusal).where({ affiliate: partner.id }).orderBy('id')) as Array<{
      account: number;
      reason: string;
    }>;
    expect(reports.map((r) => [r.account, r.reason])).toEqual([
      [partner.account, 'same_account'],
      [sameEmail, 'same_email'],
      [samePayer, 'same_payer'],
    ]);
    expect(
      await throwaway.db(T.referral).whereIn('account', [partner.account, sameEmail, samePayer]),
    ).toEqual([]);
  });
});

describe('manual assignment, the account search and the referral log', () => {
  it('an admin finds the partner by name, assigns it, and reads every referral it gave with status and earnings', async () => {
    const program = await world.program({ rewardPercent: '10' });
    const partnerAccount = await world.account({ name: 'Acme 100% Hosting_Partners' });
    const partner = await world.partner(program, partnerAccount);
    await world.account({ name: 'Acme Corp' });

    const matches = await searchAccounts(throwaway.db, '100% hosting_');
    expect(matches).toEqual([
      {
        id: partnerAccount,
        name: 'Acme 100% Hosting_Partners',
        email: expect.any(String),
        affiliates: [partner.id],
      },
    ]);
    expect((await searchAccounts(throwaway.db, 'acme')).length).toBe(2);
    // % and _ are matched as themselves, not as wildcards.
    expect((await searchAccounts(throwaway.db, '%')).map((m) => m.id)).toEqual([partnerAccount]);

    const first = await world.account({ name: 'First Client' });
    const second = await world.account({ name: 'Second Client' });
    for (const account of [first, second]) {
      const result = await assignReferral(throwaway.db, {
        account,
        affiliate: partner.id,
        assignedBy: 'admin',
        now: NOW,
      });
      expect(result.bound).toBe(true);
    }
    // Moving a client to another partner needs `replace`.
    const rival = await world.partner(program);
    expect(
      await assignReferral(throwaway.db, {
        account: second,
        affiliate: rival.id,
        assignedBy: 'admin',
        now: NOW,
      }),
    ).toMatchObject({ bound: false, reason: 'already_referred' });

    await world.expense(first, '200.00', '2026-10-10 00:00:00');
    await runAffiliateMonthly(throwaway.db, {
      core: standinCore(throwaway.db),
      date: '2026-11-01',
      now: new Date('2026-11-01T00:00:00Z'),
    });
    await assignReferral(throwaway.db, {
      account: second,
      affiliate: rival.id,
      assignedBy: 'admin',
      now: NOW,
      replace: true,
    });

    const log = await referralLog(throwaway.db, partnerAccount);
    const [entry] = log.partners;
    expect(entry?.referrals.map((r) => [r.name, r.source, r.status, r.charged])).toEqual([
      ['First Client', 'manual', 'active', { USD: '200.0000' }],
    ]);
    expect(entry?.expenseCommission.map(toMajorString)).toEqual(['20.00']);
    expect(entry?.balances.map((b) => toMajorString(b.paidOut))).toEqual(['20.00']);
    const rivalLog = await referralLog(throwaway.db, rival.account);
    expect(rivalLog.partners[0]?.referrals.map((r) => r.name)).toEqual(['Second Client']);
  });
});
