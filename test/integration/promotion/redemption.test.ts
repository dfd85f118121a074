/** Redeeming promo codes and certificates on MariaDB: every refusal, the limits, reservations, retries. */
import { money } from '../../../src/domain/money';
import { ConflictError } from '../../../src/domain/errors';
import { addCondition } from '../../../src/promotions/conditions';
import { commitRedemption } from '../../../src/promotions/redemption/commit';
import { redeem, type RedeemOutcome } from '../../../src/promotions/redemption/redeem';
import { releaseHeldTooLong, releaseRedemption } from '../../../src/promotions/redemption/release';
import { accountLedger } from '../../../src/promotions/redemption/reports';
import { createThrowawayDb, type ThrowawayDb } from '../../support/mysql';
import { codeUses, makeCertificates, makeCodes, ports, RecordingCredit } from './redemption-world';
import { PromotionWorld } from './codes-world';

let throwaway: ThrowawayDb;
let world: PromotionWorld;
const now = new Date('2026-12-02T10:00:00Z');

beforeAll(async () => {
  throwaway = await createThrowawayDb();
  world = new PromotionWorld(throwaway.db);
});
afterAll(async () => {
  await throwaway.drop();
});

function reason(outcome: RedeemOutcome): string {
  return outcome.redeemed ? 'redeemed' : outcome.refusal.reason;
}

describe('refusals, each with its reason in the client words', () => {
  it('an unknown code and a revoked one (eligibility: always)', async () => {
    const account = await world.account();
    const unknown = await redeem(throwaway.db, { account, code: 'NO-SUCH-CODE' }, ports(now));
    expect(unknown).toEqual({
      redeemed: false,
      replayed: false,
      refusal: { reason: 'unknown', message: 'There is no such code: check how it is typed.' },
    });
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion });
    await throwaway.db('bmp_promotion_code').where({ code }).update({ revoked_at: '2026-12-01 00:00:00' });
    expect(reason(await redeem(throwaway.db, { account, code }, ports(now)))).toBe('revoked');
  });

  it("not yet active and expired, by the promotion's window, its status and the code's own window (eligibility: always)", async () => {
    const account = await world.account();
    const later = await world.promotion({ starts_at: '2026-12-10 00:00:00' });
    const over = await world.promotion({ ends_at: '2026-12-02 10:00:00' }); // exclusive: over at 10:00 local
    const draft = await world.promotion({ status: 'draft' });
    const archived = await world.promotion({ status: 'archived' });
    const open = await world.promotion();
    const cases: [number, object, string][] = [
      [later, {}, 'not_yet_active'],
      [over, {}, 'expired'],
      [draft, {}, 'not_yet_active'],
      [archived, {}, 'expired'],
      [open, { activeFrom: '2026-12-03', activeUntil: '2026-12-31' }, 'not_yet_active'],
      [open, { activeFrom: '2026-11-01', activeUntil: '2026-12-02 10:00' }, 'expired'],
      [later, { activeFrom: '2026-12-01', activeUntil: '2026-12-31' }, 'redeemed'], // its own window wins
    ];
    for (const [promotion, window, expected] of cases) {
      const [code = ''] = await makeCodes(throwaway.db, { promotion, ...window });
      const outcome = await redeem(throwaway.db, { account, code }, ports(now));
      expect([code, reason(outcome)]).toEqual([code, expected]);
    }
    const expired = await redeem(
      throwaway.db,
      { account, code: (await makeCodes(throwaway.db, { promotion: over }))[0] ?? '' },
      ports(now),
    );
    expect(expired.redeemed === false && expired.refusal.message).toBe('This code has expired.');
  });

  it('not eligible, naming the condition the client does not meet', async () => {
    const account = await world.account();
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion });
    const asked: [number, number][] = [];
    const outcome = await redeem(
      throwaway.db,
      { account, code },
      {
        ...ports(now),
        eligibility: async (_db, promotionId, accountId) => {
          asked.push([promotionId, accountId]);
          return { eligible: false, failed: 'registered more than a year ago' };
        },
      },
    );
    expect(outcome).toEqual({
      redeemed: false,
      replayed: false,
      refusal: {
        reason: 'not_eligible',
        failedCondition: 'registered more than a year ago',
        message: 'You are not eligible for this promotion: registered more than a year ago.',
      },
    });
    expect(asked).toEqual([[promotion, account]]);
    expect(await codeUses(throwaway.db, code)).toBe(0);
  });

  it('used up, and already used by you: per code and per client (eligibility: always)', async () => {
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion, usesLimit: 2, perClientLimit: 1 });
    const [a, b, c] = [await world.account(), await world.account(), await world.account()];
    expect(reason(await redeem(throwaway.db, { account: a, code }, ports(now)))).toBe('redeemed');
    const again = await redeem(throwaway.db, { account: a, code: code.toLowerCase() }, ports(now));
    expect(again.redeemed === false && again.refusal).toEqual({
      reason: 'already_used',
      message: 'You have already used this code as many times as you can.',
    });
    expect(reason(await redeem(throwaway.db, { account: b, code }, ports(now)))).toBe('redeemed');
    const third = await redeem(throwaway.db, { account: c, code }, ports(now));
    expect(third.redeemed === false && third.refusal.message).toBe(
      'This code has been used as many times as it can be.',
    );
    expect(await codeUses(throwaway.db, code)).toBe(2);
  });

  it("the promotion's per-client limit counts every code of it (eligibility: always)", async () => {
    const promotion = await world.promotion({ per_client_limit: 1 });
    const codes = await makeCodes(throwaway.db, { promotion, count: 2 });
    const account = await world.account();
    expect(reason(await redeem(throwaway.db, { account, code: codes[0] ?? '' }, ports(now)))).toBe(
      'redeemed',
    );
    expect(reason(await redeem(throwaway.db, { account, code: codes[1] ?? '' }, ports(now)))).toBe(
      'already_used',
    );
    expect(await codeUses(throwaway.db, codes[1] ?? '')).toBe(0); // the refused use was rolled back
  });

  it('a promotion holding "has product/service" is used once per client, whatever its own limit (eligibility: always)', async () => {
    const account = await world.account();
    const limited = await world.promotion({ per_client_limit: 3 });
    await addCondition(throwaway.db, limited, { code: 'has_service', args: { itemtype: '1' } }, now);
    const plain = await world.promotion({ per_client_limit: 3 });
    const [first = '', second = ''] = await makeCodes(throwaway.db, { promotion: limited, count: 2 });
    expect(reason(await redeem(throwaway.db, { account, code: first }, ports(now)))).toBe('redeemed');
    const again = await redeem(throwaway.db, { account, code: second }, ports(now));
    expect(again.redeemed === false && again.refusal).toEqual({
      reason: 'already_used',
      message: 'You have already used this promotion as many times as you can.',
    });
    const [a = '', b = ''] = await makeCodes(throwaway.db, { promotion: plain, count: 2 });
    expect(reason(await redeem(throwaway.db, { account, code: a }, ports(now)))).toBe('redeemed');
    expect(reason(await redeem(throwaway.db, { account, code: b }, ports(now)))).toBe('redeemed');
  });

  it('too many attempts, per account and per address, and only within the hour (eligibility: always)', async () => {
    const account = await world.account();
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion });
    for (let i = 0; i < 10; i += 1)
      expect(reason(await redeem(throwaway.db, { account, code: `GUESS${i}` }, ports(now)))).toBe('unknown');
    const blocked = await redeem(throwaway.db, { account, code }, ports(now));
    expect(blocked.redeemed === false && blocked.refusal.message).toBe(
      'Too many codes were tried: please wait an hour and try again.',
    );
    const anHourLater = new Date(now.getTime() + 60 * 60_000 + 1000);
    expect(reason(await redeem(throwaway.db, { account, code }, ports(anHourLater)))).toBe('redeemed');

    const address = '203.0.113.7';
    for (let i = 0; i < 30; i += 1) {
      const guesser = await world.account();
      await redeem(throwaway.db, { account: guesser, code: `ADDR${i}`, address }, ports(now));
    }
    const fresh = await world.account();
    expect(reason(await redeem(throwaway.db, { account: fresh, code: 'ADDR-X', address }, ports(now)))).toBe(
      'too_many_attempts',
    );
    expect(
      reason(
        await redeem(throwaway.db, { account: fresh, code: 'ADDR-X', address: '203.0.113.8' }, ports(now)),
      ),
    ).toBe('unknown');
  });
});

describe('certificates', () => {
  it("the seed's example: limit 2 per client, ten certificates: one twice, or two once each (eligibility: always)", async () => {
    const promotion = await world.promotion({ kind: 'certificate', per_client_limit: 2 });
    const certificates = await makeCertificates(throwaway.db, {
      promotion,
      count: 10,
      amount: { kind: 'fixed', amount: money(1000n, 'USD') },
    });
    const [one = '', two = '', three = ''] = certificates;
    const credit = new RecordingCredit();
    const [a, b] = [await world.account(), await world.account()];
    expect(reason(await redeem(throwaway.db, { account: a, code: one }, ports(now, credit)))).toBe(
      'redeemed',
    );
    expect(reason(await redeem(throwaway.db, { account: a, code: one }, ports(now, credit)))).toBe(
      'redeemed',
    );
    expect(reason(await redeem(throwaway.db, { account: a, code: two }, ports(now, credit)))).toBe(
      'already_used',
    );
    expect(reason(await redeem(throwaway.db, { account: b, code: two }, ports(now, credit)))).toBe(
      'redeemed',
    );
    expect(reason(await redeem(throwaway.db, { account: b, code: three }, ports(now, credit)))).toBe(
      'redeemed',
    );
    expect(reason(await redeem(throwaway.db, { account: b, code: one }, ports(now, credit)))).toBe(
      'already_used',
    );
    expect(credit.totalFor(a)).toBe(2000n);
    expect(credit.totalFor(b)).toBe(2000n);
    expect((await accountLedger(throwaway.db, a)).balance).toEqual([{ currency: 'USD', amount: '20.00' }]);
  });

  it('a percentage of the last credited payment, recording the payment it was based on (eligibility: always)', async () => {
    const promotion = await world.promotion({ kind: 'certificate' });
    const certificates = await makeCertificates(throwaway.db, {
      promotion,
      count: 2,
      amount: { kind: 'last_payment', percent: '12.5' },
      fundsPeriod: { type: 'month', length: 1 },
    });
    const account = await world.account();
    const credit = new RecordingCredit();
    const none = await redeem(throwaway.db, { account, code: certificates[0] ?? '' }, ports(now, credit));
    expect(reason(none)).toBe('no_payment');

    await world.payment(account, '100.0000', '2026-11-01 12:00:00');
    const last = await world.payment(account, '80.1000', '2026-11-20 12:00:00');
    await world.payment(account, '500.0000', '2026-11-25 12:00:00', 5); // cancelled: not credited
    await world.payment(account, '300.0000', '2026-11-26 12:00:00', 1); // not paid yet
    const used = await redeem(throwaway.db, { account, code: certificates[0] ?? '' }, ports(now, credit));
    expect(used.redeemed && used.redemption).toMatchObject({
      amount: '10.01',
      currency: 'USD',
      basedOnPayment: last,
    });
    expect(credit.credits).toEqual([
      expect.objectContaining({
        account,
        amount: money(1001n, 'USD'),
        info: expect.stringMatching(
          /^Certificate 10.01 USD, valid until 2027-01-02 10:00:00 UTC, promotion ledger #\d+$/,
        ),
      }),
    ]);
    const ledger = await accountLedger(throwaway.db, account);
    expect(ledger.entries.map((e) => [e.kind, e.amount, e.validUntil])).toEqual([
      ['redemption', '0.00', null],
      ['credit', '10.01', '2027-01-02 10:00:00'],
    ]);
  });
});

describe('reserve at order, commit at payment, release on cancellation or after the hold', () => {
  it('a reservation holds the use; a release frees it once; a released one cannot be committed (eligibility: always)', async () => {
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion, usesLimit: 1 });
    const [a, b] = [await world.account(), await world.account()];
    const held = await redeem(
      throwaway.db,
      { account: a, code, mode: 'reserve', orderRef: 'order-1' },
      ports(now),
    );
    expect(held.redeemed && held.redemption).toMatchObject({ status: 'reserved', orderRef: 'order-1' });
    expect(reason(await redeem(throwaway.db, { account: b, code }, ports(now)))).toBe('used_up');
    const id = held.redeemed ? held.redemption.id : 0;
    const first = await releaseRedemption(throwaway.db, { id }, 'cancelled', now);
    const second = await releaseRedemption(throwaway.db, { id }, 'cancelled', now);
    expect([first.released, second.released]).toEqual([true, false]);
    expect(await codeUses(throwaway.db, code)).toBe(0);
    await expect(commitRedemption(throwaway.db, { id }, ports(now))).rejects.toThrow(ConflictError);
    expect(reason(await redeem(throwaway.db, { account: b, code }, ports(now)))).toBe('redeemed');
    expect(await codeUses(throwaway.db, code)).toBe(1);
    const kinds = (await accountLedger(throwaway.db, a)).entries.map((e) => e.kind);
    expect(kinds).toEqual(['redemption', 'release']);
  });

  it('two releases at once free the use once (eligibility: always)', async () => {
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion, usesLimit: 5 });
    const accounts = [await world.account(), await world.account()];
    const held = await Promise.all(
      accounts.map((account) => redeem(throwaway.db, { account, code, mode: 'reserve' }, ports(now))),
    );
    const id = held[0]?.redeemed ? held[0].redemption.id : 0;
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => releaseRedemption(throwaway.db, { id }, 'cancelled', now)),
    );
    expect(results.filter((r) => r.released).length).toBe(1);
    expect(await codeUses(throwaway.db, code)).toBe(1);
  });

  it('commit credits a reserved certificate once; the hold runs out for those never paid (eligibility: always)', async () => {
    const promotion = await world.promotion({ kind: 'certificate' });
    const certificates = await makeCertificates(throwaway.db, {
      promotion,
      count: 2,
      usesLimit: 1,
      amount: { kind: 'fixed', amount: money(2550n, 'USD') },
    });
    const account = await world.account();
    const credit = new RecordingCredit();
    const paid = await redeem(
      throwaway.db,
      { account, code: certificates[0] ?? '', mode: 'reserve', key: 'order-7' },
      ports(now, credit),
    );
    const unpaid = await redeem(
      throwaway.db,
      { account, code: certificates[1] ?? '', mode: 'reserve', holdHours: 48 },
      ports(now, credit),
    );
    expect(credit.credits).toEqual([]);
    const committed = await commitRedemption(throwaway.db, { key: 'order-7' }, ports(now, credit));
    await commitRedemption(throwaway.db, { key: 'order-7' }, ports(now, credit));
    expect(committed.status).toBe('committed');
    expect(credit.totalFor(account)).toBe(2550n);
    expect(paid.redeemed && unpaid.redeemed).toBe(true);

    expect(await releaseHeldTooLong(throwaway.db, new Date(now.getTime() + 47 * 3_600_000))).toBe(0);
    expect(await releaseHeldTooLong(throwaway.db, new Date(now.getTime() + 49 * 3_600_000))).toBe(1);
    expect(await releaseHeldTooLong(throwaway.db, new Date(now.getTime() + 50 * 3_600_000))).toBe(0);
    expect(await codeUses(throwaway.db, certificates[1] ?? '')).toBe(0);
    expect(await codeUses(throwaway.db, certificates[0] ?? '')).toBe(1);
  });
});

describe('retries', () => {
  it('the same key gives the first answer, a success or a refusal, and uses nothing more (eligibility: always)', async () => {
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion, usesLimit: 3 });
    const account = await world.account();
    const first = await redeem(throwaway.db, { account, code, key: 'req-1' }, ports(now));
    const retried = await Promise.all(
      [1, 2, 3].map(() => redeem(throwaway.db, { account, code, key: 'req-1' }, ports(now))),
    );
    expect(first.redeemed).toBe(true);
    for (const r of retried) {
      expect(r.redeemed && r.redemption.id).toBe(first.redeemed && first.redemption.id);
      expect(r.replayed).toBe(true);
    }
    expect(await codeUses(throwaway.db, code)).toBe(1);

    const refused = await redeem(throwaway.db, { account, code: 'MISTYPED', key: 'req-2' }, ports(now));
    const again = await redeem(throwaway.db, { account, code: 'MISTYPED', key: 'req-2' }, ports(now));
    expect(again).toEqual({ ...refused, replayed: true });
    await expect(
      redeem(throwaway.db, { account: account + 1, code, key: 'req-1' }, ports(now)),
    ).rejects.toThrow(/used for another account or code/);
  });

  it('the same key sent several times at once redeems once (eligibility: always)', async () => {
    const promotion = await world.promotion();
    const [code = ''] = await makeCodes(throwaway.db, { promotion });
    const account = await world.account();
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => redeem(throwaway.db, { account, code, key: 'burst-1' }, ports(now))),
    );
    const ids = new Set(answers.map((a) => (a.redeemed ? a.redemption.id : 0)));
    expect(ids.size).toBe(1);
    expect(ids.has(0)).toBe(false);
    expect(await codeUses(throwaway.db, code)).toBe(1);
  });
});
